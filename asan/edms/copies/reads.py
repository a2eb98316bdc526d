"""Verifying a certified copy: public, by its code, by the copy's bytes, or both.

Anyone holding a copy may ask; the answer says only what the copy itself shows (who certified
it, their position, the date, the registration number) plus what only the agency can tell:
that the original version is still kept and its bytes hash to what the copy names, that an
uploaded file is exactly the certified copy, and whether its signature verifies.
"""

from __future__ import annotations

import hashlib

from asan.auth.policy import authorize
from asan.auth.principal import Principal
from asan.core.platform import Platform
from asan.edms.copies import repository as repo
from asan.edms.copies.making import normalise_code
from asan.edms.copies.models import CertifiedCopy, Verification
from asan.edms.documents.access import document_resource
from asan.edms.files.reads import CorruptFile, file_by_id, read_bytes
from asan.edms.signatures.credentials import (
    revocation_lists_for,
    signature_settings,
    trust_roots_for,
)
from asan.edms.signatures.pades import verify_pdf

MAX_COPIES = 100


async def _original_matches(platform: Platform, copy: CertifiedCopy) -> tuple[bool, str | None]:
    stored = await file_by_id(platform.db, copy.original_file_id)
    if stored is None:
        return False, "əsl nüsxə tapılmadı / the original version is gone"
    if stored.sha256 != copy.original_sha256:
        return False, "əslin həşi uyğun deyil / the original's hash differs"
    try:
        await read_bytes(platform, stored)
    except CorruptFile:
        return False, "əslin baytları dəyişib / the original's stored bytes changed"
    return True, None


async def verify(platform: Platform, code: str | None, data: bytes | None) -> Verification:
    problems: list[str] = []
    copy_matches: bool | None = None
    signature_valid: bool | None = None
    row = None
    if code is not None and normalise_code(code):
        row = await repo.by_code(platform.db, normalise_code(code))
    if data is not None:
        digest = hashlib.sha256(data).hexdigest()
        if row is None:
            row = await repo.by_copy_hash(platform.db, digest)
        copy_matches = row is not None and row["copySha256"] == digest
        if row is not None and not copy_matches:
            problems.append(
                "fayl təsdiq edilmiş surət deyil və ya dəyişdirilib / the file is not the "
                "certified copy, or it was changed"
            )
        config = signature_settings()
        roots = await trust_roots_for(platform.settings, config)
        crls = await revocation_lists_for(platform.settings, config)
        checked = await verify_pdf(data, roots, crls=crls)
        # the certifier's signature is the one covering the whole file; a field the copy kept
        # from its original (when it could not be drawn flat) never does, and does not count
        signature_valid = checked.error is None and any(s.ok for s in checked.signatures)
        if not signature_valid:
            problems.append(
                checked.error or "imza yoxlamadan keçmədi / the signature does not verify"
            )
    if row is None:
        return Verification(
            found=False,
            copy_matches=copy_matches,
            signature_valid=signature_valid,
            problems=(*problems, "belə surət yoxdur / no such certified copy"),
        )
    copy = CertifiedCopy.of(row)
    original_ok, problem = await _original_matches(platform, copy)
    if problem is not None:
        problems.append(problem)
    return Verification(
        found=True,
        copy=copy,
        original_matches=original_ok,
        copy_matches=copy_matches,
        signature_valid=signature_valid,
        problems=tuple(problems),
    )


async def copies_of(
    platform: Platform, principal: Principal, document_id: str
) -> list[CertifiedCopy]:
    """The document's certified copies, newest first, for whoever may read the document."""
    async with platform.db.read_transaction() as tx:
        authorize(principal, "edms.document.read", await document_resource(tx, document_id))
    return [CertifiedCopy.of(r) for r in await repo.of_document(platform.db, document_id)]
