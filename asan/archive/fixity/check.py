"""One archived record checked against its object: the pinned version read through SHA-256;
then, for a whole page of records at once, which version is newest under each key. Nothing
is ever written to the bucket.

Absent means gone for good: the version (NoSuchVersion), the key (NoSuchKey, for a record
pinned to no version) or the whole bucket. Any other refusal or an outage is not a finding
about the object and stops the run instead of being reported as damage.

The newest versions come from one version listing per bucket and page (records are walked in
key order), not a HEAD per object: the HEAD cost as much as reading a 256 KiB object.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Final

from minio.error import S3Error

from asan.archive.fixity.models import DELETE_MARKER, OVERWRITTEN
from asan.archive.records.models import MISMATCH, MISSING, OK, ArchivedRecord
from asan.core.storage import ObjectStore

ABSENT: Final = frozenset(
    {"NoSuchVersion", "NoSuchKey", "NoSuchObject", "NoSuchBucket", "ResourceNotFound"}
)
Newest = Mapping[tuple[str, str], str | None]  # (bucket, key) -> version id, None: marker


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


async def hash_record(store: ObjectStore, record: ArchivedRecord) -> Checked:
    """Read the pinned version through SHA-256: ok, mismatch or missing."""
    try:
        digest, size = await store.sha256(record.bucket, record.key, record.version_id)
    except S3Error as exc:
        if exc.code not in ABSENT:
            raise
        return Checked(record, MISSING, (Finding(MISSING, record.sha256, None),))
    if digest == record.sha256:
        return Checked(record, OK, (), size)
    return Checked(record, MISMATCH, (Finding(MISMATCH, record.sha256, digest),), size)


async def newest_versions(store: ObjectStore, records: Sequence[ArchivedRecord]) -> Newest:
    """The newest version under each versioned record's key, one listing per bucket."""
    keys: dict[str, list[str]] = {}
    for record in records:
        if record.version_id is not None:
            keys.setdefault(record.bucket, []).append(record.key)
    found: dict[tuple[str, str], str | None] = {}
    for bucket, names in keys.items():
        try:
            listed = await store.latest_versions(bucket, min(names), max(names))
        except S3Error as exc:
            if exc.code not in ABSENT:
                raise
            continue  # no bucket: every pinned version is missing, reported as such
        found.update({(bucket, key): version for key, version in listed.items()})
        # a key the listing did not return (seen with delete markers in a large, busy bucket):
        # ask for it alone rather than take silence for "nothing on top"
        for key in set(names) - set(listed):
            found[(bucket, key)] = await _newest_alone(store, bucket, key)
    return found


async def _newest_alone(store: ObjectStore, bucket: str, key: str) -> str | None:
    """The key's newest version id; None when a delete marker (or nothing) is on top."""
    try:
        return (await store.stat(bucket, key)).version_id
    except S3Error as exc:
        if exc.code not in ABSENT:
            raise
        return None


def with_newest(checked: Checked, newest: Newest) -> Checked:
    """Add ``overwritten`` when something else is on top of an intact pinned version."""
    record = checked.record
    if checked.fixity == MISSING or record.version_id is None:
        return checked  # gone anyway, or a bucket without versions: nothing can be on top
    where = (record.bucket, record.key)
    if where not in newest:  # listed nothing: deleted between the read and the listing
        return checked
    top = newest[where]
    if top == record.version_id:
        return checked
    finding = Finding(OVERWRITTEN, record.version_id, DELETE_MARKER if top is None else top)
    return replace(checked, findings=(*checked.findings, finding))
