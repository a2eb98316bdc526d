"""certifyCopy: a signed copy marked "Əslinə uyğundur", bound to the original version's hash.

The copy is made before the unit opens (``making.py``); the unit then re-checks, under the
policy and the audit trail, that the version still belongs to the document, stores the copy
as a new ``certified_copy`` version derived from it, and records the binding. A repeat with
the same client mutation id returns the first copy's code and stores nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import can
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import DomainError, FieldError, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.copies import making
from asan.edms.copies import repository as repo
from asan.edms.copies.models import MARK
from asan.edms.copies.policy import CERTIFY
from asan.edms.documents.access import document_resource, document_target
from asan.edms.documents.timeline import record_step
from asan.edms.files.models import StoredFile
from asan.edms.files.reads import current_file, file_by_id, read_bytes
from asan.edms.files.use_cases import store_file_in_unit

KIND = "CertifiedCopy"
# the version certified when none is named: the signed one, else the original as received
DEFAULT_ROLES = ("signed", "original")
NOT_CERTIFIABLE = frozenset({"certified_copy"})


@dataclass(frozen=True)
class Prepared:
    original: StoredFile
    code: str
    data: bytes
    certifier: str
    position: str | None
    unit: str | None
    reg_number: str | None


def _bad(field: str, message: str) -> ValidationFailed:
    return ValidationFailed([FieldError(field, message)])


async def _original(tx: Tx, document_id: str, file_id: str | None) -> StoredFile:
    if file_id is not None:
        found = await file_by_id(tx, file_id)
        if found is None or found.document_id != document_id:
            raise NotFound(f"fayl {file_id[:60]} tapılmadı / file not found", field="fileId")
    else:
        found = None
        for role in DEFAULT_ROLES:
            found = await current_file(tx, document_id, role)
            if found is not None:
                break
        if found is None:
            raise _bad("fileId", "sənədin faylı yoxdur / the document has no file to copy")
    if found.role in NOT_CERTIFIABLE:
        raise _bad("fileId", "surətin surəti təsdiq edilmir / a copy of a copy is not certified")
    if found.content_type != "application/pdf":
        raise _bad(
            "fileId",
            "yalnız PDF-in surəti təsdiq edilir (skan PDF kimi yüklənməlidir) / only a PDF "
            "version can be certified (upload scans as PDF)",
        )
    return found


async def _prepare(
    platform: Platform, principal: Principal, document_id: str, file_id: str | None
) -> Prepared | None:
    """The marked, signed copy, or None when the caller may not certify (the unit then
    refuses and audits it, without the heavy work)."""
    on = today_in_baku()
    async with platform.db.read_transaction() as tx:
        if not can(principal, CERTIFY, await document_resource(tx, document_id)):
            return None
        card = await repo.document_card(tx, document_id)
        assert card is not None  # document_resource found it
        if not card["regNumber"]:
            raise _bad(
                "documentId",
                f"sənəd qeydiyyatda deyil ('{card['status']}') / the document is not registered",
            )
        original = await _original(tx, document_id, file_id)
        who = await repo.certifier(tx, principal.subject, on)
    name = (who["name"] if who else None) or principal.name or principal.subject
    position = who["title"] if who else None
    unit = who["unitName"] if who else None
    reg_date = card["regDate"].to_native() if hasattr(card["regDate"], "to_native") else None
    code = making.new_code()
    lines = making.mark_lines(
        certifier=name,
        position=", ".join(p for p in (position, unit) if p) or None,
        on=on,
        reg_number=card["regNumber"],
        reg_date=reg_date if isinstance(reg_date, date) else None,
        sha256=original.sha256,
        code=code,
    )
    data = await read_bytes(platform, original)
    marked = await making.stamp(data, lines)
    signer = await making.credential(platform.settings, principal.subject, name)
    signed = await making.sign(marked, signer)
    return Prepared(original, code, signed, name, position, unit, card["regNumber"])


async def certify_copy(
    platform: Platform,
    principal: Principal,
    document_id: str,
    file_id: str | None = None,
    *,
    client_mutation_id: str | None = None,
) -> str:
    """Returns the copy's verification code."""
    try:
        prepared = await _prepare(platform, principal, document_id, file_id)
    except NotFound as exc:
        if exc.field != "fileId":  # a hidden or missing document: the unit refuses it, audited
            prepared = None
        else:
            raise

    async def work(m: Mutation) -> str:
        if prepared is None:  # allowed now, refused a moment ago: the policy changed between
            raise DomainError("yenidən cəhd edin / try again")
        still = await file_by_id(m.tx, prepared.original.id)
        if still is None or still.sha256 != prepared.original.sha256:
            raise NotFound("fayl tapılmadı / file not found", field="fileId")
        stem = prepared.original.filename.rsplit(".", 1)[0] or "sened"
        stored = await store_file_in_unit(
            m,
            document_id,
            prepared.data,
            filename=f"{stem} - surət {prepared.code}.pdf",
            content_type="application/pdf",
            role="certified_copy",
            derived_from=prepared.original.id,
            field="fileId",
        )
        at = datetime.now(UTC)
        await repo.create_copy(
            m.tx,
            {
                "code": prepared.code,
                "documentId": document_id,
                "copyFileId": stored.id,
                "originalFileId": prepared.original.id,
                "originalSha256": prepared.original.sha256,
                "copySha256": hashlib.sha256(prepared.data).hexdigest(),
                "certifiedBy": principal.subject,
                "certifierName": prepared.certifier,
                "position": prepared.position,
                "unit": prepared.unit,
                "certifiedAt": at,
                "regNumber": prepared.reg_number,
                "actingFor": principal.acting_for,
            },
        )
        await record_step(
            m.tx,
            document_id,
            "certify_copy",
            principal,
            {"code": prepared.code, "original": prepared.original.id, "copy": stored.id},
        )
        m.changed(KIND, prepared.code, "created", ("documentId", "originalSha256", "copySha256"))
        m.detail(code=prepared.code, original=prepared.original.id, mark=MARK)
        return prepared.code

    return await run_mutation(
        platform,
        principal,
        CERTIFY,
        document_target(document_id),
        work,
        client_mutation_id=client_mutation_id,
    )
