"""Archive ingest of many files against raw MinIO puts of the same bytes, in the same run.

Setup (not measured): cases closed last year with a one-year retention (so every archived
version is put in COMPLIANCE mode until 1 January of next year, the shortest real retention:
the bench's objects cannot be deleted before that date and stay in the bench bucket), one
document per two files, the files' bytes put into the documents bucket and their nodes
written with direct Cypher. Sizes are uniform between 20 and 200 KB (scans and small PDFs),
random bytes (MinIO does not compress them).

Measured, case by case (the three take turns at going first, so the machine's load drifts
the same way for all):
- ingest: ``ingest_case`` of the case (concurrency 16): read each source through
  ``read_bytes`` (SHA-256 checked), put it locked with its metadata, then write the records in
  one audited unit;
- raw: ``ObjectStore.put_locked`` of the same bytes with the same retain-until, content type
  and metadata, concurrency 16, into the same archive bucket;
- raw GET + put: the same put preceded by a GET of the source from the documents bucket,
  concurrency 16: the least any copy through this process does (the ingest's floor).
Reported: files/s and MB/s of each, ``ratio_time`` = ingest seconds / raw put seconds
(target <= 1.5) and ``ratio_time_vs_get_and_put`` = ingest seconds / raw GET + put seconds
(what the ingest adds above its floor: the graph reads and writes, the SHA-256 checks).

Knobs: ``ASAN_BENCH_ARCHIVE_FILES`` (default 10000), ``ASAN_BENCH_ARCHIVE_FILES_PER_CASE``
(default 500), ``ASAN_BENCH_ARCHIVE_CONCURRENCY`` (default 16).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from asan.archive.records.ingest import ingest_case
from asan.archive.storage.retention import ArchiveMetadata, lock_for_case
from asan.auth.principal import Principal
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku

KB = 1024
MIN_SIZE, MAX_SIZE = 20 * KB, 200 * KB
POOL = 64  # distinct random bodies; each file gets its own 32-byte prefix on top


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


@dataclass(frozen=True)
class BenchFile:
    id: str
    document_id: str
    case_id: str
    key: str
    size: int


class Bodies:
    """File bytes made on demand from a small pool (the same bytes for ingest and raw)."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(seed)
        self.pool = [rng.randbytes(MAX_SIZE) for _ in range(POOL)]

    def of(self, n: int, size: int) -> bytes:
        prefix = f"{n:031d}\n".encode()
        return prefix + self.pool[n % POOL][: size - len(prefix)]


async def _gather_limited(jobs: list[Any], limit: int) -> list[Any]:
    gate = asyncio.Semaphore(limit)

    async def one(job: Any) -> Any:
        async with gate:
            return await job()

    return list(await asyncio.gather(*(one(j) for j in jobs)))


async def _setup(
    platform: Platform, tag: str, files: int, per_case: int, bodies: Bodies, concurrency: int
) -> dict[str, list[tuple[int, BenchFile]]]:
    year = today_in_baku().year - 1
    rng = random.Random(tag)
    bucket = platform.buckets["documents"]
    cases: dict[str, list[tuple[int, BenchFile]]] = {}
    case_rows: list[dict[str, Any]] = []
    file_rows: list[dict[str, Any]] = []
    closed = datetime(year, 12, 31, 12, tzinfo=UTC)
    for n in range(files):
        c = n // per_case
        case_id = f"bench-{tag}-case-{c}"
        if case_id not in cases:
            cases[case_id] = []
            index = f"BENCH-{tag}-{c:03d}"
            case_rows.append(
                {
                    "id": case_id,
                    "year": year,
                    "index": index,
                    "number": c + 1,
                    "yearIndex": f"{year}:{index}",
                    "title": "Bench",
                    "unit": "BENCH-UNIT",
                    "retentionYears": 1,
                    "permanent": False,
                    "status": "unit_archive",
                    "closedAt": closed,
                    "disposalDate": date(year + 2, 1, 1),
                    "bench": True,
                }
            )
        f = BenchFile(
            id=f"bench-{tag}-file-{n}",
            document_id=f"bench-{tag}-doc-{n // 2}",
            case_id=case_id,
            key=f"bench-{tag}/{n}",
            size=rng.randint(MIN_SIZE, MAX_SIZE),
        )
        cases[case_id].append((n, f))
        file_rows.append(
            {
                "id": f.id,
                "documentId": f.document_id,
                "caseId": case_id,
                "role": "original",
                "version": 1 + n % 2,
                "size": f.size,
                "sha256": hashlib.sha256(bodies.of(n, f.size)).hexdigest(),
                "contentType": "application/pdf",
                "filename": f"{n}.pdf",
                "bucket": bucket,
                "objectKey": f.key,
                "createdAt": closed,
                "createdBy": "bench",
                "textStatus": "done",
                "derivedFrom": None,
            }
        )
    await platform.db.write("UNWIND $rows AS row CREATE (c:Case) SET c = row", {"rows": case_rows})
    for start in range(0, len(file_rows), 2000):
        await platform.db.write(
            """
            UNWIND $rows AS row
            MATCH (c:Case {id: row.caseId})
            MERGE (d:Document {id: row.documentId})
              ON CREATE SET d.unit = 'BENCH-UNIT', d.status = 'completed', d.bench = true
            MERGE (d)-[:FILED_IN]->(c)
            CREATE (f:DocumentFile) SET f = row
            REMOVE f.caseId
            """,
            {"rows": file_rows[start : start + 2000]},
        )

    def put(n: int, f: BenchFile) -> Any:
        return lambda: platform.store.put(
            bucket, f.key, bodies.of(n, f.size), content_type="application/pdf"
        )

    await _gather_limited([put(n, f) for group in cases.values() for n, f in group], concurrency)
    return cases


