"""Fixity audit throughput (issue 11, performance): MB/s of the audit against a raw read and
SHA-256 of the same objects with the same concurrency, measured in the same run (target: the
audit at least 80% of raw).

Setup is direct, to keep it quick: N random objects (default 2,000 x 256 KiB) put into the
archive bucket without retention (so the bench can remove them), and their ArchivedRecord
nodes written with one bulk Cypher statement under a bench case. Rounds alternate raw and
audit on the same objects (each reads every object once):
- raw: the MinIO SDK's ``get_object`` streamed through ``hashlib.sha256`` in worker threads,
  ``concurrency`` at once: the floor, no graph, no version check;
- audit: ``audit_records`` for the bench case (the use case the CLI and the schedule run):
  paging the records, the pinned-version read through SHA-256, the newest-version check per
  key, the audited batch writes (flags, counters) overlapped with the next page.

Knobs: ASAN_BENCH_FIXITY_FILES, ASAN_BENCH_FIXITY_KB, ASAN_BENCH_FIXITY_CONCURRENCY,
ASAN_BENCH_FIXITY_ROUNDS.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import statistics
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import anyio

from asan.archive.fixity.audit import audit_records, open_report
from asan.auth.principal import SYSTEM
from asan.core.platform import Platform

FILES = int(os.environ.get("ASAN_BENCH_FIXITY_FILES", "2000"))
KIB = int(os.environ.get("ASAN_BENCH_FIXITY_KB", "256"))
CONCURRENCY = int(os.environ.get("ASAN_BENCH_FIXITY_CONCURRENCY", "8"))
ROUNDS = int(os.environ.get("ASAN_BENCH_FIXITY_ROUNDS", "3"))
MB = 1_000_000


async def _setup(platform: Platform, case_id: str) -> list[dict[str, Any]]:
    bucket = platform.buckets["archive"]
    gate = asyncio.Semaphore(CONCURRENCY)
    now = datetime.now(UTC)

    async def put(i: int) -> dict[str, Any]:
        data = os.urandom(KIB * 1024)
        key = f"{case_id}/bench/{i:06d}"
        async with gate:
            stored = await platform.store.put_locked(bucket, key, data, retain_until=None)
        return {
            "id": str(uuid.uuid4()),
            "caseId": case_id,
            "documentId": f"bench-doc-{i}",
            "fileId": f"{case_id}-{i}",
            "role": "original",
            "fileVersion": 1,
            "filename": f"{i}.bin",
            "contentType": "application/octet-stream",
            "bucket": bucket,
            "key": key,
            "versionId": stored.version_id,
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
            "retainUntil": None,
            "legalHold": False,
            "ingestedAt": now,
            "ingestedBy": "bench",
            "fixity": "unchecked",
            "fixityCheckedAt": None,
            "destroyedAt": None,
            "destroyedByAct": None,
        }

    rows = list(await asyncio.gather(*(put(i) for i in range(FILES))))
    await platform.db.write(
        """
        CREATE (c:Case {id: $case, index: 'BENCH-FIXITY', status: 'transferred', bench: true})
        WITH c
        UNWIND $rows AS row
        CREATE (r:ArchivedRecord) SET r = row
        CREATE (r)-[:OF_CASE]->(c)
        """,
        {"case": case_id, "rows": rows},
    )
    return rows


async def _raw(platform: Platform, rows: list[dict[str, Any]]) -> tuple[float, int]:
    """Seconds and bytes to read and hash every object, ``CONCURRENCY`` at once."""
    client, limiter = platform.store.client, anyio.CapacityLimiter(CONCURRENCY)

    def one(row: dict[str, Any]) -> int:
        response = client.get_object(row["bucket"], row["key"], version_id=row["versionId"])
        digest, size = hashlib.sha256(), 0
        try:
            for part in response.stream(1024 * 1024):
                digest.update(part)
                size += len(part)
        finally:
            response.close()
            response.release_conn()
        assert digest.hexdigest() == row["sha256"]
        return size

    async def run(row: dict[str, Any]) -> int:
        return await anyio.to_thread.run_sync(one, row, limiter=limiter)

    started = time.perf_counter()
    sizes = await asyncio.gather(*(run(r) for r in rows))
    return time.perf_counter() - started, sum(sizes)


async def _audit(platform: Platform, case_id: str) -> tuple[float, int]:
    opened = await open_report(platform, SYSTEM, case_id=case_id, trigger="cli")
    assert opened is not None
    started = time.perf_counter()
    report = await audit_records(
        platform, SYSTEM, opened[0], case_id=case_id, concurrency=CONCURRENCY
    )
    seconds = time.perf_counter() - started
    assert report.status == "finished" and report.ok == FILES, report
    return seconds, report.bytes


async def _cleanup(platform: Platform, case_id: str, rows: list[dict[str, Any]]) -> None:
    gate = asyncio.Semaphore(CONCURRENCY)

    async def delete(row: dict[str, Any]) -> None:
        async with gate:
            await platform.store.delete(row["bucket"], row["key"], row["versionId"])

    await asyncio.gather(*(delete(r) for r in rows))
    await platform.db.write(
        """
        MATCH (c:Case {id: $case})
        OPTIONAL MATCH (p:FixityProblem {caseId: $case})
        DETACH DELETE p
        WITH DISTINCT c
        OPTIONAL MATCH (f:FixityReport {caseId: $case})
        DETACH DELETE f
        WITH DISTINCT c
        OPTIONAL MATCH (r:ArchivedRecord {caseId: $case})
        DETACH DELETE r
        WITH DISTINCT c
        DETACH DELETE c
        """,
        {"case": case_id},
    )


async def run(platform: Platform) -> dict[str, Any]:
    case_id = f"bench-fixity-{uuid.uuid4().hex[:8]}"
    started = time.perf_counter()
    rows = await _setup(platform, case_id)
    setup_s = time.perf_counter() - started
    rounds: list[dict[str, float]] = []
    try:
        for _ in range(ROUNDS):
            raw_s, raw_bytes = await _raw(platform, rows)
            audit_s, audit_bytes = await _audit(platform, case_id)
            assert raw_bytes == audit_bytes == FILES * KIB * 1024
            raw_mbs, audit_mbs = raw_bytes / MB / raw_s, audit_bytes / MB / audit_s
            rounds.append(
                {
                    "raw_MBps": round(raw_mbs, 1),
                    "audit_MBps": round(audit_mbs, 1),
                    "audit_over_raw": round(audit_mbs / raw_mbs, 3),
                    "raw_s": round(raw_s, 2),
                    "audit_s": round(audit_s, 2),
                }
            )
    finally:
        await _cleanup(platform, case_id, rows)
    ratios = [r["audit_over_raw"] for r in rounds]
    return {
        "files": FILES,
        "kib_each": KIB,
        "concurrency": CONCURRENCY,
        "setup_s": round(setup_s, 1),
        "rounds": rounds,
        "audit_over_raw_median": round(statistics.median(ratios), 3),
        "audit_over_raw_range": [min(ratios), max(ratios)],
        "target": ">= 0.80",
    }
