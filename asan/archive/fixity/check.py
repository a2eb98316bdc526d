"""One archived record checked against its object: read the pinned version through SHA-256,
then ask which version is newest under its key. Nothing is ever written to the bucket.

Absent means gone for good: the version (NoSuchVersion), the key (NoSuchKey, for a record
pinned to no version) or the whole bucket. Any other refusal or an outage is not a finding
about the object and stops the run instead of being reported as damage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from minio.error import S3Error

from asan.archive.fixity.models import DELETE_MARKER, OVERWRITTEN
from asan.archive.records.models import MISMATCH, MISSING, OK, ArchivedRecord
from asan.core.storage import ObjectStore

ABSENT: Final = frozenset(
    {"NoSuchVersion", "NoSuchKey", "NoSuchObject", "NoSuchBucket", "ResourceNotFound"}
)


@dataclass(frozen=True)
class Finding:
    kind: str
    expected: str
    actual: str | None


@dataclass(frozen=True)
class Checked:
    """The record's new fixity (ok, mismatch, missing), what was found, bytes read."""

    record: ArchivedRecord
    fixity: str
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    bytes: int = 0


async def _newest(store: ObjectStore, bucket: str, key: str) -> str | None:
    """The version a plain read of the key gets; DELETE_MARKER when it reads as deleted."""
    try:
        info = await store.stat(bucket, key)
    except S3Error as exc:
        if exc.code in ABSENT:
            return DELETE_MARKER
        raise
    return info.version_id


async def check_record(store: ObjectStore, record: ArchivedRecord) -> Checked:
    findings: list[Finding] = []
    try:
        digest, size = await store.sha256(record.bucket, record.key, record.version_id)
    except S3Error as exc:
        if exc.code not in ABSENT:
            raise
        findings.append(Finding(MISSING, record.sha256, None))
        return Checked(record, MISSING, tuple(findings))
    fixity = OK if digest == record.sha256 else MISMATCH
    if fixity == MISMATCH:
        findings.append(Finding(MISMATCH, record.sha256, digest))
    if record.version_id is not None:  # an unversioned record has nothing to be put on top of
        newest = await _newest(store, record.bucket, record.key)
        if newest != record.version_id:
            findings.append(Finding(OVERWRITTEN, record.version_id, newest))
    return Checked(record, fixity, tuple(findings), size)
