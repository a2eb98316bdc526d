"""Dispatch end to end through GraphQL, with real Neo4j, MinIO and a real webhook receiver.

A signed outgoing letter gets a mailing list (a ministry with a document endpoint, a ministry
without one, a person, an organisation), is dispatched, travels to the ministry's system
through the integrators' webhook (signed event with the document's hash and fetch path), is
fetched with the ministry's own token, acknowledged, answered through sendDocumentToAgency,
and the answer is registered; the registrar records what became of the letters on paper.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from asan.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.edms.dispatch import delivery, reads
from asan.edms.dispatch import models as md
from asan.edms.dispatch import use_cases as dispatch
from asan.edms.dispatch.settings import dispatch_settings
from asan.edms.drafts.models import Addressee
from asan.integration import use_cases as webhooks
from asan.integration.delivery import DeliveryWorker
from asan.integration.models import WebhookInput
from tests.edms.conftest import World
from tests.edms.dispatch_support import (
    ACKNOWLEDGE,
    DELIVERIES,
    DELIVERY,
    DISPATCH,
    OUTCOME,
    REGISTER_LIST,
    SEND_IN,
    SET_LIST,
    TIMELINE,
    add_addressees,
    signed_document,
    signed_pdf,
    system_of,
    upload,
)
from tests.edms.files_support import EXECUTABLE, pdf_with_text
from tests.integration.receiver import Receiver

WAIT = 60.0  # seconds a condition may take on a busy machine before the test fails
DELIVERY_SCOPES = {"edms.delivery", "integration.webhook"}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver().start()
    yield r
    r.stop()


@pytest.fixture
def fast(edms_world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    """Loopback receivers allowed (test profile) and a short poll."""
    s = edms_world.platform.settings
    monkeypatch.setattr(s, "webhook_allow_loopback", True)
    monkeypatch.setattr(s, "webhook_poll_seconds", 0.05)
    # the test world's document circulation department is DOC (production: DEPT-EDMS)
    monkeypatch.setattr(dispatch_settings(), "receiving_unit", "DOC")
    return edms_world


@asynccontextmanager
async def delivering(p: Platform) -> AsyncIterator[None]:
    stop = asyncio.Event()
    worker = DeliveryWorker(p, owner="dispatch-test")
    task = asyncio.create_task(worker.run(stop))
    try:
        yield
    finally:
        stop.set()
        await task
        await worker.close()


async def as_system(world: World, token: str, query: str, variables: dict[str, Any]) -> Any:
    response = await world.client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.json()


def lines() -> list[dict[str, Any]]:
    return [
        {"kind": "STATE_BODY", "method": "SYSTEM", "stateBody": "MIN-TAX"},
        {
            "kind": "STATE_BODY",
            "method": "POST",
            "stateBody": "MIN-JUSTICE",
            "address": "Bakı, İnşaatçılar pr. 1",
        },
        {"kind": "PERSON", "method": "EMAIL", "name": "Əli Həsənov", "email": "ali@example.az"},
        {
            "kind": "ORGANISATION",
            "method": "COURIER",
            "name": "Şəki İpək ASC",
            "address": "Şəki, M. F. Axundzadə 12",
        },
    ]


async def test_dispatch_to_a_body_system_and_back(fast: World, receiver: Receiver) -> None:
    w = fast
    tax_token, tax = await system_of(w, "MIN-TAX", DELIVERY_SCOPES)
    justice_token, _ = await system_of(w, "MIN-JUSTICE", {"edms.delivery"})
    hook = await webhooks.register_webhook(
        w.platform, tax, WebhookInput("MIN-TAX", receiver.url, kinds=("DOCUMENT_DELIVERY",))
    )
    doc, number = await signed_document(w, "Vergi uçotu haqqında cavab məktubu")

    # a bad list: every problem named by its line and field, nothing stored
    bad = [
        {"kind": "STATE_BODY", "method": "SYSTEM", "stateBody": "MIN-JUSTICE"},  # no endpoint
        {"kind": "PERSON", "method": "SYSTEM", "name": "Vəli"},  # persons have no system
        {"kind": "STATE_BODY", "method": "POST", "stateBody": "MIN-NONE", "address": "x"},
        {"kind": "PERSON", "method": "EMAIL", "name": "Vəli", "email": "not-an-address"},
    ]
    out = (await w.gql("head", SET_LIST, {"input": {"documentId": doc, "addressees": bad}}))[
        "setMailingList"
    ]
    errors = {(e["field"], e["code"]) for e in out["userErrors"]}
    assert ("addressees.1.method", "BAD_USER_INPUT") in errors
    assert ("addressees.3.email", "BAD_USER_INPUT") in errors
    out = (
        await w.gql(
            "head", SET_LIST, {"input": {"documentId": doc, "addressees": bad[:1] + bad[2:3]}}
        )
    )["setMailingList"]
    errors = {(e["field"], e["code"]) for e in out["userErrors"]}
    assert errors == {
        ("addressees.0.method", "BAD_USER_INPUT"),
        ("addressees.1.stateBody", "NOT_FOUND"),
    }
    assert "DOCUMENT_DELIVERY" in out["userErrors"][0]["message"]
    assert (await w.gql("head", REGISTER_LIST, {"id": doc}))["dispatchRegister"] == []

    out = (await w.gql("head", SET_LIST, {"input": {"documentId": doc, "addressees": lines()}}))[
        "setMailingList"
    ]
    assert out["userErrors"] == []
    assert [e["status"] for e in out["entries"]] == ["PLANNED"] * 4
    assert [e["method"] for e in out["entries"]] == ["SYSTEM", "POST", "EMAIL", "COURIER"]

    # an outsider may neither see nor send it
    refused = await w.gql("outsider", DISPATCH, {"input": {"documentId": doc}})
    assert refused["dispatchDocument"]["userErrors"][0]["code"] == "NOT_FOUND"

    out = (await w.gql("registrar", DISPATCH, {"input": {"documentId": doc}}))["dispatchDocument"]
    assert out["userErrors"] == []
    entries = out["entries"]
    assert {e["status"] for e in entries} == {"SENT"}
    signed_sha = entries[0]["sha256"]
    assert all(e["sentAt"] and e["sha256"] == signed_sha for e in entries)
    system_line, post_line = entries[0], entries[1]

    # a second dispatch names the state and what is allowed from it
    again = (await w.gql("registrar", DISPATCH, {"input": {"documentId": doc}}))["dispatchDocument"]
    assert again["userErrors"][0]["code"] == "INVALID_TRANSITION"
    assert "dispatched" in again["userErrors"][0]["message"]
    late = {"documentId": doc, "addressees": lines()[:1]}
    assert (await w.gql("head", SET_LIST, {"input": late}))["setMailingList"]["userErrors"][0][
        "code"
    ] == "INVALID_TRANSITION"

    # the ministry's webhook receives the signed event with the document's hash and fetch path
    async with delivering(w.platform):
        ok = await asyncio.to_thread(receiver.wait_for, lambda r: len(r.accepted()) >= 1, WAIT)
    assert ok, "no delivery reached the ministry's webhook"
    events = receiver.accepted()
    assert [(e["kind"], e["id"]) for e in events] == [("DOCUMENT_DELIVERY", system_line["id"])]
    assert receiver.verified(receiver.deliveries[0], hook.secret)
    delivered = events[0]["delivery"]
    assert delivered["document"]["regNumber"] == number
    assert delivered["file"]["sha256"] == signed_sha
    path = delivered["file"]["fetchPath"]

    # the ministry fetches the bytes with its own token; nobody else can
    fetched = await w.client.get(path, headers={"Authorization": f"Bearer {tax_token}"})
    assert fetched.status_code == 200
    assert hashlib.sha256(fetched.content).hexdigest() == signed_sha
    assert fetched.headers["x-content-sha256"] == signed_sha
    other = await w.client.get(path, headers={"Authorization": f"Bearer {justice_token}"})
    assert other.status_code == 404
    assert (await w.client.get(path)).status_code == 401
    post_path = path.replace(system_line["id"], post_line["id"])
    letter = await w.client.get(post_path, headers={"Authorization": f"Bearer {justice_token}"})
    assert letter.status_code == 404  # a letter by post is not an electronic delivery

    seen = await as_system(w, tax_token, DELIVERY, {"id": system_line["id"]})
    assert seen["data"]["documentDelivery"]["sha256"] == signed_sha
    listed = await as_system(w, tax_token, DELIVERIES, {})
    assert [d["id"] for d in listed["data"]["documentDeliveries"]] == [system_line["id"]]
    hidden = await as_system(w, justice_token, DELIVERY, {"id": system_line["id"]})
    assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    # acknowledgement: only the addressee, once
    ack = {"input": {"deliveryId": system_line["id"]}}
    stranger = await as_system(w, justice_token, ACKNOWLEDGE, ack)
    assert stranger["data"]["acknowledgeDocumentDelivery"]["userErrors"][0]["code"] == "NOT_FOUND"
    done = await as_system(w, tax_token, ACKNOWLEDGE, ack)
    assert done["data"]["acknowledgeDocumentDelivery"]["delivery"]["status"] == "DELIVERED"
    twice = await as_system(w, tax_token, ACKNOWLEDGE, ack)
    assert twice["data"]["acknowledgeDocumentDelivery"]["userErrors"][0]["code"] == "CONFLICT"

    # the registrar records the paper letters; a system line is not theirs to record
    returned = {"entryId": post_line["id"], "outcome": "RETURNED"}
    missing = (await w.gql("registrar", OUTCOME, {"input": returned}))["recordDispatchOutcome"]
    assert missing["userErrors"][0]["field"] == "reason"
    returned["reason"] = "Ünvançı tapılmadı"
    for when in ("2000-01-01T10:00:00", "2999-01-01T10:00:00+04:00"):  # before sending; future
        dated = await w.gql("registrar", OUTCOME, {"input": {**returned, "at": when}})
        assert dated["recordDispatchOutcome"]["userErrors"][0]["field"] == "at"
    returned["trackingNumber"] = "RR123456789AZ"
    out = (await w.gql("registrar", OUTCOME, {"input": returned}))["recordDispatchOutcome"]
    assert out["userErrors"] == [] and out["entry"]["status"] == "RETURNED"
    assert out["entry"]["returnedAt"] and out["entry"]["trackingNumber"] == "RR123456789AZ"
    system_outcome = {"entryId": system_line["id"], "outcome": "DELIVERED"}
    out = (await w.gql("registrar", OUTCOME, {"input": system_outcome}))["recordDispatchOutcome"]
    assert out["userErrors"][0]["code"] == "CONFLICT"

    # the ministry answers through the API: an incoming document awaiting registration
    answer = await signed_pdf(w, "Cavab")
    sent = await upload(
        w.client,
        tax_token,
        SEND_IN,
        {
            "input": {
                "subject": "Məktubunuza cavab",
                "number": "VN-77/2026",
                "date": "2026-11-30",
                "inReplyTo": system_line["id"],
                "clientMutationId": "answer-1",
                "file": None,
            }
        },
        answer,
    )
    payload = sent["data"]["sendDocumentToAgency"]
    assert payload["userErrors"] == [] and payload["sha256"] == hashlib.sha256(answer).hexdigest()
    incoming = payload["documentId"]
    repeat = await upload(
        w.client,
        tax_token,
        SEND_IN,
        {
            "input": {
                "subject": "Məktubunuza cavab",
                "number": "VN-77/2026",
                "date": "2026-11-30",
                "clientMutationId": "answer-1",
                "file": None,
            }
        },
        answer,
    )
    assert repeat["data"]["sendDocumentToAgency"]["documentId"] == incoming  # done once
    card = (
        await w.gql(
            "registrar",
            "query($id: String!) { document(id: $id) { status kind correspondentBody "
            "correspondentNumber channel unit } }",
            {"id": incoming},
        )
    )["document"]
    assert card == {
        "status": "received",
        "kind": "INCOMING",
        "correspondentBody": "MIN-TAX",
        "correspondentNumber": "VN-77/2026",
        "channel": "ELECTRONIC",
        "unit": "DOC",
    }
    register = (await w.gql("head", REGISTER_LIST, {"id": doc}))["dispatchRegister"]
    assert [e["status"] for e in register] == ["DELIVERED", "RETURNED", "SENT", "SENT"]
    assert register[0]["replyDocumentId"] == incoming
    assert register[0]["acknowledgedBy"] == tax.subject
    steps = [s["step"] for s in (await w.gql("head", TIMELINE, {"id": doc}))["documentTimeline"]]
    for step in ("set_mailing_list", "dispatch", "dispatch_delivered", "dispatch_returned"):
        assert step in steps


FEED = """
query { changes(first: 100, kinds: [DOCUMENT_DELIVERY]) { edges { node { kind entityId } } } }"""


async def test_secrets_travel_on_paper_and_each_body_sees_only_its_deliveries(
    fast: World, receiver: Receiver
) -> None:
    w = fast
    tax_token, tax = await system_of(w, "MIN-TAX", {"edms.delivery"})
    justice_token, justice = await system_of(w, "MIN-JUSTICE", DELIVERY_SCOPES)
    await webhooks.register_webhook(
        w.platform, justice, WebhookInput("MIN-JUSTICE", receiver.url, kinds=())
    )
    secret, _ = await signed_document(w, "Xidməti istifadə üçün", classification="service_secret")
    electronic = [
        {"kind": "STATE_BODY", "method": "SYSTEM", "stateBody": "MIN-JUSTICE"},
        {"kind": "PERSON", "method": "EMAIL", "name": "Vəli", "email": "veli@example.az"},
    ]
    # registrar2 has public clearance only: the secret does not exist for them
    hidden = await w.gql(
        "registrar2", SET_LIST, {"input": {"documentId": secret, "addressees": []}}
    )
    assert hidden["setMailingList"]["userErrors"][0]["code"] == "NOT_FOUND"
    out = await w.gql("head", SET_LIST, {"input": {"documentId": secret, "addressees": electronic}})
    fields = [e["field"] for e in out["setMailingList"]["userErrors"]]
    assert fields == ["addressees.0.method", "addressees.1.method"]
    courier = [
        {
            "kind": "STATE_BODY",
            "method": "COURIER",
            "stateBody": "MIN-JUSTICE",
            "address": "Bakı, İnşaatçılar pr. 1",
        }
    ]
    out = await w.gql("head", SET_LIST, {"input": {"documentId": secret, "addressees": courier}})
    assert out["setMailingList"]["userErrors"] == []
    sent = (await w.gql("head", DISPATCH, {"input": {"documentId": secret}}))["dispatchDocument"]
    assert [e["status"] for e in sent["entries"]] == ["SENT"]

    public, _ = await signed_document(w, "Açıq məktub")
    to_justice = [{"kind": "STATE_BODY", "method": "SYSTEM", "stateBody": "MIN-JUSTICE"}]
    await w.gql("head", SET_LIST, {"input": {"documentId": public, "addressees": to_justice}})
    sent = (await w.gql("registrar", DISPATCH, {"input": {"documentId": public}}))[
        "dispatchDocument"
    ]
    justice_delivery = sent["entries"][0]["id"]

    async def feed(token: str) -> set[str]:
        body = await as_system(w, token, FEED, {})
        return {e["node"]["entityId"] for e in body["data"]["changes"]["edges"]}

    justice_sees = await feed(justice_token)
    assert justice_delivery in justice_sees
    assert sent["entries"][0]["id"] not in await feed(tax_token)
    # the courier line of the secret never reaches any body's feed or webhook
    secret_line = (await w.gql("head", REGISTER_LIST, {"id": secret}))["dispatchRegister"][0]
    assert secret_line["id"] not in justice_sees
    async with delivering(w.platform):
        ok = await asyncio.to_thread(
            receiver.wait_for,
            lambda r: any(e["id"] == justice_delivery for e in r.accepted()),
            WAIT,
        )
    assert ok
    # a webhook of every kind: its own registration, and of deliveries only the body's own
    delivered = {e["id"] for e in receiver.accepted() if e["kind"] == "DOCUMENT_DELIVERY"}
    assert delivered == {justice_delivery}
    assert tax.state_body == "MIN-TAX"


async def test_distribution_from_the_draft_addressees_is_done_once(fast: World) -> None:
    w = fast
    order, _ = await signed_document(w, "Əmr: növbətçilik cədvəli", kind="order")
    await add_addressees(
        w,
        order,
        [
            Addressee(kind="org_unit", org_unit="DEPT-HR", position=0),
            Addressee(kind="person", name="Səbinə Quliyeva", address="Gəncə, Nizami 5", position=1),
        ],
    )
    read = "query($id: String!) { document(id: $id) { subject } }"
    before = await w.gql("outsider", read, {"id": order})  # staff of DEPT-HR
    assert before["document"] is None
    request = {"input": {"documentId": order, "clientMutationId": "distribute-1"}}
    first = (await w.gql("registrar", DISPATCH, request))["dispatchDocument"]
    after = await w.gql("outsider", read, {"id": order})
    assert after["document"]["subject"] == "Əmr: növbətçilik cədvəli"  # now theirs to read
    hidden = await w.gql("executor1", read, {"id": order})  # not an addressee
    assert hidden["document"] is None
    assert first["userErrors"] == []
    assert [(e["orgUnit"] or e["name"], e["method"], e["status"]) for e in first["entries"]] == [
        ("DEPT-HR", "SYSTEM", "DELIVERED"),  # inside the agency it is there at once
        ("Səbinə Quliyeva", "POST", "SENT"),
    ]
    again = (await w.gql("registrar", DISPATCH, request))["dispatchDocument"]
    assert again["userErrors"] == [] and again["entries"] == first["entries"]
    steps = [
        s["step"] for s in (await w.gql("registrar", TIMELINE, {"id": order}))["documentTimeline"]
    ]
    assert steps.count("distribute") == 1
    events = await w.platform.db.read(
        "MATCH (e:ChangeEvent {entityKind: 'DocumentDelivery'}) WHERE e.entityId IN $ids "
        "RETURN count(e) AS n",
        {"ids": [e["id"] for e in first["entries"]]},
    )
    assert events[0]["n"] == 2  # one "created" per line, not repeated by the second request


async def test_racing_dispatches_and_answers_are_serialised(fast: World) -> None:
    w = fast
    p = w.platform
    registrar = w.principal("registrar")
    doc, _ = await signed_document(w, "Eyni anda iki göndəriş")
    post = md.AddresseeInput(
        kind="state_body", method="post", state_body="MIN-TAX", address="Bakı, Nobel pr. 2"
    )
    await dispatch.set_mailing_list(p, registrar, doc, [post])
    results = await asyncio.gather(
        dispatch.dispatch_document(p, registrar, doc),
        dispatch.dispatch_document(p, registrar, doc),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, InvalidTransition)]
    assert results.count(doc) == 1 and len(refused) == 1, results
    assert "dispatched" in refused[0].message
    line = (await reads.dispatch_register(p, registrar, doc))[0]
    events = await p.db.read(
        "MATCH (e:ChangeEvent {entityKind: 'DocumentDelivery', entityId: $id}) "
        "RETURN count(e) AS n",
        {"id": line.id},
    )
    assert events[0]["n"] == 1

    # the registrar records "delivered" while, at the same moment, "returned": one wins
    outcomes = await asyncio.gather(
        dispatch.record_outcome(p, registrar, md.Outcome(line.id, "delivered")),
        dispatch.record_outcome(p, registrar, md.Outcome(line.id, "returned", reason="Geri")),
        return_exceptions=True,
    )
    assert outcomes.count(line.id) == 1
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1, outcomes
    final = (await reads.dispatch_register(p, registrar, doc))[0]
    assert final.status in ("delivered", "returned")
    assert (final.delivered_at is None) != (final.returned_at is None)


async def test_what_a_body_sends_in_is_checked_like_any_upload(fast: World) -> None:
    w = fast
    p = w.platform
    _, tax = await system_of(w, "MIN-TAX", {"edms.delivery"})

    def incoming(data: bytes | None, **extra: Any) -> md.IncomingFromAgency:
        fields: dict[str, Any] = {
            "subject": "Sorğu",
            "number": "VN-1",
            "date": "2026-11-30",
            "data": data,
            "filename": "sorğu.pdf",
        }
        fields.update(extra)
        return md.IncomingFromAgency(**fields)

    with pytest.raises(ValidationFailed) as disguised:
        await delivery.send_document_to_agency(p, tax, incoming(EXECUTABLE))
    assert [e.field for e in disguised.value.errors] == ["file"]
    with pytest.raises(ValidationFailed) as no_file:
        await delivery.send_document_to_agency(p, tax, incoming(None))
    assert [e.field for e in no_file.value.errors] == ["file"]
    with pytest.raises(NotFound) as unknown:
        await delivery.send_document_to_agency(
            p, tax, incoming(pdf_with_text("Reply"), in_reply_to="de_unknown")
        )
    assert unknown.value.field == "inReplyTo"
    with pytest.raises(ValidationFailed) as dated:
        await delivery.send_document_to_agency(p, tax, incoming(b"%PDF", date="30.11.2026"))
    assert [e.field for e in dated.value.errors] == ["date"]
    # the agency's own staff do not send documents to the agency through this door
    with pytest.raises(Forbidden):
        await delivery.send_document_to_agency(
            p, w.principal("registrar"), incoming(pdf_with_text("x"))
        )
    received = await p.db.read(
        "MATCH (d:Document {status: 'received', correspondentNumber: 'VN-1'}) RETURN count(d) AS n"
    )
    assert received[0]["n"] == 0  # nothing half-made by the refused attempts