async def _raw(
    platform: Platform,
    tag: str,
    group: list[tuple[int, BenchFile]],
    bodies: Bodies,
    retain_until: datetime | None,
    concurrency: int,
) -> None:
    bucket = platform.buckets["archive"]

    def put(n: int, f: BenchFile) -> Any:
        async def go() -> None:
            data = bodies.of(n, f.size)
            meta = ArchiveMetadata(
                "BENCH-000", "1", f.case_id, f.document_id, hashlib.sha256(data).hexdigest()
            )
            await platform.store.put_locked(
                bucket,
                f"raw-{tag}/{f.case_id}/{f.document_id}/{f.id}",
                data,
                retain_until=retain_until,
                legal_hold=False,
                content_type="application/pdf",
                metadata=meta.as_headers(),
            )

        return go

    await _gather_limited([put(n, f) for n, f in group], concurrency)


async def _raw_copy(
    platform: Platform,
    tag: str,
    group: list[tuple[int, BenchFile]],
    retain_until: datetime | None,
    concurrency: int,
) -> None:
    """What any copy through this process must do: GET the source, put it locked."""
    source, bucket = platform.buckets["documents"], platform.buckets["archive"]

    def copy(f: BenchFile) -> Any:
        async def go() -> None:
            data = await platform.store.get(source, f.key)
            meta = ArchiveMetadata(
                "BENCH-000", "1", f.case_id, f.document_id, hashlib.sha256(data).hexdigest()
            )
            await platform.store.put_locked(
                bucket,
                f"copy-{tag}/{f.case_id}/{f.document_id}/{f.id}",
                data,
                retain_until=retain_until,
                legal_hold=False,
                content_type="application/pdf",
                metadata=meta.as_headers(),
            )

        return go

    await _gather_limited([copy(f) for _, f in group], concurrency)


async def run(platform: Platform) -> dict[str, Any]:
    files = _env_int("ASAN_BENCH_ARCHIVE_FILES", 10000)
    per_case = _env_int("ASAN_BENCH_ARCHIVE_FILES_PER_CASE", 500)
    concurrency = _env_int("ASAN_BENCH_ARCHIVE_CONCURRENCY", 16)
    tag = uuid.uuid4().hex[:8]
    bodies = Bodies(seed=11)
    started = time.perf_counter()
    cases = await _setup(platform, tag, files, per_case, bodies, concurrency)
    setup_s = time.perf_counter() - started
    until, _ = lock_for_case(today_in_baku().year - 1, 1)
    archivist = Principal(
        subject="bench.archivist", kind="user", roles=frozenset({"archivist"}), name="Bench"
    )
    spent = {"ingest": 0.0, "raw": 0.0, "copy": 0.0}
    ingested = total_bytes = 0
    order = ("ingest", "raw", "copy")
    for k, (case_id, group) in enumerate(cases.items()):
        for what in order[k % 3 :] + order[: k % 3]:  # each goes first in turn
            t0 = time.perf_counter()
            if what == "ingest":
                report = await ingest_case(platform, archivist, case_id, concurrency=concurrency)
                ingested += report.ingested
                total_bytes += report.bytes
            elif what == "raw":
                await _raw(platform, tag, group, bodies, until, concurrency)
            else:
                await _raw_copy(platform, tag, group, until, concurrency)
            spent[what] += time.perf_counter() - t0
    ingest_s, raw_s, copy_s = spent["ingest"], spent["raw"], spent["copy"]
    assert ingested == files, f"ingested {ingested} of {files}"
    mb = total_bytes / (1024 * 1024)
    return {
        "files": files,
        "cases": len(cases),
        "sizes_kb": f"{MIN_SIZE // KB}-{MAX_SIZE // KB} uniform",
        "mb": round(mb, 1),
        "concurrency": concurrency,
        "retain_until": until.date().isoformat(),
        "setup_s": round(setup_s, 1),
        "ingest": {
            "s": round(ingest_s, 2),
            "files_per_s": round(files / ingest_s, 1),
            "mb_per_s": round(mb / ingest_s, 2),
        },
        "raw_put_locked": {
            "s": round(raw_s, 2),
            "files_per_s": round(files / raw_s, 1),
            "mb_per_s": round(mb / raw_s, 2),
        },
        "raw_get_and_put_locked": {
            "s": round(copy_s, 2),
            "files_per_s": round(files / copy_s, 1),
            "mb_per_s": round(mb / copy_s, 2),
        },
        "ratio_time": round(ingest_s / raw_s, 2),
        "ratio_time_vs_get_and_put": round(ingest_s / copy_s, 2),
        "target_ratio": 1.5,
    }
