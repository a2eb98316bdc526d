"""Copying a closed case's files into the Object Lock bucket: one record per file version.

Objects are put first (many at once), then the records are written in one audited unit: a
crash between the two leaves locked objects without records, and the next run of the same
ingest finds them by key (their SHA-256 metadata must match) and records them without putting
them again, so an interrupted ingest resumes and never doubles a record. Each source file is
hashed once (in a worker thread) against the SHA-256 recorded when it was stored: a file
already damaged in the document bucket stops the ingest with its id rather than being
archived as if it were sound.

Retention comes from the case: retain-until is its disposal date (1 January after the closing
year plus the retention years, COMPLIANCE mode); a permanent case, or one under an active hold,
gets a legal hold. A case closed so long ago that the date has passed is archived without a
date (COMPLIANCE cannot be set in the past) and may be destroyed by an act at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from asan.archive.holds.repository import lock_case
from asan.archive.records import repository as repo
from asan.archive.records.models import UNCHECKED, IngestReport
from asan.archive.records.policy import INGEST
from asan.archive.storage.holds import place_hold
from asan.archive.storage.retention import (
    PERMANENT,
    ArchiveMetadata,
    archive_key,
    lock_for_case,
)
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource, authorize
from asan.auth.principal import Principal
from asan.core.errors import Conflict, InvalidTransition, NotFound
from asan.core.platform import Platform
from asan.core.workdays import BAKU
from asan.edms.files.models import StoredFile

CASE_KIND = "Case"
NOT_ARCHIVABLE = ("open", "destroyed")
Progress = Callable[[int, int], None]  # (done, total) after each file


@dataclass(frozen=True)
class CaseLock:
    """How every record of one case is locked."""

    retain_until: datetime | None
    legal_hold: bool
    retention: str  # years as text, or "permanent" (S3 metadata)
    index: str


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def case_lock(row: Any, now: datetime | None = None) -> CaseLock:
    """Retain-until from the closing year and retention; a hold for permanent or held cases."""
    closed_at = _native(row["closedAt"])
    if closed_at is None:
        raise InvalidTransition(
            f"{row['index']} işi bağlanmayıb, arxivə verilmir / case {row['index']} is not "
            "closed and cannot be archived",
            field="caseId",
        )
    closed_year = closed_at.astimezone(BAKU).year
    permanent = bool(row["permanent"]) or row["retentionYears"] is None
    until, hold = lock_for_case(closed_year, None if permanent else int(row["retentionYears"]))
    moment = now or datetime.now(UTC)
    return CaseLock(
        retain_until=until if until > moment else None,
        legal_hold=hold or bool(row["held"]),
        retention=PERMANENT if permanent else str(row["retentionYears"]),
        index=row["index"],
    )


async def _put_one(
    platform: Platform,
    bucket: str,
    lock: CaseLock,
    case_id: str,
    source: StoredFile,
    existing: dict[str, str],
) -> dict[str, Any]:
    key = archive_key(case_id, source.document_id, source.id)
    version_id = existing.get(key)
    if version_id is None:
        data = await platform.store.get(source.bucket, source.object_key)
        # one SHA-256 pass, off the event loop: it both checks the source against the hash
        # recorded when it was stored and vouches for the metadata put with the copy
        digest = await asyncio.to_thread(lambda: hashlib.sha256(data).hexdigest())
        if digest != source.sha256:
            raise Conflict(
                f"fayl {source.id} sənəd anbarında zədələnib, arxivə verilmir / file "
                f"{source.id} is damaged in the document bucket and is not archived",
                field="caseId",
            )
        meta = ArchiveMetadata(lock.index, lock.retention, case_id, source.document_id, digest)
        stored = await platform.store.put_locked(
            bucket,
            key,
            data,
            retain_until=lock.retain_until,
            legal_hold=lock.legal_hold,
            content_type=source.content_type,
            metadata=meta.as_headers(),
        )
        version_id = stored.version_id
    return {
        "id": str(uuid.uuid4()),
        "caseId": case_id,
        "documentId": source.document_id,
        "fileId": source.id,
        "role": source.role,
        "fileVersion": source.version,
        "filename": source.filename,
        "contentType": source.content_type,
        "bucket": bucket,
        "key": key,
        "versionId": version_id,
        "sha256": source.sha256,
        "size": source.size,
        "retainUntil": lock.retain_until,
        "legalHold": lock.legal_hold,
        "fixity": UNCHECKED,
        "fixityCheckedAt": None,
        "destroyedAt": None,
        "destroyedByAct": None,
    }


async def _already_put(platform: Platform, bucket: str, case_id: str) -> dict[str, str]:
    """Keys of this case put by an interrupted run whose records were never written, with
    their version ids; only objects whose SHA-256 metadata is present are trusted."""
    found: dict[str, str] = {}
    for info in await platform.store.list(bucket, prefix=f"{case_id}/"):
        stat = await platform.store.stat(bucket, info.key)
        if stat.metadata.get("sha256") and stat.version_id:
            found[info.key] = stat.version_id
    return found


async def _hold_if_held_meanwhile(
    platform: Platform, m: Mutation, case_id: str, rows: list[dict[str, Any]]
) -> None:
    """A hold placed after this run read the case but before its records commit: with the
    case write-locked (placing a hold takes the same lock), what is read now is final, and
    the versions just put get their legal hold before the records commit."""
    case = await lock_case(m.tx, case_id, datetime.now(UTC))
    if case is None or int(case["activeHolds"]) == 0:
        return
    await asyncio.gather(
        *(place_hold(platform.store, r["bucket"], r["key"], r["versionId"]) for r in rows)
    )
    await repo.set_legal_hold(m.tx, case_id, True)


async def ingest_case(
    platform: Platform,
    principal: Principal,
    case_id: str,
    *,
    concurrency: int = 16,
    progress: Progress | None = None,
) -> IngestReport:
    """Archive every file version of the case not archived yet; safe to run again."""
    row = await repo.case_for_ingest(platform.db, case_id)
    if row is None:
        raise NotFound(f"iş {case_id[:60]} tapılmadı / case not found", field="caseId")
    resource = Resource("Case", id=case_id, org_unit=row["unit"], status=row["status"])
    authorize(principal, INGEST, resource)
    if row["status"] in NOT_ARCHIVABLE:
        raise InvalidTransition(
            f"{row['index']} işi '{row['status']}' vəziyyətindədir, arxivə verilmir / case "
            f"{row['index']} is '{row['status']}' and cannot be archived",
            field="caseId",
        )
    lock = case_lock(row)
    bucket = platform.buckets["archive"]
    sources = [StoredFile.of(f) for f in await repo.files_to_ingest(platform.db, case_id)]
    existing = await _already_put(platform, bucket, case_id) if sources else {}
    gate = asyncio.Semaphore(max(1, concurrency))
    done = 0

    async def one(source: StoredFile) -> dict[str, Any]:
        nonlocal done
        async with gate:
            made = await _put_one(platform, bucket, lock, case_id, source, existing)
        done += 1
        if progress is not None:
            progress(done, len(sources))
        return made

    rows = list(await asyncio.gather(*(one(s) for s in sources)))

    async def work(m: Mutation) -> dict[str, int]:
        added = await repo.add_many(m.tx, case_id, rows) if rows else 0
        if added and not lock.legal_hold:
            await _hold_if_held_meanwhile(platform, m, case_id, rows)
        if added:
            m.changed(CASE_KIND, case_id, "updated", ("archivedRecords",))
        m.detail(index=lock.index, ingested=added, bytes=sum(r["size"] for r in rows))
        return {"added": added}

    result = await run_mutation(platform, principal, INGEST, resource, work)
    total = await repo.count_of_case(platform.db, case_id)
    return IngestReport(
        case_id=case_id,
        ingested=int(result["added"]),
        skipped=total - int(result["added"]),
        bytes=sum(r["size"] for r in rows),
    )
