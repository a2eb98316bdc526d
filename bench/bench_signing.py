"""Signing and verifying (issue 10, point 5): signatures per second, verify time of 100 pages.

Measured in one run, each beside its floor:
- PAdES signatures per second of a one-page draft with the visible block, one at a time and
  from 4 concurrent tasks (signing runs in worker threads), against the floor of the same
  number of raw RSA-2048 signatures of a SHA-256 (the cryptography alone);
- detached JWS signatures per second (python-jose, RS256, x5c chain);
- the whole ``signDocument`` use case (lock, number, read the draft from MinIO, sign, store the
  signed version, Signature node, timeline, change log, audit) per second, sequentially and
  from 4 concurrent clients on different documents;
- a 100-page PDF: signing time, and verifying time by pyHanko (integrity, coverage, chain) and
  by poppler's ``pdfsig`` (a separate process, NSS) on the same file.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from pypdf import PdfReader, PdfWriter

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import SYSTEM
from asan.core.platform import Platform
from asan.edms.documents.models import DocumentCard
from asan.edms.documents.use_cases import create_document_in_unit
from asan.edms.files.use_cases import store_file_in_unit
from asan.edms.signatures import jws, pades, pki
from asan.edms.signatures.credentials import credential_for, signature_settings
from asan.edms.signatures.settings import SignatureSettings
from asan.edms.signatures.use_cases import sign_document

PADES_N = 40
CONCURRENCY = 4
USE_CASE_N = 20
PAGES = 100
BLOCK = [
    "Qeydiyyat № / No: Ç-123/2026",
    "Tarix / Date: 30.11.2026",
    "İmzaladı / Signed by: Şəhla Əliyeva",
    "Yoxlama kodu / Verification code: ABCD-EFGH-JKLM",
]


def _one_page(text: str) -> bytes:
    content = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _pages(n: int) -> bytes:
    writer = PdfWriter()
    for i in range(n):
        writer.add_page(PdfReader(io.BytesIO(_one_page(f"Sehife {i + 1} / Page {i + 1}"))).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1)


async def _pades_rates(credential: pki.Credential, draft: bytes) -> dict[str, Any]:
    await pades.sign_pdf(draft, credential, block=BLOCK)  # warm-up: font, caches
    start = time.perf_counter()
    for _ in range(PADES_N):
        await pades.sign_pdf(draft, credential, block=BLOCK)
    sequential = time.perf_counter() - start

    async def worker(k: int) -> None:
        for _ in range(k):
            await pades.sign_pdf(draft, credential, block=BLOCK)

    start = time.perf_counter()
    await asyncio.gather(*(worker(PADES_N // CONCURRENCY) for _ in range(CONCURRENCY)))
    concurrent = time.perf_counter() - start

    start = time.perf_counter()
    for _ in range(PADES_N // 4):
        await pades.sign_pdf(draft, credential)  # no visible block: the font's share
    no_block = (time.perf_counter() - start) / (PADES_N // 4)

    assert credential.key_pem is not None
    key = serialization.load_pem_private_key(credential.key_pem, password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    start = time.perf_counter()
    for _ in range(PADES_N):
        key.sign(hashlib.sha256(draft).digest(), padding.PKCS1v15(), hashes.SHA256())
    floor = time.perf_counter() - start
    return {
        "pades_per_s_sequential": _rate(PADES_N, sequential),
        "pades_per_s_4_tasks": _rate(PADES_N, concurrent),
        "pades_ms_each": round(sequential / PADES_N * 1000, 1),
        "pades_without_block_ms_each": round(no_block * 1000, 1),
        "rsa2048_floor_per_s": _rate(PADES_N, floor),
    }


async def _jws_rate(credential: pki.Credential) -> dict[str, Any]:
    data = b"x" * 100_000
    start = time.perf_counter()
    for _ in range(PADES_N):
        statement = jws.statement_for(data, {"documentId": "bench", "signedAt": jws.now_iso()})
        await jws.sign_detached(statement, credential)
    return {"jws_per_s": _rate(PADES_N, time.perf_counter() - start)}


async def _documents(platform: Platform, n: int, draft: bytes) -> list[str]:
    async def work(m: Mutation) -> list[str]:
        ids = []
        for i in range(n):
            doc = await create_document_in_unit(
                m,
                DocumentCard(kind="outgoing", subject=f"Bench cavab {i}", sample=True),
                status="to_sign",
            )
            await store_file_in_unit(
                m, doc, draft, filename="cavab.pdf", content_type="application/pdf", role="draft"
            )
            ids.append(doc)
        return ids

    return await run_mutation(platform, SYSTEM, "edms.draft.create", Resource("Document"), work)


async def _use_case_rates(platform: Platform, draft: bytes) -> dict[str, Any]:
    sequential_docs = await _documents(platform, USE_CASE_N, draft)
    concurrent_docs = await _documents(platform, USE_CASE_N, draft)
    await sign_document(platform, SYSTEM, (await _documents(platform, 1, draft))[0])  # warm-up
    samples = []
    start = time.perf_counter()
    for doc in sequential_docs:
        t = time.perf_counter()
        await sign_document(platform, SYSTEM, doc)
        samples.append((time.perf_counter() - t) * 1000)
    sequential = time.perf_counter() - start
    queue = list(concurrent_docs)

    async def client() -> None:
        while queue:
            await sign_document(platform, SYSTEM, queue.pop())

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CONCURRENCY)))
    concurrent = time.perf_counter() - start
    return {
        "sign_document_per_s_sequential": _rate(USE_CASE_N, sequential),
        "sign_document_per_s_4_clients": _rate(USE_CASE_N, concurrent),
        "sign_document_p50_ms": round(statistics.median(samples), 1),
        "note": "4 clients share the OUT journal's counter, locked while each signs",
    }


def _pdfsig_ms(path: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=120)
    elapsed = (time.perf_counter() - start) * 1000
    if "Signature is Valid." not in done.stdout:
        raise RuntimeError(f"pdfsig did not validate the bench PDF: {done.stdout[-300:]}")
    return elapsed


async def _hundred_pages(credential: pki.Credential, roots: list[Any]) -> dict[str, Any]:
    draft = _pages(PAGES)
    start = time.perf_counter()
    signed = await pades.sign_pdf(draft, credential, block=BLOCK)
    sign_ms = (time.perf_counter() - start) * 1000
    verify = []
    for _ in range(5):
        start = time.perf_counter()
        found = await pades.verify_pdf(signed, roots)
        verify.append((time.perf_counter() - start) * 1000)
        assert found.ok, found
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "signed-100.pdf"
        path.write_bytes(signed)
        poppler = [_pdfsig_ms(path) for _ in range(3)]
    return {
        "pages": PAGES,
        "bytes": len(signed),
        "sign_ms": round(sign_ms, 1),
        "verify_pyhanko_ms_median": round(statistics.median(verify), 1),
        "verify_pdfsig_ms_median": round(statistics.median(poppler), 1),
    }


async def run(platform: Platform) -> dict[str, Any]:
    config: SignatureSettings = signature_settings()
    credential = await credential_for(platform.settings, config, "bench.signer", "Bench İmzaçı")
    roots = pki.trust_roots(platform.settings.data_path, config)
    draft = _one_page("Cavab mektubu / Reply letter")
    result: dict[str, Any] = {}
    result.update(await _pades_rates(credential, draft))
    result.update(await _jws_rate(credential))
    result.update(await _use_case_rates(platform, draft))
    result["hundred_page_pdf"] = await _hundred_pages(credential, roots)
    return result
