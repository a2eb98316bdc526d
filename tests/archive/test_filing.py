"""Automatic filing through GraphQL on the real Neo4j (issue 11, point 1): a registration card's
``caseIndex`` files the document into the open case of the registration year; before the
year's nomenclature is approved an unknown index only warns, afterwards it refuses the
registration; a draft is filed when it is signed and numbered; an incoming document is filed
at completion (taken off control, or filed without action); a case with documents still in
execution is not closed.

Registration files into the case of the current year (Baku), so this module plans the current
year; its own world (make_world) keeps it apart from the other modules' years.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from asan.archive.nomenclature.use_cases import (
    CaseDraft,
    add_case,
    approve_nomenclature,
    compile_nomenclature,
    create_nomenclature,
    read_nomenclature,
)
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import SYSTEM
from asan.core.errors import Conflict
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.core.workdays import today_in_baku
from asan.edms.documents.models import DocumentCard
from asan.edms.documents.use_cases import create_document_in_unit
from asan.edms.files.use_cases import store_file_in_unit
from tests.edms.conftest import World, make_world
from tests.edms.files_support import pdf_with_text
from tests.edms.resolutions_support import REMOVE, REPORT, write
from tests.edms.support import REGISTER, TIMELINE, UPDATE, letter

YEAR = today_in_baku().year
ERRORS = "userErrors { field message code }"
STEP = (
    "mutation($input: ChangeCaseStatusInput!) { changeCaseStatus(input: $input) {"
    " case { status } " + ERRORS + " } }"
)
CASE = "query($id: ID!) { case(id: $id) { index year documentCount } }"
FILE_WITHOUT_ACTION = (
    "mutation($input: FileDocumentWithoutActionInput!) { fileDocumentWithoutAction(input: $input)"
    " { document { status caseIndex } " + ERRORS + " } }"
)
SIGN = (
    "mutation($input: SignDocumentInput!) { signDocument(input: $input) {"
    " registrationNumber " + ERRORS + " } }"
)
CASE_OF_DOCUMENT = "query($id: String!) { document(id: $id) { case { caseId year } } }"
PAGE = "query { documents(first: 10) { edges { node { documentId CASE } } } }"
# the current year's cases (DEPT-IT-<n>); 03 is closed during the first test
TITLES = {
    1: "Vergi orqanları ilə yazışma",
    2: "Dövlət orqanlarının sorğuları",
    3: "İllik hesabatlar",
    4: "Nəzarətdə olan məktublar",
    5: "Göndərilən məktublar",
}


@pytest.fixture(scope="module")
async def world(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    built = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("filing-keys"))
    yield built
    await built.client.aclose()


async def plan(w: World, *, approve: bool = True) -> dict[str, str]:
    """The current year's nomenclature with its cases (index -> case id), approved unless
    ``approve`` is False; made once, whichever test asks first."""
    registrar = w.principal("registrar")
    try:
        await create_nomenclature(w.platform, registrar, YEAR)
    except Conflict:
        pass
    query = "MATCH (c:Case {year: $year}) RETURN c.index AS index, c.id AS id"
    if not await w.platform.db.read(query, {"year": YEAR}):
        for number, title in TITLES.items():
            draft = CaseDraft(YEAR, "DEPT-IT", number, title, retention_years=5, article="12")
            await add_case(w.platform, registrar, draft)
    rows = await w.platform.db.read(query, {"year": YEAR})
    if approve:
        current = await read_nomenclature(w.platform, registrar, YEAR)
        assert current is not None
        if current.status == "draft":
            await compile_nomenclature(w.platform, registrar, YEAR)
        if current.status != "approved":
            await approve_nomenclature(w.platform, w.principal("chairman"), YEAR)
    return {r["index"]: r["id"] for r in rows}


async def register(w: World, subject: str, index: str | None) -> dict[str, Any]:
    card = letter(subject) if index is None else letter(subject, caseIndex=index)
    data = await w.gql("registrar", REGISTER, {"input": {"card": card}})
    payload: dict[str, Any] = data["registerDocument"]
    return payload


async def filed_in(w: World, document_id: str) -> list[str]:
    rows = await w.platform.db.read(
        "MATCH (:Document {id: $id})-[:FILED_IN]->(c:Case) RETURN c.id AS id", {"id": document_id}
    )
    return [r["id"] for r in rows]


async def filing_steps(w: World, document_id: str) -> list[dict[str, Any]]:
    steps = (await w.gql("registrar", TIMELINE, {"id": document_id}))["documentTimeline"]
    return [s["details"] for s in steps if s["step"] == "file_into_case"]


async def document_count(w: World, case_id: str) -> int:
    count: int = (await w.gql("auditor", CASE, {"id": case_id}))["case"]["documentCount"]
    return count


async def test_registration_files_by_the_card_index_warns_before_approval_refuses_after(
    world: World,
) -> None:
    w = world
    # no nomenclature for the year: a free-text index registers as before, silently
    free = await register(w, "Köhnə nömrələmə", "01-05")
    assert free["userErrors"] == [] and free["document"]["caseIndex"] == "01-05"
    free_id = free["document"]["documentId"]
    assert await filed_in(w, free_id) == [] and await filing_steps(w, free_id) == []
    audit = await w.platform.db.read(
        "MATCH (e:AuditEvent {action: 'edms.document.register', targetId: $id}) "
        "RETURN e.details AS details",
        {"id": free_id},
    )
    assert "01-05" in json.loads(audit[0]["details"])["filing"]["warning"]

    cases = await plan(w, approve=False)  # drafted, not yet approved
    filed = await register(w, "Vergi uçotu sorğusu", "DEPT-IT-01")
    assert filed["userErrors"] == []
    doc = filed["document"]["documentId"]
    assert await filed_in(w, doc) == [cases["DEPT-IT-01"]]
    assert await document_count(w, cases["DEPT-IT-01"]) == 1
    [step] = await filing_steps(w, doc)
    assert step["caseId"] == cases["DEPT-IT-01"] and step["at"] == "registration"
    events = await w.platform.db.read(
        "MATCH (e:ChangeEvent {action: 'edms.document.register'}) "
        "WHERE e.entityId IN [$doc, $case] AND e.entityKind IN ['Case', 'Document'] "
        "RETURN e.entityKind AS kind, e.fields AS fields ORDER BY e.seq",
        {"doc": doc, "case": cases["DEPT-IT-01"]},
    )
    assert {"kind": "Document", "fields": ["caseIndex"]} in events
    assert {"kind": "Case", "fields": ["documents"]} in events

    # the card's index is now a link: Document.case, one query for a whole page of documents
    linked = await w.gql("registrar", CASE_OF_DOCUMENT, {"id": doc})
    assert linked["document"]["case"] == {"caseId": cases["DEPT-IT-01"], "year": YEAR}
    unlinked = await w.gql("registrar", CASE_OF_DOCUMENT, {"id": free_id})
    assert unlinked["document"]["case"] is None
    counts = []
    for query in (PAGE.replace("CASE", ""), PAGE.replace("CASE", "case { index }")):
        trips = []
        for _ in range(3):  # the fewest of three: a request may also refresh the auth caches
            w.platform.db.round_trips = 0
            page = await w.gql("registrar", query)
            trips.append(w.platform.db.round_trips)
        counts.append(min(trips))
    nodes = [e["node"] for e in page["documents"]["edges"]]
    assert len(nodes) == 2 and {"index": "DEPT-IT-01"} in [n["case"] for n in nodes]
    assert None in [n["case"] for n in nodes]
    assert counts[1] == counts[0] + 1

    # an index the draft nomenclature lacks: registered unfiled, the timeline warns
    early = await register(w, "Plan hələ təsdiqlənməyib", "DEPT-IT-99")
    assert early["userErrors"] == [] and early["document"]["regNumber"]
    early_id = early["document"]["documentId"]
    assert await filed_in(w, early_id) == []
    [warned] = await filing_steps(w, early_id)
    assert "DEPT-IT-99" in warned["warning"] and "caseId" not in warned

    await plan(w)  # approved: an index outside it is a mistake
    refused = await register(w, "Səhv indeks", "DEPT-IT-98")
    [error] = refused["userErrors"]
    assert error["field"] == "caseIndex" and error["code"] == "NOT_FOUND"
    assert "DEPT-IT-98" in error["message"] and str(YEAR) in error["message"]
    none = await w.platform.db.read(
        "MATCH (d:Document {subject: 'Səhv indeks'}) RETURN count(d) AS n"
    )
    assert none[0]["n"] == 0  # the registration rolled back: no document, no number

    # this year's case is closed, next year's is open: the error names the open one
    closed = await w.gql(
        "archivist", STEP, {"input": {"caseId": cases["DEPT-IT-03"], "to": "CLOSED"}}
    )
    assert closed["changeCaseStatus"]["userErrors"] == []
    registrar = w.principal("registrar")
    await create_nomenclature(w.platform, registrar, YEAR + 1)
    following = await add_case(
        w.platform, registrar, CaseDraft(YEAR + 1, "DEPT-IT", 3, TITLES[3], retention_years=5)
    )
    late = await register(w, "Bağlı işə", "DEPT-IT-03")
    [error] = late["userErrors"]
    assert error["field"] == "caseIndex" and error["code"] == "CONFLICT"
    assert "'closed'" in error["message"] and following in error["message"]


async def test_completion_files_by_the_card_and_a_case_in_execution_is_not_closed(
    world: World,
) -> None:
    w = world
    cases = await plan(w)
    # registered into DEPT-IT-04 and put under a resolution: the case cannot be closed
    busy = await register(w, "Nəzarətdə olan sorğu", "DEPT-IT-04")
    busy_id, busy_number = busy["document"]["documentId"], busy["document"]["regNumber"]
    resolution = await write(
        w,
        "head",
        documentId=busy_id,
        mainExecutor="executor1",
        instruction="İcra edin",
        workingDays=5,
    )
    assert resolution["userErrors"] == []
    close = {"input": {"caseId": cases["DEPT-IT-04"], "to": "CLOSED"}}
    early = (await w.gql("archivist", STEP, close))["changeCaseStatus"]
    [error] = early["userErrors"]
    assert error["code"] == "INVALID_TRANSITION" and busy_number in error["message"]

    # a document registered without an index, given one later on its card: filed at completion
    later = await register(w, "Sonradan indekslənən", None)
    later_id = later["document"]["documentId"]
    card = await w.gql(
        "registrar", UPDATE, {"input": {"documentId": later_id, "caseIndex": "DEPT-IT-02"}}
    )
    assert card["updateDocumentCard"]["userErrors"] == []
    assert await filed_in(w, later_id) == []
    unknown = await register(w, "Naməlum indeks sonradan", None)
    unknown_id = unknown["document"]["documentId"]
    await w.gql("registrar", UPDATE, {"input": {"documentId": unknown_id, "caseIndex": "X-1"}})

    for document_id in (busy_id, later_id, unknown_id):
        if document_id != busy_id:
            made = await write(
                w,
                "head",
                documentId=document_id,
                mainExecutor="executor1",
                instruction="Baxın",
                workingDays=5,
            )
            rid, task = made["resolution"]["resolutionId"], made["resolution"]["tasks"][0]["taskId"]
        else:
            rid = resolution["resolution"]["resolutionId"]
            task = resolution["resolution"]["tasks"][0]["taskId"]
        await w.gql("executor1", REPORT, {"input": {"taskId": task, "report": "Hazırdır."}})
        if document_id == busy_id:  # executed, still on control: still not closed
            still = (await w.gql("archivist", STEP, close))["changeCaseStatus"]
            assert [e["code"] for e in still["userErrors"]] == ["INVALID_TRANSITION"]
        removed = (await w.gql("head", REMOVE, {"input": {"resolutionId": rid}}))[
            "removeFromControl"
        ]
        assert removed["userErrors"] == [], removed  # completion never refuses
        assert removed["resolution"]["document"]["status"] == "closed"

    assert await filed_in(w, later_id) == [cases["DEPT-IT-02"]]
    [step] = await filing_steps(w, later_id)
    assert step["at"] == "completion" and step["caseId"] == cases["DEPT-IT-02"]
    assert await filed_in(w, unknown_id) == []
    [warned] = await filing_steps(w, unknown_id)
    assert "X-1" in warned["warning"]
    assert await filed_in(w, busy_id) == [cases["DEPT-IT-04"]]  # already there: unchanged
    assert len(await filing_steps(w, busy_id)) == 1
    done = (await w.gql("archivist", STEP, close))["changeCaseStatus"]
    assert done["userErrors"] == [] and done["case"]["status"] == "CLOSED"

    # filing without action names the case itself: refused outside the approved plan
    info = (await register(w, "Məlumat üçün", None))["document"]["documentId"]
    wrong = (
        await w.gql(
            "registrar",
            FILE_WITHOUT_ACTION,
            {"input": {"documentId": info, "reason": "məlumat üçün", "caseIndex": "DEPT-IT-97"}},
        )
    )["fileDocumentWithoutAction"]
    assert [(e["field"], e["code"]) for e in wrong["userErrors"]] == [("caseIndex", "NOT_FOUND")]
    right = (
        await w.gql(
            "registrar",
            FILE_WITHOUT_ACTION,
            {"input": {"documentId": info, "reason": "məlumat üçün", "caseIndex": "DEPT-IT-01"}},
        )
    )["fileDocumentWithoutAction"]
    assert right["userErrors"] == [] and right["document"]["status"] == "closed"
    assert await filed_in(w, info) == [cases["DEPT-IT-01"]]


async def to_sign(w: World, subject: str, index: str) -> str:
    """An outgoing draft through its visas and form check, its card naming ``index``."""

    async def work(m: Mutation) -> str:
        card = DocumentCard(kind="outgoing", subject=subject, unit="DEPT-IT", case_index=index)
        doc = await create_document_in_unit(m, card, status="to_sign")
        await store_file_in_unit(
            m,
            doc,
            pdf_with_text(f"Cavab {index}"),
            filename="cavab.pdf",
            content_type=None,
            role="draft",
        )
        return doc

    return await run_mutation(w.platform, SYSTEM, "edms.draft.create", Resource("Document"), work)


async def test_a_draft_is_filed_when_it_is_signed_and_numbered(world: World) -> None:
    w = world
    cases = await plan(w)
    doc = await to_sign(w, "Vergi orqanına cavab", "DEPT-IT-05")
    assert await filed_in(w, doc) == []
    signed = (await w.gql("head", SIGN, {"input": {"documentId": doc}}))["signDocument"]
    assert signed["userErrors"] == [] and signed["registrationNumber"]
    assert await filed_in(w, doc) == [cases["DEPT-IT-05"]]

    # a draft naming an index outside the approved plan is refused as it is created
    create = (
        "mutation($input: CreateDraftInput!) { createDraft(input: $input) {"
        " documentId " + ERRORS + " } }"
    )
    draft = {"kind": "OUTGOING", "subject": "Cavab layihəsi", "unit": "DEPT-IT"}
    early = await w.gql("head", create, {"input": {**draft, "caseIndex": "DEPT-IT-95"}})
    [error] = early["createDraft"]["userErrors"]
    assert error["field"] == "caseIndex" and "DEPT-IT-95" in error["message"]
    made = await w.gql("head", create, {"input": {**draft, "caseIndex": "DEPT-IT-05"}})
    assert made["createDraft"]["userErrors"] == [] and made["createDraft"]["documentId"]

    # the plan changed after the draft was made (here: made past the check): refused at signing
    stray = await to_sign(w, "Səhv işə cavab", "DEPT-IT-96")
    refused = (await w.gql("head", SIGN, {"input": {"documentId": stray}}))["signDocument"]
    [error] = refused["userErrors"]
    assert error["field"] == "caseIndex" and "DEPT-IT-96" in error["message"]
    left = await w.platform.db.read(
        "MATCH (d:Document {id: $id}) "
        "RETURN d.status AS status, d.regNumber AS number, "
        "COUNT { (:DocumentFile {documentId: $id, role: 'signed'}) } AS signed",
        {"id": stray},
    )
    assert left == [{"status": "to_sign", "number": None, "signed": 0}]
