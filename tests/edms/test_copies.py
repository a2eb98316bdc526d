"""Certified copies through GraphQL with real Neo4j and MinIO, checked by poppler too.

A registered, signed letter is copied: the copy carries "Əslinə uyğundur", the certifier, their
position, the date, the original's SHA-256 and a code (pdftotext reads them back), is a new
``certified_copy`` version derived from the original, and is PAdES-signed (pdfsig verifies
it). Anyone, signed in or not, checks it by code or by uploading it; a changed byte is caught.
"""

from __future__ import annotations

import asyncio
import hashlib
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from asan.edms.copies import making
from tests.edms.conftest import World
from tests.edms.dispatch_support import signed_document, upload
from tests.edms.files_support import png

CERTIFY = """
mutation($input: CertifyCopyInput!) {
  certifyCopy(input: $input) {
    copy { code certifierName position unit certifiedAt regNumber originalSha256 copySha256
           copyFileId originalFileId downloadUrl }
    userErrors { field message code }
  }
}"""
VERIFY_CODE = """
query($code: String) { verifyCertifiedCopy(code: $code) {
  valid found originalMatches copyMatches signatureValid problems
  copy { code certifierName position certifiedAt regNumber originalSha256 copySha256 } } }"""
VERIFY_FILE = """
query($code: String, $file: Upload) { verifyCertifiedCopy(code: $code, file: $file) {
  valid found originalMatches copyMatches signatureValid problems copy { code } } }"""
FILES = """
query($id: ID!) { documentFiles(documentId: $id, allVersions: true) {
  id role sha256 derivedFrom } }"""


@pytest.fixture(scope="module", autouse=True)
async def mark_pool() -> AsyncIterator[None]:
    """The copies' stamping pool (started on first use) ends with the module."""
    yield
    await making.close_pool()


