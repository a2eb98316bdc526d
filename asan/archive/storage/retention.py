"""Putting a record into the archive bucket under COMPLIANCE retention, and reading it back.

Each object carries what identifies it without the graph: nomenclature index, retention
period, case and document ids and its SHA-256, as S3 user metadata. S3 user metadata must be
ASCII, so a value outside it is refused here rather than mangled by the client.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from asan.core.storage import ObjectStore, StoredObject

PERMANENT = "permanent"
# user-metadata keys (x-amz-meta-archive-...); S3 returns them lower case
META_KEYS = ("archive-index", "archive-retention", "archive-case", "archive-document", "sha256")


class ArchiveMetadataError(ValueError):
    """A metadata value that S3 cannot carry as user metadata (non-ASCII or empty)."""


@dataclass(frozen=True)
class ArchiveMetadata:
    """What the object says about itself; ``retention`` is years as text or "permanent"."""

    index: str
    retention: str
    case_id: str
    document_id: str
    sha256: str

    def as_headers(self) -> dict[str, str]:
        values = (self.index, self.retention, self.case_id, self.document_id, self.sha256)
        for name, value in zip(META_KEYS, values, strict=True):
            if not value or not value.isascii() or not value.isprintable():
                raise ArchiveMetadataError(
                    f"{name} must be printable ASCII, got {value!r} / "
                    f"{name} çap edilə bilən ASCII olmalıdır"
                )
        return dict(zip(META_KEYS, values, strict=True))

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> ArchiveMetadata:
        index, retention, case_id, document_id, sha256 = (headers[k] for k in META_KEYS)
        return cls(index, retention, case_id, document_id, sha256)


@dataclass(frozen=True)
class Retained:
    """One archived version as MinIO reports it."""

    key: str
    version_id: str | None
    mode: str | None
    retain_until: datetime | None
    legal_hold: bool


def lock_for_case(closed_year: int, retention_years: int | None) -> tuple[datetime, bool]:
    """Retain-until and legal hold for a record of a case closed in ``closed_year``.

    The retention clock starts on 1 January after the year the case was closed, so a
    10-year record may go on 1 January of closed_year + 11. A permanent case
    (``retention_years`` None) is locked until that first 1 January and carries a legal hold:
    no date in COMPLIANCE mode could ever be taken back, a hold can be lifted by an act.
    """
    if retention_years is not None and retention_years < 1:
        raise ValueError("retention_years must be at least 1, or None for permanent")
    start = closed_year + 1
    if retention_years is None:
        return datetime(start, 1, 1, tzinfo=UTC), True
    return datetime(start + retention_years, 1, 1, tzinfo=UTC), False


def archive_key(case_id: str, document_id: str, file_id: str) -> str:
    """Keys are ids only: names and titles (Azerbaijani text) stay in the graph."""
    for part in (case_id, document_id, file_id):
        if not part or "/" in part or not part.isascii():
            raise ArchiveMetadataError(f"key part must be an ASCII id without '/': {part!r}")
    return f"{case_id}/{document_id}/{file_id}"


async def put_archived(
    store: ObjectStore,
    bucket: str,
    key: str,
    data: bytes,
    *,
    retain_until: datetime | None,
    legal_hold: bool,
    metadata: ArchiveMetadata,
    content_type: str = "application/octet-stream",
) -> StoredObject:
    """A new locked version; the SHA-256 in ``metadata`` must be that of ``data``.

    ``retain_until`` None (or a date already past) puts the version without a retention date:
    COMPLIANCE cannot be set in the past, and such a record may already be destroyed by an act.
    """
    if retain_until is not None and retain_until.tzinfo is None:
        raise ValueError("retain_until must be timezone-aware")
    if retain_until is not None and retain_until <= datetime.now(UTC):
        retain_until = None
    if hashlib.sha256(data).hexdigest() != metadata.sha256:
        raise ArchiveMetadataError("sha256 does not match the data / sha256 məlumata uyğun deyil")
    return await store.put_locked(
        bucket,
        key,
        data,
        retain_until=retain_until.astimezone(UTC) if retain_until is not None else None,
        legal_hold=legal_hold,
        content_type=content_type,
        metadata=metadata.as_headers(),
    )


async def read_retention(
    store: ObjectStore, bucket: str, key: str, version_id: str | None = None
) -> Retained:
    found = await store.retention(bucket, key, version_id)
    hold = await store.legal_hold(bucket, key, version_id)
    mode, until = found if found else (None, None)
    return Retained(key, version_id, mode, until, hold)


async def read_metadata(
    store: ObjectStore, bucket: str, key: str, version_id: str | None = None
) -> ArchiveMetadata:
    info = await store.stat(bucket, key, version_id)
    return ArchiveMetadata.from_headers(info.metadata)
