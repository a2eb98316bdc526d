"""Signing documents through GraphQL against real Neo4j and MinIO, checked by poppler's pdfsig.

The whole way of an outgoing draft to its signature (drafts part's mutations), the deputy
acting for the head recorded, the number from the OUT journal, the visible block, a replay
with the same client mutation id, two signatures racing, a changed byte in the object store
failing verification, a file that is not a PDF signed with a detached JWS, and a step in the
wrong state answered with INVALID_TRANSITION.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import subprocess
from pathlib import Path
from typing import Any

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import SYSTEM
from asan.edms.documents.models import DocumentCard
from asan.edms.documents.use_cases import create_document_in_unit
from asan.edms.files.reads import file_by_id, read_bytes
from asan.edms.files.use_cases import store_file_in_unit
from asan.edms.signatures import jws
from tests.edms.conftest import World
from tests.edms.files_support import pdf_with_text, png

SIGN = """
mutation($input: SignDocumentInput!) {
  signDocument(input: $input) {
    documentId signatureId fileId registrationNumber verificationCode
    userErrors { field message code } clientMutationId
  }
}
"""

VERIFY_FIELDS = """
  valid kind intact coversWholeFile certificateStatus signerName signerId signedAt
  certificateSerial problems signatureId documentId fileId actingFor actingForName
  registrationNumber verificationCode
"""
VERIFY_DOCUMENT = "query($id: ID!) { verifyDocumentSignature(documentId: $id) { FIELDS } }".replace(
    "FIELDS", VERIFY_FIELDS
)
VERIFY_FILE = "query($id: ID!) { verifySignedFile(fileId: $id) { FIELDS } }".replace(
    "FIELDS", VERIFY_FIELDS
)

VERIFY_CODE = "query($code: String!) { verifySignatureCode(code: $code) { FIELDS } }".replace(
    "FIELDS", VERIFY_FIELDS
)

CREATE_DRAFT = """
mutation($input: CreateDraftInput!) {
  createDraft(input: $input) {
    documentId draft { route { id user } } userErrors { field message code }
  }
}
"""
SEND = """
mutation($id: String!) {
  sendDraftToVisa(input: {documentId: $id}) { status userErrors { field message code } }
}
"""
DECIDE = """
mutation($input: DecideVisaInput!) {
  decideVisa(input: $input) { status userErrors { field message code } }
}
"""
CHECK = """
mutation($input: CheckDraftFormInput!) {
  checkDraftForm(input: $input) { status userErrors { field message code } }
}
"""


def pdfsig(tmp_path: Path, data: bytes, name: str) -> str:
    """poppler's verdict on a PDF: an independent implementation (NSS), not pyHanko."""
    path = tmp_path / name
    path.write_bytes(data)
    done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60)
    return done.stdout + done.stderr


