"""Registration of incoming documents through GraphQL: the card checked against the registry
and the caller's clearance, the number from the journal, the timeline, card corrections,
steps in the wrong state (INVALID_TRANSITION naming the state and the allowed steps), lists."""

from __future__ import annotations

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.edms.documents.models import DocumentCard
from asan.edms.documents.use_cases import create_document_in_unit
from tests.edms.conftest import World
from tests.edms.support import DOCUMENT, DOCUMENTS, REGISTER, TIMELINE, UPDATE, letter


async def register(world: World, who: str, card: dict[str, object], **extra: object) -> dict:
    data = await world.gql(who, REGISTER, {"input": {"card": card, **extra}})
    payload: dict = data["registerDocument"]
    return payload


async def test_a_registrar_registers_an_incoming_letter(edms_world: World) -> None:
    w = edms_world
    payload = await register(w, "registrar", letter("Vergi sorğusu barədə"))
    assert payload["userErrors"] == []
    doc = payload["document"]
    assert doc["status"] == "registered" and doc["kind"] == "INCOMING"
    assert doc["journalCode"] == "INC" and doc["regNumber"].startswith("G-")
    assert doc["allowedSteps"] == ["file_without_action", "resolve"]
    assert doc["correspondentBody"] == "MIN-TAX" and doc["correspondentDate"] == "2026-01-12"
    assert doc["channel"] == "MAIL" and doc["pages"] == 2 and doc["classification"] == "PUBLIC"
    # the timeline shows who created and registered it, with the number
    steps = (await w.gql("registrar", TIMELINE, {"id": doc["documentId"]}))["documentTimeline"]
    assert [s["step"] for s in steps] == ["create", "register"]
    assert {s["actor"] for s in steps} == {w.users["registrar"]}
    assert steps[1]["details"] == {"journal": "INC", "number": doc["regNumber"]}
    # the owning unit's head sees it; someone of another department does not
    seen = await w.gql("head", DOCUMENT, {"id": doc["documentId"]})
    assert seen["document"]["regNumber"] == doc["regNumber"]
    assert (await w.gql("outsider", DOCUMENT, {"id": doc["documentId"]}))["document"] is None
    # the change log has the new document
    events = await w.platform.db.read(
        "MATCH (e:ChangeEvent {entityKind: 'Document', entityId: $id}) "
        "RETURN e.operation AS op ORDER BY e.seq",
        {"id": doc["documentId"]},
    )
    assert [e["op"] for e in events] == ["created", "status_changed"]
    # ... which the change feed keeps internal: auditors see it, a state body's reader not
    feed = "{ changes(first: 100, kinds: [DOCUMENT]) { edges { node { entityId operation } } } }"
    for who, shown in (("auditor", True), ("outsider", False), (None, False)):
        edges = (await w.gql(who, feed))["changes"]["edges"]
        assert (doc["documentId"] in {e["node"]["entityId"] for e in edges}) == shown, who