def poppler(tool: str, data: bytes, tmp: Path) -> str:
    path = tmp / "copy.pdf"
    path.write_bytes(data)
    args = [tool, str(path), "-"] if tool == "pdftotext" else [tool, str(path)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
    return done.stdout + done.stderr


async def test_certified_copy_is_marked_signed_bound_and_verifiable(
    edms_world: World, tmp_path: Path
) -> None:
    w = edms_world
    doc, number = await signed_document(w, "Arayış")
    files = (await w.gql("registrar", FILES, {"id": doc}))["documentFiles"]
    original = next(f for f in files if f["role"] == "SIGNED")

    refused = await w.gql("outsider", CERTIFY, {"input": {"documentId": doc}})
    assert refused["certifyCopy"]["userErrors"][0]["code"] == "NOT_FOUND"

    out = (
        await w.gql(
            "registrar", CERTIFY, {"input": {"documentId": doc, "clientMutationId": "copy-1"}}
        )
    )["certifyCopy"]
    assert out["userErrors"] == []
    copy = out["copy"]
    assert copy["originalSha256"] == original["sha256"]
    assert copy["originalFileId"] == original["id"]
    assert copy["regNumber"] == number
    assert copy["certifierName"] == "Registrar" and copy["position"] == "Qeydiyyatçı"
    assert copy["unit"] == "Qeydiyyat sektoru"
    again = (
        await w.gql(
            "registrar", CERTIFY, {"input": {"documentId": doc, "clientMutationId": "copy-1"}}
        )
    )["certifyCopy"]
    assert again["copy"]["code"] == copy["code"]  # done once

    files = (await w.gql("registrar", FILES, {"id": doc}))["documentFiles"]
    copies = [f for f in files if f["role"] == "CERTIFIED_COPY"]
    assert len(copies) == 1 and copies[0]["id"] == copy["copyFileId"]
    assert copies[0]["derivedFrom"] == original["id"]
    assert copies[0]["sha256"] == copy["copySha256"]

    got = await w.client.get(copy["downloadUrl"], headers=w.headers("registrar"))
    assert got.status_code == 200
    data = got.content
    assert hashlib.sha256(data).hexdigest() == copy["copySha256"]
    text = await asyncio.to_thread(poppler, "pdftotext", data, tmp_path)
    flat = " ".join(text.split())
    assert "ƏSLİNƏ UYĞUNDUR" in flat
    assert "Registrar" in flat and "Qeydiyyatçı" in flat and copy["code"] in flat
    assert number in flat
    assert original["sha256"][:32] in flat and original["sha256"][32:] in flat
    assert "Ç-1/2026 signatory" in flat  # the original's signature block, drawn flat
    report = await asyncio.to_thread(poppler, "pdfsig", data, tmp_path)
    # one signature, the certifier's: the original's field does not survive as a broken one
    assert "Signature is Valid" in report and "Signature #2" not in report, report
    assert "Registrar" in report

    # anyone: by code, by the copy itself, both; a changed byte is caught
    anyone = (await w.gql(None, VERIFY_CODE, {"code": copy["code"].lower().replace("-", " ")}))[
        "verifyCertifiedCopy"
    ]
    assert anyone["valid"] and anyone["found"] and anyone["originalMatches"]
    assert anyone["copy"]["originalSha256"] == original["sha256"]
    assert anyone["copy"]["position"] == "Qeydiyyatçı"
    by_file = await upload(
        w.client, None, VERIFY_FILE, {"code": None, "file": None}, data, path="file"
    )
    result = by_file["data"]["verifyCertifiedCopy"]
    assert result["valid"] and result["copyMatches"] and result["signatureValid"], result
    assert result["copy"]["code"] == copy["code"]
    changed = bytearray(data)
    at = data.index(b"Arayis") if b"Arayis" in data else len(data) // 3
    changed[at] ^= 0x01
    forged = await upload(
        w.client,
        None,
        VERIFY_FILE,
        {"code": copy["code"], "file": None},
        bytes(changed),
        path="file",
    )
    verdict = forged["data"]["verifyCertifiedCopy"]
    assert verdict["found"] and not verdict["valid"]
    assert verdict["copyMatches"] is False and verdict["signatureValid"] is False
    unknown = (await w.gql(None, VERIFY_CODE, {"code": "SC-AAAA-BBBB-CCCC-DDDD"}))[
        "verifyCertifiedCopy"
    ]
    assert not unknown["found"] and not unknown["valid"] and unknown["copy"] is None

    steps = await w.gql(
        "registrar", "query($id: String!) { documentTimeline(id: $id) { step } }", {"id": doc}
    )
    assert [s["step"] for s in steps["documentTimeline"]].count("certify_copy") == 1


async def test_only_registered_pdf_versions_are_certified(edms_world: World) -> None:
    w = edms_world
    doc, _ = await signed_document(w, "Şəkil", file=None)
    picture = await upload(
        w.client,
        w.tokens["registrar"],
        "mutation($input: UploadDocumentFileInput!) { uploadDocumentFile(input: $input) {"
        " file { id } userErrors { field message code } } }",
        {"input": {"documentId": doc, "role": "ATTACHMENT", "file": None}},
        png(),
        filename="şəkil.png",
    )
    image = picture["data"]["uploadDocumentFile"]["file"]["id"]
    out = (await w.gql("registrar", CERTIFY, {"input": {"documentId": doc, "fileId": image}}))[
        "certifyCopy"
    ]
    assert out["userErrors"][0]["field"] == "fileId" and "PDF" in out["userErrors"][0]["message"]
    copy = (await w.gql("registrar", CERTIFY, {"input": {"documentId": doc}}))["certifyCopy"]
    again = (
        await w.gql(
            "registrar",
            CERTIFY,
            {"input": {"documentId": doc, "fileId": copy["copy"]["copyFileId"]}},
        )
    )["certifyCopy"]
    assert again["userErrors"][0]["field"] == "fileId"  # a copy of a copy is not certified
    # the head of the owning unit certifies too; the position printed is theirs
    by_head = (await w.gql("head", CERTIFY, {"input": {"documentId": doc}}))["certifyCopy"]
    assert by_head["userErrors"] == [] and by_head["copy"]["position"] == "Şöbə müdiri"
