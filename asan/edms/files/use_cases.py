"""Storing document files: one immutable version per upload, object first, metadata last.

``store_file_in_unit`` is the contract other EDMS parts call inside their own mutation (a
signed PDF, a certified copy, a draft version): it checks the bytes, puts the object through
the unit of work (so a failed unit deletes it) and creates the ``:DocumentFile`` node in the
same transaction, which commits last. ``upload_document_file`` is the mutation behind
``uploadDocumentFile``.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any, Final

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.principal import Principal
from asan.core.errors import FieldError, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.core.text import clean
from asan.edms.documents.access import document_target
from asan.edms.files import repository as repo
from asan.edms.files.models import (
    DERIVED_ROLES,
    NOT_APPLICABLE,
    PENDING,
    ROLES,
    StoredFile,
    capped_warnings,
)
from asan.edms.files.policy import FILE_UPLOAD
from asan.edms.files.reads import file_by_id
from asan.edms.files.settings import files_settings
from asan.edms.files.sniff import EXTRACTABLE, sniff

KIND = "DocumentFile"
MAX_FILENAME = 255
NOT_MULTIPART: Final = (
    "fayl multipart sorğunun hissəsi kimi göndərilməlidir (GraphQL multipart request spec) / "
    "the file must be sent as a part of a multipart request (GraphQL multipart request spec)"
)
# what a person uploads directly; the other roles come from their own steps
UPLOAD_ROLES: Final[tuple[str, ...]] = ("original", "attachment", "draft")


def object_key(document_id: str, file_id: str) -> str:
    """Ids only: a title or file name never reaches the object store."""
    return f"edms/{document_id}/{file_id}"


def _ascii_metadata(values: dict[str, str]) -> dict[str, str]:
    """S3 user metadata travels in HTTP headers: ASCII only, checked, never Azerbaijani text."""
    for name, value in values.items():
        if not (name.isascii() and value.isascii()):
            raise ValueError(f"non-ASCII S3 metadata {name!r}")
    return values


def check_filename(filename: str, field: str = "file") -> str:
    name, error = clean(filename or "fayl", field, max_length=MAX_FILENAME)
    if error is not None:
        raise ValidationFailed([error])
    # a path a client sent (C:\\scan\\a.pdf, ../a.pdf) is kept as its last part only
    return name.replace("\\", "/").rsplit("/", 1)[-1] or "fayl"


async def store_file_in_unit(
    m: Mutation,
    document_id: str,
    data: bytes,
    *,
    filename: str,
    content_type: str | None,
    role: str,
    derived_from: str | None = None,
    field: str = "file",
) -> StoredFile:
    """Check ``data`` and store it as the next version of ``role`` of the document.

    Raises ValidationFailed (naming ``field``) for an empty, oversized, executable or
    unaccepted file, NotFound for a missing document. The object is written first; the node
    commits with the caller's unit (a failure after the put deletes the object, a crash leaves
    an orphan that ``asan storage sweep`` removes).
    """
    if role not in ROLES:
        raise ValidationFailed([FieldError("role", f"naməlum rol / unknown role: {role[:40]}")])
    limit = files_settings().max_bytes
    if len(data) > limit:
        raise ValidationFailed(
            [FieldError(field, f"fayl {limit} baytdan böyükdür / file exceeds {limit} bytes")]
        )
    name = check_filename(filename, field)
    sniffed = sniff(data, name, content_type)
    if sniffed.content_type is None:
        raise ValidationFailed([FieldError(field, sniffed.problem or "qəbul edilmir / refused")])
    at = datetime.now(UTC)
    file_id = "df_" + uuid.uuid4().hex
    digest = hashlib.sha256(data).hexdigest()
    bucket = _bucket(m)
    key = object_key(document_id, file_id)
    await m.uow.put_object(
        bucket,
        key,
        data,
        content_type=sniffed.content_type,
        metadata=_ascii_metadata(
            {"file-id": file_id, "document-id": document_id, "sha256": digest}
        ),
    )
    extractable = sniffed.content_type in EXTRACTABLE and role not in DERIVED_ROLES
    row = {
        "id": file_id,
        "documentId": document_id,
        "role": role,
        "sha256": digest,
        "size": len(data),
        "contentType": sniffed.content_type,
        "filename": name,
        "objectKey": key,
        "bucket": bucket,
        "createdAt": at,
        "createdBy": m.principal.subject,
        "textStatus": PENDING if extractable else NOT_APPLICABLE,
        "warnings": capped_warnings(sniffed.warnings),
        "derivedFrom": derived_from,
    }
    # object first (above), then one statement: lock the document, number, create
    version = await repo.create_version(m.tx, row)
    if version is None:  # the unit rolls back and deletes the object just written
        raise NotFound(f"sənəd {document_id} tapılmadı / document not found", field="documentId")
    row["version"] = version
    m.changed(KIND, file_id, "created", ("documentId", "role", "version", "sha256"))
    m.changed("Document", document_id, "updated", ("files",))
    m.detail(file=file_id, role=role, version=version, sha256=digest, size=len(data))
    if row["textStatus"] == PENDING and _wake_processing not in m.uow.after_commit:
        # whichever mutation stored it (registerDocument, createDraft, an upload, a body's
        # delivery), this process's processing job starts on it as soon as it is committed
        m.uow.after_commit.append(_wake_processing)
    return StoredFile.of(row)


def _wake_processing() -> None:
    from asan.edms.files.jobs import wake  # the job imports this module

    wake()


def _bucket(m: Mutation) -> str:
    bucket = m.uow.buckets.get("documents")
    if bucket is None:  # a unit made outside Platform: a programming error, not input
        raise RuntimeError("unit of work without a documents bucket")
    return bucket


async def upload_document_file(
    platform: Platform,
    principal: Principal,
    document_id: str,
    data: bytes | None,
    *,
    filename: str,
    content_type: str | None,
    role: str,
    client_mutation_id: str | None = None,
) -> StoredFile:
    """A person's upload: a new version of ``role`` of a document they may add files to.

    ``data`` None: the request carried no file part (a JSON request). Checked after the policy,
    so a caller who may not add files learns nothing about the input. Roles the system makes
    (stamps, OCR copies), signed versions and certified copies come from their own steps
    (signing, certification), never from a plain upload.
    """
    if role not in UPLOAD_ROLES:
        allowed = ", ".join(UPLOAD_ROLES)
        raise ValidationFailed(
            [FieldError("role", f"bu rol yüklənə bilməz / role cannot be uploaded ({allowed})")]
        )

    async def work(m: Mutation) -> dict[str, Any]:
        if data is None:
            raise ValidationFailed([FieldError("file", NOT_MULTIPART)])
        stored = await store_file_in_unit(
            m, document_id, data, filename=filename, content_type=content_type, role=role
        )
        return {"id": stored.id}

    result = await run_mutation(
        platform,
        principal,
        FILE_UPLOAD,
        document_target(document_id),
        work,
        client_mutation_id=client_mutation_id,
    )
    stored = await file_by_id(platform.db, str(result["id"]))
    if stored is None:  # committed a moment ago: only a concurrent wipe could do this
        raise NotFound(f"fayl {result['id']} tapılmadı / file not found", field="documentId")
    return stored
