"""The document state machine and registration with its original file: racing steps are
serialised (one wins, the other is INVALID_TRANSITION naming the new state); a registration
with a file stores it as the original in the same unit, and a refused one leaves neither."""

from __future__ import annotations

import asyncio
import hashlib
import json

import pytest

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.core.errors import InvalidTransition
from asan.edms.documents import flows
from asan.edms.documents.access import document_target
from asan.edms.documents.models import DocumentCard
from asan.edms.documents.timeline import record_step
from asan.edms.documents.use_cases import create_document_in_unit
from tests.edms.conftest import World
from tests.edms.files_support import pdf_with_text
from tests.edms.support import DOCUMENT_FIELDS, letter

REGISTER_WITH_FILE = (
    "mutation($input: RegisterDocumentInput!) { registerDocument(input: $input) {"
    " document {" + DOCUMENT_FIELDS + "} userErrors { field message code } } }"
)
FILES = "query($id: ID!) { documentFiles(documentId: $id) { role sha256 filename } }"


async def _draft(w: World) -> str:
    async def work(m: Mutation) -> str:
        card = DocumentCard(kind="outgoing", subject="Cavab layihəsi", unit="DEPT-IT")
        return await create_document_in_unit(m, card, status="draft")

    return await run_mutation(
        w.platform, w.principal("registrar"), "edms.document.register", Resource("Document"), work
    )


async def _step(w: World, who: str, document_id: str, step: str) -> tuple[str, str]:
    async def work(m: Mutation) -> tuple[str, str]:
        moved = await flows.advance(m.tx, document_id, step)
        await record_step(m.tx, document_id, step, m.principal)
        return moved

    return await run_mutation(
        w.platform, w.principal(who), "edms.document.update", document_target(document_id), work
    )


async def test_racing_steps_are_serialised(edms_world: World) -> None:
    w = edms_world
    draft = await _draft(w)
    results = await asyncio.gather(
        *(_step(w, "registrar", draft, "send_to_visa") for _ in range(4)), return_exceptions=True
    )
    won = [r for r in results if not isinstance(r, BaseException)]
    lost = [r for r in results if isinstance(r, BaseException)]
    assert won == [("draft", "on_visa")]
    assert len(lost) == 3 and all(isinstance(e, InvalidTransition) for e in lost)
    assert "'on_visa'" in str(lost[0]) and "reject, visas_complete" in str(lost[0])
    rows = await w.platform.db.read(
        "MATCH (e:DocumentEvent {documentId: $id}) RETURN e.step AS step ORDER BY e.at",
        {"id": draft},
    )
    assert [r["step"] for r in rows] == ["create", "send_to_visa"]


def test_the_tables_of_the_contract() -> None:
    assert flows.allowed_steps("incoming", "registered") == ["file_without_action", "resolve"]
    assert flows.next_status("outgoing", "signed", "dispatch") == "dispatched"
    assert flows.next_status("order", "signed", "distribute") == "dispatched"
    with pytest.raises(InvalidTransition):
        flows.next_status("internal", "signed", "dispatch")
    with pytest.raises(RuntimeError):
        flows.register_kind("incoming", {"received": {}})


async def test_registration_with_its_original_file(edms_world: World) -> None:
    w = edms_world
    pdf = pdf_with_text("Letter of the Ministry of Taxes")

    async def send(card: dict[str, object]) -> dict:
        operations = {
            "query": REGISTER_WITH_FILE,
            "variables": {"input": {"card": card, "file": None}},
        }
        response = await w.client.post(
            "/graphql",
            headers={**w.headers("registrar"), "Apollo-Require-Preflight": "true"},
            data={
                "operations": json.dumps(operations),
                "map": json.dumps({"0": ["variables.input.file"]}),
            },
            files={"0": ("məktub.pdf", pdf, "application/pdf")},
        )
        payload: dict = response.json()["data"]["registerDocument"]
        return payload

    refused = await send(letter("Faylla, səhv kart", correspondentBody="NO-BODY"))
    assert refused["document"] is None
    orphans = await w.platform.db.read(
        "MATCH (f:DocumentFile) WHERE f.filename = 'məktub.pdf' RETURN count(f) AS n"
    )
    assert orphans[0]["n"] == 0
    done = await send(letter("Faylla gələn məktub"))
    assert done["userErrors"] == [] and done["document"]["status"] == "registered"
    files = (await w.gql("registrar", FILES, {"id": done["document"]["documentId"]}))[
        "documentFiles"
    ]
    originals = [f for f in files if f["role"] == "ORIGINAL"]
    assert originals == [
        {"role": "ORIGINAL", "sha256": hashlib.sha256(pdf).hexdigest(), "filename": "məktub.pdf"}
    ]


async def test_filing_without_action_and_archiving(edms_world: World) -> None:
    w = edms_world
    register = (
        "mutation($input: RegisterDocumentInput!) { registerDocument(input: $input) {"
        " document { documentId } } }"
    )
    file_it = (
        "mutation($input: FileDocumentWithoutActionInput!) {"
        " fileDocumentWithoutAction(input: $input) {"
        " document { status caseIndex allowedSteps } userErrors { field code message } } }"
    )
    archive = (
        "mutation($input: ArchiveDocumentInput!) { archiveDocument(input: $input) {"
        " document { status allowedSteps } userErrors { field code message } } }"
    )
    doc = (await w.gql("registrar", register, {"input": {"card": letter("Məlumat üçün")}}))[
        "registerDocument"
    ]["document"]["documentId"]
    # not yet closed: archiving names the state and what is allowed
    early = (await w.gql("archivist", archive, {"input": {"documentId": doc}}))["archiveDocument"]
    assert early["userErrors"][0]["code"] == "INVALID_TRANSITION"
    assert "'registered'" in early["userErrors"][0]["message"]
    # a case is needed; an outsider may not, and learns nothing
    no_case = (
        await w.gql("head", file_it, {"input": {"documentId": doc, "reason": "məlumat üçün"}})
    )["fileDocumentWithoutAction"]
    assert [e["field"] for e in no_case["userErrors"]] == ["caseIndex"]
    hidden = await w.post(
        "outsider", file_it, {"input": {"documentId": doc, "reason": "x", "caseIndex": "01"}}
    )
    assert hidden["data"]["fileDocumentWithoutAction"]["userErrors"][0]["code"] == "NOT_FOUND"
    filed = (
        await w.gql(
            "head",
            file_it,
            {"input": {"documentId": doc, "reason": "məlumat üçün", "caseIndex": "01-07"}},
        )
    )["fileDocumentWithoutAction"]
    assert filed == {
        "document": {"status": "closed", "caseIndex": "01-07", "allowedSteps": ["archive"]},
        "userErrors": [],
    }
    done = (await w.gql("archivist", archive, {"input": {"documentId": doc}}))["archiveDocument"]
    assert done == {"document": {"status": "archived", "allowedSteps": []}, "userErrors": []}
    steps = (
        await w.gql(
            "registrar",
            "query($id: String!) { documentTimeline(id: $id) { step actor } }",
            {"id": doc},
        )
    )["documentTimeline"]
    assert [s["step"] for s in steps] == ["create", "register", "file_without_action", "archive"]
    assert steps[2]["actor"] == w.users["head"] and steps[3]["actor"] == w.users["archivist"]
