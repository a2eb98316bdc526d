"""Reading document files: the current version of a role, every version, the bytes.

``current_file``, ``file_by_id`` and ``read_bytes`` do not check the read policy: their
callers (other EDMS parts inside a mutation, the processing job) have already resolved the
document under the caller's policy, or act as the system. ``readable_*`` check it: a file is
readable exactly when its document is (the documents part's ``edms.document.read``), and an
unreadable one is NOT_FOUND, like its document.
"""

from __future__ import annotations

import hashlib

from asan.auth.policy import authorize
from asan.auth.principal import Principal
from asan.core.db import Database, Tx
from asan.core.errors import NotFound
from asan.core.platform import Platform
from asan.edms.documents.access import document_resource
from asan.edms.files import repository as repo
from asan.edms.files.models import StoredFile
from asan.edms.files.policy import DOCUMENT_READ


class CorruptFile(RuntimeError):
    """The stored bytes do not match the SHA-256 recorded when they were stored."""


async def current_file(tx: Tx | Database, document_id: str, role: str) -> StoredFile | None:
    """The latest version of ``role`` of the document, or None when it has none."""
    row = await repo.current_file(tx, document_id, role)
    return StoredFile.of(row) if row is not None else None


async def file_by_id(source: Tx | Database, file_id: str) -> StoredFile | None:
    row = await repo.file_by_id(source, file_id)
    return StoredFile.of(row) if row is not None else None


async def files_of_documents(
    db: Tx | Database, document_ids: list[str], *, role: str | None = None, latest_only: bool
) -> dict[str, list[StoredFile]]:
    """Files of each document, oldest version first (one query for many documents)."""
    found: dict[str, list[StoredFile]] = {doc: [] for doc in document_ids}
    for row in await repo.files_of(db, document_ids, role, latest_only):
        found[row["documentId"]].append(StoredFile.of(row))
    return found


async def file_text(db: Tx | Database, file_id: str) -> str | None:
    return await repo.file_text(db, file_id)


class FileDestroyed(NotFound):
    """The version's bytes were deleted by an executed destruction act; its card stays."""


async def read_bytes(platform: Platform, stored: StoredFile) -> bytes:
    """The version's bytes, checked against the SHA-256 recorded when it was stored."""
    if stored.destroyed_by_act:
        raise FileDestroyed(
            f"fayl {stored.id} {stored.destroyed_by_act} aktı ilə məhv edilib / file "
            f"{stored.id} was destroyed by act {stored.destroyed_by_act}",
            field="id",
        )
    data = await platform.store.get(stored.bucket, stored.object_key)
    if hashlib.sha256(data).hexdigest() != stored.sha256:
        raise CorruptFile(f"{stored.id}: stored bytes do not match their SHA-256")
    return data


def file_not_found(file_id: str) -> NotFound:
    return NotFound(f"fayl {file_id} tapılmadı / file not found", field="id")


async def readable_files(
    platform: Platform,
    principal: Principal,
    document_id: str,
    *,
    role: str | None = None,
    all_versions: bool = False,
) -> list[StoredFile]:
    """The document's files the caller may read (every version, or the latest of each role)."""
    async with platform.db.read_transaction() as tx:
        authorize(principal, DOCUMENT_READ, await document_resource(tx, document_id))
        found = await files_of_documents(tx, [document_id], role=role, latest_only=not all_versions)
    return found[document_id]


async def readable_file(platform: Platform, principal: Principal, file_id: str) -> StoredFile:
    """One version, if the caller may read its document; NOT_FOUND otherwise."""
    async with platform.db.read_transaction() as tx:
        stored = await file_by_id(tx, file_id)
        if stored is None:
            raise file_not_found(file_id)
        try:
            authorize(principal, DOCUMENT_READ, await document_resource(tx, stored.document_id))
        except NotFound:
            raise file_not_found(file_id) from None
    return stored
