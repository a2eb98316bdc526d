"""Idempotent mutations: a repeat with the same clientMutationId (same caller) returns the
first result and does nothing twice, even when the twins race; a failed attempt leaves no
receipt; an id reused for another mutation is a CONFLICT; another caller's id is their own."""

from __future__ import annotations

import asyncio

from tests.edms.conftest import World
from tests.edms.support import REGISTER, letter


async def _send(w: World, who: str, subject: str, key: str, **card: object) -> dict:
    data = await w.gql(
        who,
        REGISTER,
        {"input": {"card": letter(subject, **card), "clientMutationId": key}},
    )
    payload: dict = data["registerDocument"]
    return payload


async def _count(w: World, cypher: str, params: dict[str, object]) -> int:
    rows = await w.platform.db.read(cypher, params)
    return int(rows[0]["n"])


async def test_a_repeated_registration_is_done_once(edms_world: World) -> None:
    w = edms_world
    counter = "MATCH (c:JournalCounter {journal: 'INC'}) RETURN coalesce(max(c.value), 0) AS n"
    before = await _count(w, counter, {})
    first = await _send(w, "registrar", "Təkrar göndərilən məktub", "req-1")
    second = await _send(w, "registrar", "Təkrar göndərilən məktub", "req-1")
    assert first["userErrors"] == [] and second == first
    assert await _count(w, counter, {}) == before + 1
    subject = {"s": "Təkrar göndərilən məktub"}
    assert await _count(w, "MATCH (d:Document {subject: $s}) RETURN count(d) AS n", subject) == 1
    doc = first["document"]["documentId"]
    audits = "MATCH (e:AuditEvent {targetId: $id, outcome: 'allowed'}) RETURN count(e) AS n"
    assert await _count(w, audits, {"id": doc}) == 1
    changes = "MATCH (e:ChangeEvent {entityId: $id}) RETURN count(e) AS n"
    assert await _count(w, changes, {"id": doc}) == 2  # created + status_changed, once


async def test_racing_twins_create_one_document(edms_world: World) -> None:
    w = edms_world
    results = await asyncio.gather(
        *(_send(w, "registrar", "Eyni anda göndərilən", "race-1") for _ in range(6))
    )
    ids = {r["document"]["documentId"] for r in results}
    assert len(ids) == 1
    subject = {"s": "Eyni anda göndərilən"}
    assert await _count(w, "MATCH (d:Document {subject: $s}) RETURN count(d) AS n", subject) == 1


async def test_a_failed_attempt_may_be_sent_again(edms_world: World) -> None:
    w = edms_world
    failed = await _send(w, "registrar", "Səhvli kart", "fix-1", correspondentBody="NO-BODY")
    assert failed["document"] is None and failed["userErrors"][0]["code"] == "NOT_FOUND"
    fixed = await _send(w, "registrar", "Səhvli kart", "fix-1")
    assert fixed["userErrors"] == [] and fixed["document"]["status"] == "registered"


async def test_keys_belong_to_their_caller_and_their_mutation(edms_world: World) -> None:
    w = edms_world
    mine = await _send(w, "registrar", "Birinci qeydiyyatçı", "shared-key")
    theirs = await _send(w, "registrar2", "İkinci qeydiyyatçı", "shared-key")
    assert mine["document"]["documentId"] != theirs["document"]["documentId"]
    configure = (
        "mutation($input: ConfigureJournalInput!) { configureJournal(input: $input) {"
        " journal { code } userErrors { field code } } }"
    )
    reused = await w.gql(
        "registrar",
        configure,
        {"input": {"code": "INT", "nameEn": "Internal", "clientMutationId": "shared-key"}},
    )
    assert reused["configureJournal"]["userErrors"] == [
        {"field": "clientMutationId", "code": "CONFLICT"}
    ]
    too_long = await w.post(
        "registrar",
        REGISTER,
        {"input": {"card": letter("Uzun açar"), "clientMutationId": "x" * 200}},
    )
    errors = too_long["data"]["registerDocument"]["userErrors"]
    assert [e["field"] for e in errors] == ["clientMutationId"]
