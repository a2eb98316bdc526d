"""A service or state secret is invisible (NOT_FOUND, absent from lists and counts) to anyone
without both clearance and involvement; the list predicate and the policy say the same."""

from __future__ import annotations

from typing import Any

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import can
from asan.edms.documents.access import document_target, involve, to_resource, visible_where
from tests.edms.conftest import World
from tests.edms.support import DOCUMENT, DOCUMENTS, REGISTER, TIMELINE, letter

MARK = "Gizlilik yoxlaması"


async def _register(w: World, subject: str, classification: str) -> str:
    data = await w.gql(
        "registrar",
        REGISTER,
        {"input": {"card": letter(subject, classification=classification)}},
    )
    assert data["registerDocument"]["userErrors"] == []
    doc_id: str = data["registerDocument"]["document"]["documentId"]
    return doc_id


async def test_secrets_need_clearance_and_involvement(edms_world: World) -> None:
    w = edms_world
    public = await _register(w, f"{MARK} açıq", "PUBLIC")
    secret = await _register(w, f"{MARK} xidməti", "SERVICE_SECRET")
    expected = {
        # who: (sees public, sees secret)
        "registrar": (True, True),  # registered it (involved) and cleared
        "head": (True, True),  # heads the owning unit, cleared
        "deputy": (True, True),  # acts for the head by delegation, cleared
        "registrar2": (True, False),  # a registrar, but no clearance
        "executor1": (False, False),  # a sector below: neither unit nor involved
        "sector2": (False, False),
        "outsider": (False, False),
        "auditor": (True, False),
        "admin": (True, False),  # administrators pass rules, not the clearance guard
    }
    for who, (sees_public, sees_secret) in expected.items():
        listed = (await w.gql(who, DOCUMENTS, {"filter": {"text": MARK}}))["documents"]
        ids = {e["node"]["documentId"] for e in listed["edges"]}
        want = {d for d, ok in ((public, sees_public), (secret, sees_secret)) if ok}
        assert ids == want, who
        assert listed["totalCount"] == len(want), who
        one = (await w.gql(who, DOCUMENT, {"id": secret}))["document"]
        assert (one is not None) == sees_secret, who
    # the timeline of a secret is NOT_FOUND for those who may not see it
    body = await w.post("registrar2", TIMELINE, {"id": secret})
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_involvement_without_clearance_is_not_enough(edms_world: World) -> None:
    w = edms_world
    secret = await _register(w, f"{MARK} icraçıya", "SERVICE_SECRET")
    public = await _register(w, f"{MARK} icraçıya açıq", "PUBLIC")

    async def add_executor(m: Mutation) -> None:
        for doc in (secret, public):
            await involve(m.tx, doc, [w.users["executor1"], w.users["executor1"]])

    await run_mutation(
        w.platform,
        w.principal("head"),
        "edms.document.update",
        document_target(public),
        add_executor,
    )
    rows = await w.platform.db.read(
        "MATCH (d:Document {id: $id}) RETURN d.involved AS involved", {"id": public}
    )
    assert rows[0]["involved"].count(w.users["executor1"]) == 1
    # involved in both, cleared for neither secret: sees the public one only
    listed = (await w.gql("executor1", DOCUMENTS, {"filter": {"text": MARK}}))["documents"]
    assert {e["node"]["documentId"] for e in listed["edges"]} == {public}
    assert (await w.gql("executor1", DOCUMENT, {"id": secret}))["document"] is None


async def test_the_list_predicate_agrees_with_the_policy(edms_world: World) -> None:
    """Every user against every document of the graph: visible_where == the read rule."""
    w = edms_world
    await _register(w, f"{MARK} dövlət sirri", "PUBLIC")
    rows = await w.platform.db.read(
        "MATCH (d:Document) RETURN d.id AS id, d.unit AS unit, d.status AS status, "
        "d.classification AS classification, d.involved AS involved"
    )
    assert len(rows) >= 3
    for who in w.users:
        principal = w.principal(who)
        predicate, params = visible_where("d", principal)
        listed: list[dict[str, Any]] = await w.platform.db.read(
            "MATCH (d:Document) WHERE " + predicate + " RETURN d.id AS id", params
        )
        by_rule = {r["id"] for r in rows if can(principal, "edms.document.read", to_resource(r))}
        assert {r["id"] for r in listed} == by_rule, who