async def test_the_card_is_checked_field_by_field(edms_world: World) -> None:
    w = edms_world
    before = await w.platform.db.read(
        "MATCH (c:JournalCounter {journal: 'INC'}) RETURN c.value AS v"
    )
    payload = await register(
        w,
        "registrar",
        letter("Yoxlama", correspondentBody="NO-SUCH-BODY", unit="NO-UNIT", pages=-1),
    )
    assert payload["document"] is None
    codes = {(e["field"], e["code"]) for e in payload["userErrors"]}
    assert ("pages", "BAD_USER_INPUT") in codes
    payload = await register(w, "registrar", letter("Yoxlama", correspondentBody="NO-SUCH-BODY"))
    assert {(e["field"], e["code"]) for e in payload["userErrors"]} == {
        ("correspondentBody", "NOT_FOUND")
    }
    payload = await register(
        w, "registrar", letter("Şəxs", correspondentKind="PERSON", correspondentBody=None)
    )
    assert [e["field"] for e in payload["userErrors"]] == ["correspondentName"]
    # nothing was numbered by the refused registrations
    after = await w.platform.db.read(
        "MATCH (c:JournalCounter {journal: 'INC'}) RETURN c.value AS v"
    )
    assert after == before
    # a registrar without clearance may not register a service secret: refused, audited
    body = await w.post(
        "registrar2",
        REGISTER,
        {"input": {"card": letter("Məxfi", classification="SERVICE_SECRET")}},
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # an executor is not a registrar
    body = await w.post("executor1", REGISTER, {"input": {"card": letter("İcraçı")}})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_step_in_the_wrong_state_names_the_state_and_the_allowed_steps(
    edms_world: World,
) -> None:
    w = edms_world
    doc = (await register(w, "registrar", letter("İkiqat qeydiyyat")))["document"]
    again = await register(w, "registrar", letter("İkiqat qeydiyyat"), documentId=doc["documentId"])
    assert again["document"] is None
    [error] = again["userErrors"]
    assert error["code"] == "INVALID_TRANSITION" and error["field"] == "id"
    assert "'registered'" in error["message"]
    assert "allowed steps: file_without_action, resolve" in error["message"]


async def test_card_corrections_are_recorded_and_end_with_the_document(
    edms_world: World,
) -> None:
    w = edms_world
    doc = (await register(w, "registrar", letter("Düzəliş ediləcək")))["document"]
    payload = (
        await w.gql(
            "registrar",
            UPDATE,
            {
                "input": {
                    "documentId": doc["documentId"],
                    "subject": "Düzəldilmiş mövzu",
                    "pages": 5,
                    "summary": None,
                }
            },
        )
    )["updateDocumentCard"]
    assert payload["userErrors"] == []
    fixed = payload["document"]
    assert (fixed["subject"], fixed["pages"], fixed["summary"]) == ("Düzəldilmiş mövzu", 5, None)
    assert fixed["regNumber"] == doc["regNumber"]  # the number never changes
    steps = (await w.gql("registrar", TIMELINE, {"id": doc["documentId"]}))["documentTimeline"]
    assert steps[-1]["step"] == "update_card"
    assert steps[-1]["details"] == {"fields": ["subject", "summary", "pages"]}
    # the folded subject is searchable again after the change (case and İ/ı folded)
    found = await w.gql("registrar", DOCUMENTS, {"filter": {"text": "DÜZƏLDİLMİŞ"}})
    assert [e["node"]["documentId"] for e in found["documents"]["edges"]] == [doc["documentId"]]
    # an outsider may not correct it (and may not learn it exists)
    body = await w.post(
        "outsider", UPDATE, {"input": {"documentId": doc["documentId"], "pages": 1}}
    )
    assert body["data"]["updateDocumentCard"]["userErrors"][0]["code"] == "NOT_FOUND"
    # once archived the card is frozen: INVALID_TRANSITION naming the state
    await w.platform.db.write(
        "MATCH (d:Document {id: $id}) SET d.status = 'archived'", {"id": doc["documentId"]}
    )
    frozen = (
        await w.gql("registrar", UPDATE, {"input": {"documentId": doc["documentId"], "pages": 1}})
    )["updateDocumentCard"]
    assert frozen["userErrors"][0]["code"] == "INVALID_TRANSITION"
    assert "'archived'" in frozen["userErrors"][0]["message"]


async def test_lists_page_by_keyset_and_count_what_the_caller_sees(edms_world: World) -> None:
    w = edms_world
    ids = []
    for n in range(5):
        doc = (await register(w, "registrar", letter(f"Siyahı sənədi {n}")))["document"]
        ids.append(doc["documentId"])
    first = (await w.gql("head", DOCUMENTS, {"filter": {"text": "siyahı"}, "first": 2}))[
        "documents"
    ]
    assert first["totalCount"] == 5 and first["pageInfo"]["hasNextPage"]
    seen = [e["node"]["documentId"] for e in first["edges"]]
    after = first["pageInfo"]["endCursor"]
    while after:
        page = (
            await w.gql(
                "head", DOCUMENTS, {"filter": {"text": "siyahı"}, "first": 2, "after": after}
            )
        )["documents"]
        seen += [e["node"]["documentId"] for e in page["edges"]]
        after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
    assert seen == list(reversed(ids))  # newest first, each once
    # by number: exactly that document
    number = (await w.gql("head", DOCUMENT, {"id": ids[0]}))["document"]["regNumber"]
    exact = await w.gql("head", DOCUMENTS, {"filter": {"text": number}})
    assert [e["node"]["documentId"] for e in exact["documents"]["edges"]] == [ids[0]]
    # an outsider's list and count are empty
    none = await w.gql("outsider", DOCUMENTS, {"filter": {"text": "siyahı"}})
    assert none["documents"]["totalCount"] == 0 and none["documents"]["edges"] == []


async def test_journals_are_listed_and_configured_by_registrars(edms_world: World) -> None:
    w = edms_world
    journals = (await w.gql("executor1", "{ journals { code kind pattern lastSeq } }"))["journals"]
    assert [j["code"] for j in journals] == ["APL-A", "APL-C", "APL-P", "INC", "INT", "ORD", "OUT"]
    # the last number counts secrets too: registrars see it, others do not
    assert {j["lastSeq"] for j in journals} == {None}
    seen = (await w.gql("registrar", "{ journals { code lastSeq } }"))["journals"]
    registered = await w.platform.db.read(
        "MATCH (d:Document {journalCode: 'INC'}) RETURN max(d.regSeq) AS n"
    )
    assert {j["code"]: j["lastSeq"] for j in seen}["INC"] == registered[0]["n"]
    configure = (
        "mutation($input: ConfigureJournalInput!) { configureJournal(input: $input) {"
        " journal { code pattern } userErrors { field code } } }"
    )
    body = await w.post("executor1", configure, {"input": {"code": "OUT", "pattern": "{seq}"}})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    bad = (await w.gql("registrar", configure, {"input": {"code": "OUT", "pattern": "x"}}))[
        "configureJournal"
    ]
    assert bad["journal"] is None and bad["userErrors"][0]["field"] == "pattern"
    good = (
        await w.gql("registrar", configure, {"input": {"code": "OUT", "pattern": "Ç-{seq:3}/{yy}"}})
    )["configureJournal"]
    assert good == {"journal": {"code": "OUT", "pattern": "Ç-{seq:3}/{yy}"}, "userErrors": []}
    # a new incoming journal (e.g. for electronic mail): opened once, numbered from 1
    opened = (
        await w.gql(
            "registrar",
            configure,
            {
                "input": {
                    "code": "INC-E",
                    "kind": "INCOMING",
                    "nameAz": "Elektron poçt",
                    "pattern": "E-{seq}/{year}",
                }
            },
        )
    )["configureJournal"]
    assert opened["userErrors"] == []
    doc = (await register(w, "registrar", letter("E-poçtla gələn", journal="INC-E")))["document"]
    assert doc["journalCode"] == "INC-E" and doc["regNumber"].startswith("E-1/")
    # its kind never changes, and an outgoing journal does not register incoming letters
    changed = (await w.gql("registrar", configure, {"input": {"code": "INC-E", "kind": "ORDER"}}))[
        "configureJournal"
    ]
    assert changed["userErrors"] == [{"field": "kind", "code": "CONFLICT"}]
    wrong = await register(w, "registrar", letter("Yanlış jurnal", journal="OUT"))
    assert [e["field"] for e in wrong["userErrors"]] == ["journal"]


async def test_a_received_document_is_registered_with_its_card_completed(
    edms_world: World,
) -> None:
    """What arrives electronically waits in 'received' (made by create_document_in_unit);
    the registrar completes the card and registers it: the same document gets the number."""
    w = edms_world

    async def arrive(m: Mutation) -> str:
        card = DocumentCard(
            kind="incoming",
            subject="Elektron gələn",
            correspondent_kind="state_body",
            correspondent_body="MIN-JUSTICE",
            channel="electronic",
        )
        return await create_document_in_unit(m, card, status="received")

    received = await run_mutation(
        w.platform,
        w.principal("registrar"),
        "edms.document.register",
        Resource("Document"),
        arrive,
    )
    before = (await w.gql("registrar", DOCUMENT, {"id": received}))["document"]
    assert before["status"] == "received" and before["regNumber"] is None
    assert before["allowedSteps"] == ["register"]
    card = letter("Elektron gələn məktub", correspondentBody="MIN-JUSTICE", channel="ELECTRONIC")
    done = await register(w, "registrar", card, documentId=received)
    assert done["userErrors"] == []
    doc = done["document"]
    assert doc["documentId"] == received and doc["status"] == "registered"
    assert doc["subject"] == "Elektron gələn məktub" and doc["unit"] == "DEPT-IT"
    assert doc["regNumber"].startswith("G-")
    # raising the classification above one's own clearance is refused on the field
    raised = (
        await w.gql(
            "registrar",
            UPDATE,
            {"input": {"documentId": received, "classification": "STATE_SECRET"}},
        )
    )["updateDocumentCard"]
    assert [(e["field"], e["code"]) for e in raised["userErrors"]] == [
        ("classification", "FORBIDDEN_CLASSIFICATION")
    ]
