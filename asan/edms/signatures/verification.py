"""Verifying signatures: of a document (what was stored), of a file version, of uploaded bytes.

The verdict comes from the bytes, always: the stored object is read and checked again (not a
flag set at signing), so a changed byte in the object store shows as a failed integrity check.
What only the graph knows (the acting-for, the registration number, the verification code) is
added when the caller may read the document. A PDF anyone holds verifies from its own bytes
(its chain and signing time are inside it); a detached JWS needs the statement and token the
registry recorded, found by the file's SHA-256, so it verifies only for readers of its document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from cryptography import x509

from asan.auth.policy import authorize, can
from asan.auth.principal import Principal
from asan.core.errors import NotFound
from asan.core.platform import Platform
from asan.edms.documents.access import document_resource
from asan.edms.files.models import StoredFile
from asan.edms.files.reads import file_by_id, readable_file
from asan.edms.signatures import jws, pades
from asan.edms.signatures import repository as repo
from asan.edms.signatures.credentials import (
    revocation_lists_for,
    signature_settings,
    trust_roots_for,
)
from asan.edms.signatures.models import JWS, PADES, SignatureRecord, Verification
from asan.edms.signatures.status import SignatureCheck

READ = "edms.document.read"


def is_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


async def check_bytes(
    data: bytes,
    record: SignatureRecord | None,
    roots: Sequence[x509.Certificate],
    crls: Sequence[bytes] = (),
) -> Verification:
    """The verdict on ``data``, signed as ``record`` says (or, without one, a PDF's own)."""
    if (record is not None and record.kind == PADES) or (record is None and is_pdf(data)):
        found = await pades.verify_pdf(data, roots, crls=crls)
        if found.error is not None or not found.signatures:
            error = found.error or "faylda imza yoxdur / the file has no signature"
            return Verification(SignatureCheck.broken(None, error), record, PADES, error=error)
        # the registry's signature is the file's last one; an earlier broken one breaks it too
        last = found.signatures[-1]
        earlier = [p for s in found.signatures[:-1] if not s.ok for p in s.problems]
        if earlier:
            last = SignatureCheck(**{**last.__dict__, "problems": (*last.problems, *earlier)})
        return Verification(last, record, PADES)
    if record is None or record.jws is None or record.statement is None:
        error = (
            "bu fayl üçün imza tapılmadı / no signature is known for this file "
            "(a file that is not a PDF is verified with its detached JWS from the registry)"
        )
        return Verification(SignatureCheck.broken(None, error), record, JWS, error=error)
    check = await jws.verify_detached(data, record.statement, record.jws, roots, crls=crls)
    return Verification(check, record, JWS)


async def _check(platform: Platform, data: bytes, record: SignatureRecord | None) -> Verification:
    config = signature_settings()
    roots = await trust_roots_for(platform.settings, config)
    crls = await revocation_lists_for(platform.settings, config)
    return await check_bytes(data, record, roots, crls)


async def _object_bytes(platform: Platform, stored: StoredFile) -> bytes:
    """The stored bytes as they are now: no hash check here, verification is the check."""
    return await platform.store.get(stored.bucket, stored.object_key)


async def verify_document_signature(
    platform: Platform, principal: Principal, document_id: str
) -> Verification:
    """The document's signature checked on its stored signed version (NOT_FOUND if none)."""
    async with platform.db.read_transaction() as tx:
        authorize(principal, READ, await document_resource(tx, document_id))
        rows = await repo.signatures_of(tx, document_id)
        if not rows:
            raise NotFound("sənəd imzalanmayıb / the document has no signature", field="documentId")
        record = SignatureRecord.of(rows[-1])
        stored = await file_by_id(tx, record.file_id)
    if stored is None:  # a Signature always points at its file (created together)
        raise NotFound(f"fayl {record.file_id} tapılmadı / file not found", field="documentId")
    return await _check(platform, await _object_bytes(platform, stored), record)


async def verify_stored_file(
    platform: Platform, principal: Principal, file_id: str
) -> Verification:
    """A stored version checked: NOT_FOUND unless the caller may read its document."""
    stored = await readable_file(platform, principal, file_id)
    rows = await repo.signatures_of_file(platform.db, file_id)
    record = SignatureRecord.of(rows[-1]) if rows else None
    data = await _object_bytes(platform, stored)
    if record is None:  # another version (or a copy) whose bytes were signed elsewhere
        record = await _known_record(platform, principal, hashlib.sha256(data).hexdigest())
    return await _check(platform, data, record)


async def verify_uploaded_file(
    platform: Platform, principal: Principal, data: bytes
) -> Verification:
    """Bytes someone holds: a PDF verifies from itself; the registry adds what the caller may
    read about it (acting-for, number, code); a non-PDF needs its registered JWS."""
    record = await _known_record(platform, principal, hashlib.sha256(data).hexdigest())
    return await _check(platform, data, record)


def normal_code(code: str) -> str | None:
    """``abcd efgh-jklm`` as printed: ``ABCD-EFGH-JKLM``; None for anything else."""
    raw = "".join(ch for ch in code[:40] if ch.isalnum()).upper()
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 and raw.isascii() else None


async def verify_code(platform: Platform, principal: Principal, code: str) -> Verification:
    """The check a reader of the paper makes with the printed code: anyone may check a
    public document's signature; a secret one only those who may read it (others: NOT_FOUND,
    as if the code did not exist)."""
    missing = NotFound("yoxlama kodu tapılmadı / verification code not found", field="code")
    normal = normal_code(code)
    row = await repo.signature_by_code(platform.db, normal) if normal else None
    if row is None:
        raise missing
    record = SignatureRecord.of(row)
    async with platform.db.read_transaction() as tx:
        resource = await document_resource(tx, record.document_id)
        if resource.classification is not None and not can(principal, READ, resource):
            raise missing
        stored = await file_by_id(tx, record.file_id)
    if stored is None:
        raise missing
    return await _check(platform, await _object_bytes(platform, stored), record)


async def _known_record(
    platform: Platform, principal: Principal, sha256: str
) -> SignatureRecord | None:
    """The latest signature of these exact bytes on a document the caller may read."""
    rows = await repo.signatures_by_sha256(platform.db, sha256)
    async with platform.db.read_transaction() as tx:
        for row in reversed(rows):
            try:
                resource = await document_resource(tx, row["documentId"])
            except NotFound:
                continue
            if can(principal, READ, resource):
                return SignatureRecord.of(row)
    return None
