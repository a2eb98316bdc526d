"""What disposition asks MinIO about one archived version: its lock, and deleting it.

Only here does disposition talk to the store directly: extending a retain-until date (S3
put-object-retention; COMPLIANCE lets a date move later, never earlier), and reading whether
a version still exists, so a deletion repeated after a crash is recognised rather than sent
again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import anyio
from minio.commonconfig import COMPLIANCE
from minio.error import S3Error
from minio.retention import Retention

from asan.core.errors import ServiceUnavailable
from asan.core.storage import OUTAGE_ERRORS, ObjectStore

GONE_CODES = ("NoSuchVersion", "NoSuchKey", "NoSuchObject")


@dataclass(frozen=True)
class VersionLock:
    exists: bool
    retain_until: datetime | None
    legal_hold: bool


async def extend_retention(
    store: ObjectStore, bucket: str, key: str, version_id: str | None, until: datetime
) -> None:
    """COMPLIANCE retention until ``until`` (later than any date the version has)."""

    def _set() -> None:
        store.client.set_object_retention(
            bucket, key, Retention(COMPLIANCE, until.astimezone(UTC)), version_id=version_id
        )

    try:
        await anyio.to_thread.run_sync(_set)
    except OUTAGE_ERRORS as exc:
        raise ServiceUnavailable("minio") from exc


async def version_lock(
    store: ObjectStore, bucket: str, key: str, version_id: str | None
) -> VersionLock:
    """The version's retain-until and legal hold as MinIO keeps them; ``exists`` False when
    the version is gone."""
    try:
        await store.stat(bucket, key, version_id)
    except S3Error as exc:
        if exc.code in GONE_CODES:
            return VersionLock(False, None, False)
        raise
    found = await store.retention(bucket, key, version_id)
    held = await store.legal_hold(bucket, key, version_id)
    return VersionLock(True, found[1] if found else None, held)


async def delete_version(store: ObjectStore, bucket: str, key: str, version_id: str | None) -> bool:
    """Delete the pinned version; False when it was already gone (nothing is sent twice)."""
    try:
        await store.stat(bucket, key, version_id)
    except S3Error as exc:
        if exc.code in GONE_CODES:
            return False
        raise
    await store.delete(bucket, key, version_id)
    return True