def pdftotext(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "text.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, timeout=60)
    return done.stdout


async def to_sign(
    w: World,
    data: bytes,
    *,
    filename: str = "cavab.pdf",
    content_type: str = "application/pdf",
    status: str = "to_sign",
) -> str:
    """A draft already through its visas and form check (documents and files parts' own
    use cases), with ``data`` as its current draft version."""

    async def work(m: Mutation) -> str:
        doc = await create_document_in_unit(
            m, DocumentCard(kind="outgoing", subject="Cavab məktubu", unit="DEPT-IT"), status=status
        )
        await store_file_in_unit(
            m, doc, data, filename=filename, content_type=content_type, role="draft"
        )
        return doc

    return await run_mutation(w.platform, SYSTEM, "edms.draft.create", Resource("Document"), work)


async def sign(w: World, who: str, doc: str, cmid: str | None = None) -> dict[str, Any]:
    data = await w.gql(who, SIGN, {"input": {"documentId": doc, "clientMutationId": cmid}})
    result: dict[str, Any] = data["signDocument"]
    return result


async def stored_bytes(w: World, file_id: str) -> bytes:
    stored = await file_by_id(w.platform.db, file_id)
    assert stored is not None
    return await read_bytes(w.platform, stored)


async def verify_upload(w: World, who: str, data: bytes, filename: str) -> dict[str, Any]:
    """verifySignedFile with the bytes as a multipart upload (CSRF header included)."""
    query = "query($file: Upload) { verifySignedFile(file: $file) { FIELDS } }".replace(
        "FIELDS", VERIFY_FIELDS
    )
    response = await w.client.post(
        "/graphql",
        headers={**w.headers(who), "Apollo-Require-Preflight": "true"},
        data={
            "operations": json.dumps({"query": query, "variables": {"file": None}}),
            "map": json.dumps({"0": ["variables.file"]}),
        },
        files={"0": (filename, data, "application/octet-stream")},
    )
    body = response.json()
    assert not body.get("errors"), body
    result: dict[str, Any] = body["data"]["verifySignedFile"]
    return result


async def multipart_create(w: World, who: str, variables: dict[str, Any], data: bytes) -> str:
    operations = {"query": CREATE_DRAFT, "variables": {"input": {**variables, "file": None}}}
    response = await w.client.post(
        "/graphql",
        headers={**w.headers(who), "Apollo-Require-Preflight": "true"},
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": ("cavab.pdf", data, "application/pdf")},
    )
    body = response.json()
    assert not body.get("errors"), body
    created = body["data"]["createDraft"]
    assert created["userErrors"] == []
    doc: str = created["documentId"]
    return doc


async def test_a_draft_signed_by_the_acting_deputy_passes_pdfsig(
    edms_world: World, tmp_path: Path
) -> None:
    w, u = edms_world, edms_world.users
    doc = await multipart_create(
        w,
        "executor1",
        {
            "kind": "OUTGOING",
            "subject": "Vergilər Nazirliyinə cavab",
            "unit": "DEPT-IT-SEC-1",
            "addressees": [{"kind": "STATE_BODY", "stateBody": "MIN-TAX"}],
            "route": {
                "steps": [{"stage": 1, "role": "SECTOR_HEAD", "user": u["sector2"]}],
                "signatory": u["head"],
            },
        },
        pdf_with_text("Cavab mektubu"),
    )
    assert (await w.gql("executor1", SEND, {"id": doc}))["sendDraftToVisa"]["userErrors"] == []
    step = await w.platform.db.read(
        "MATCH (s:VisaStep)-[:OF]->(:Document {id: $id}) RETURN s.id AS id", {"id": doc}
    )
    decided = await w.gql(
        "sector2",
        DECIDE,
        {"input": {"documentId": doc, "stepId": step[0]["id"], "decision": "APPROVE"}},
    )
    assert decided["decideVisa"]["userErrors"] == []
    checked = await w.gql("registrar2", CHECK, {"input": {"documentId": doc}})
    assert checked["checkDraftForm"]["status"] == "to_sign"

    # neither someone who cannot see it nor a reader who is not the signatory may sign
    hidden = await sign(w, "outsider", doc)  # hidden: NOT_FOUND, as if it did not exist
    assert [e["code"] for e in hidden["userErrors"]] == ["NOT_FOUND"]
    reader = await w.post("executor1", SIGN, {"input": {"documentId": doc}})
    assert reader["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    # the route names the head; the head is on leave and the deputy signs for them
    signed = await sign(w, "deputy", doc, cmid="sign-1")
    assert signed["userErrors"] == [] and signed["clientMutationId"] == "sign-1"
    number = signed["registrationNumber"]
    assert re.fullmatch(r"Ç-\d+/\d{4}", number), number  # the OUT journal's pattern
    replay = await sign(w, "deputy", doc, cmid="sign-1")
    assert replay["registrationNumber"] == number and replay["signatureId"] == signed["signatureId"]
    rows = await w.platform.db.read(
        "MATCH (d:Document {id: $id}) OPTIONAL MATCH (s:Signature)-[:OF]->(d) "
        "RETURN d.status AS status, d.regNumber AS reg, d.journalCode AS journal, "
        "count(s) AS signatures",
        {"id": doc},
    )
    assert rows[0] == {"status": "signed", "reg": number, "journal": "OUT", "signatures": 1}

    # poppler checks the PAdES signature on its own; the visible block is in the page
    data = await stored_bytes(w, signed["fileId"])
    verdict = pdfsig(tmp_path, data, "signed.pdf")
    assert "Signature is Valid." in verdict and "Total document signed" in verdict, verdict
    assert "Deputy" in verdict  # the certificate's common name: the signer's own name
    text = pdftotext(tmp_path, data)
    assert number in text and signed["verificationCode"] in text
    assert "Əvəzinə / Acting for: Head" in text
    changed = bytearray(data)
    changed[data.index(b"Cavab mektubu") + 1] ^= 0x01  # one byte of the signed page
    assert "Signature is Valid." not in pdfsig(tmp_path, bytes(changed), "changed.pdf")

    # the query: signer, time, acting-for, certificate status, integrity
    check = (await w.gql("registrar", VERIFY_DOCUMENT, {"id": doc}))["verifyDocumentSignature"]
    assert check["valid"] is True and check["intact"] is True and check["problems"] == []
    assert (check["kind"], check["certificateStatus"]) == ("PADES", "VALID")
    assert (check["signerId"], check["signerName"]) == (u["deputy"], "Deputy")
    assert (check["actingFor"], check["actingForName"]) == (u["head"], "Head")
    assert check["registrationNumber"] == number and check["signedAt"]
    by_file = (await w.gql("deputy", VERIFY_FILE, {"id": signed["fileId"]}))["verifySignedFile"]
    assert by_file["valid"] is True and by_file["signatureId"] == signed["signatureId"]

    # the printed code, checked by anyone (a public document), typed as a person would
    code = signed["verificationCode"]
    by_code = await w.post(None, VERIFY_CODE, {"code": code.lower().replace("-", " ")})
    assert by_code["data"]["verifySignatureCode"]["valid"] is True, by_code
    assert by_code["data"]["verifySignatureCode"]["registrationNumber"] == number
    unknown = await w.post(None, VERIFY_CODE, {"code": "AAAA-BBBB-CCCC"})
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    # bytes someone holds: the PDF verifies from itself for anyone; the registry's facts
    # (acting-for, number) only for a reader of the document
    held = await verify_upload(w, "outsider", data, "məktub.pdf")
    assert held["valid"] is True and held["signerId"] == u["deputy"]
    assert held["actingFor"] is None and held["registrationNumber"] is None
    known = await verify_upload(w, "registrar", data, "məktub.pdf")
    assert known["actingFor"] == u["head"] and known["registrationNumber"] == number
    assert (await verify_upload(w, "registrar", bytes(changed), "x.pdf"))["intact"] is False

    steps = await w.platform.db.read(
        "MATCH (e:DocumentEvent {documentId: $id, step: 'sign'}) "
        "RETURN e.actor AS actor, e.actingFor AS actingFor",
        {"id": doc},
    )
    assert steps == [{"actor": u["deputy"], "actingFor": u["head"]}]
    events = await w.platform.db.read(
        "MATCH (c:ChangeEvent {entityId: $id, action: 'edms.document.sign'}) "
        "RETURN c.operation AS op",
        {"id": doc},
    )
    assert sorted(e["op"] for e in events) == ["status_changed", "updated"]  # status, files

    # a byte changed in the object store after signing: the query sees it
    stored = await file_by_id(w.platform.db, signed["fileId"])
    assert stored is not None
    await w.platform.store.put(stored.bucket, stored.object_key, bytes(changed))
    broken = (await w.gql("registrar", VERIFY_DOCUMENT, {"id": doc}))["verifyDocumentSignature"]
    assert broken["valid"] is False and broken["intact"] is False and broken["problems"]


async def test_two_signatures_racing_one_wins_the_other_is_invalid_transition(
    edms_world: World,
) -> None:
    w = edms_world
    doc = await to_sign(w, pdf_with_text("Yarisan imzalar"))
    first, second = await asyncio.gather(sign(w, "head", doc), sign(w, "deputy", doc))
    outcomes = sorted([bool(first["userErrors"]), bool(second["userErrors"])])
    assert outcomes == [False, True]
    loser = first if first["userErrors"] else second
    assert loser["userErrors"][0]["code"] == "INVALID_TRANSITION"
    assert "signed" in loser["userErrors"][0]["message"]
    rows = await w.platform.db.read(
        "MATCH (f:DocumentFile {documentId: $id, role: 'signed'}) RETURN count(f) AS n",
        {"id": doc},
    )
    assert rows[0]["n"] == 1


async def test_a_step_in_the_wrong_state_names_the_state_and_allowed_steps(
    edms_world: World,
) -> None:
    w = edms_world
    doc = await to_sign(w, pdf_with_text("Hele layihe"), status="draft")
    refused = await sign(w, "head", doc)
    assert refused["userErrors"][0]["code"] == "INVALID_TRANSITION"
    message = refused["userErrors"][0]["message"]
    assert "'draft'" in message and "send_to_visa" in message
    rows = await w.platform.db.read(
        "MATCH (d:Document {id: $id}) RETURN d.status AS status, d.regNumber AS reg", {"id": doc}
    )
    assert rows[0] == {"status": "draft", "reg": None}  # no number taken


async def test_a_file_that_is_not_a_pdf_gets_a_detached_jws(edms_world: World) -> None:
    w, u = edms_world, edms_world.users
    image = png(8, 8)
    doc = await to_sign(w, image, filename="sxem.png", content_type="image/png")
    signed = await sign(w, "head", doc)
    assert signed["userErrors"] == []
    assert await stored_bytes(w, signed["fileId"]) == image  # the signed version is the file
    check = (await w.gql("head", VERIFY_DOCUMENT, {"id": doc}))["verifyDocumentSignature"]
    assert (check["kind"], check["valid"], check["certificateStatus"]) == ("JWS", True, "VALID")
    assert check["signerId"] == u["head"] and check["actingFor"] is None

    row = (
        await w.platform.db.read(
            "MATCH (s:Signature {documentId: $id}) RETURN s.jws AS jws, s.statement AS st",
            {"id": doc},
        )
    )[0]
    header_b64, payload, _ = row["jws"].split(".")
    assert payload == ""  # detached
    header = json.loads(base64.urlsafe_b64decode(header_b64 + "=" * (-len(header_b64) % 4)))
    assert header["alg"] == "RS256" and len(header["x5c"]) == 2  # signer and agency CA
    statement = json.loads(row["st"])
    assert statement["registrationNumber"] == signed["registrationNumber"]
    roots = await _roots(w)
    assert (await jws.verify_detached(image, statement, row["jws"], roots)).ok
    for i in (0, len(image) // 2, len(image) - 1):  # any changed byte fails
        changed = bytearray(image)
        changed[i] ^= 0x01
        assert not (await jws.verify_detached(bytes(changed), statement, row["jws"], roots)).ok
    # a non-PDF verifies only by its registered JWS: not for someone who may not read it
    stranger = await w.post(
        "outsider",
        "query($id: ID!) { verifySignedFile(fileId: $id) { valid } }",
        {"id": signed["fileId"]},
    )
    assert stranger["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    held = await verify_upload(w, "outsider", image, "sxem.png")
    assert held["valid"] is False and held["kind"] == "JWS" and held["signatureId"] is None
    forged = {**statement, "signer": u["deputy"]}  # the statement cannot be edited either
    assert not (await jws.verify_detached(image, forged, row["jws"], roots)).ok


async def _roots(w: World) -> list[Any]:
    from asan.edms.signatures.credentials import signature_settings, trust_roots_for

    return await trust_roots_for(w.platform.settings, signature_settings())
