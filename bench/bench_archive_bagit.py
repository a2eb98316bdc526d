"""BagIt export (and import) of a permanent case of many files (issue 11, performance).

Setup (not measured): a permanent case with ``ASAN_BENCH_BAGIT_FILES`` files (default 1000)
of ``ASAN_BENCH_BAGIT_KB`` KiB each (default 100, random bytes), ten per document, put into
the archive bucket without a lock (so the bench can remove them) and described with direct
Cypher (case, documents, file versions, archived records), as ingest would have left them.

Measured in one run:
- raw read: every archived version read from MinIO and hashed (SHA-256), concurrency 8:
  the floor of what an export must do before writing anything;
- export: ``export_case`` as the system: the snapshot unit, every version read by its
  version id and checked, written to disk, cards and fixity written, ``bagit.make_bag``
  (SHA-256 and SHA-512 manifests), ``Bag.validate``, the .tar and its SHA-256, the finishing
  unit;
- validation alone: ``bagit.Bag(folder).validate()`` of the written bag again;
- import: ``import_bag`` of the .tar into empty buckets (a second bucket prefix) after the
  case's nodes were removed: unpack, validate, every file into the documents bucket and the
  archive bucket, the graph in one audited unit.
Everything the bench made is removed afterwards (nodes, buckets, files).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
import shutil
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import bagit

from asan.archive.export.restore import import_bag
from asan.archive.export.use_cases import export_case
from asan.auth.principal import SYSTEM
from asan.core.platform import Platform

KB = 1024
PER_DOCUMENT = 10
UNIT = "BENCH-BAG-UNIT"
YEAR = 1999


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


async def _setup(platform: Platform, tag: str, files: int, size: int) -> dict[str, Any]:
    rng = random.Random(tag)
    bucket = platform.buckets["archive"]
    case_id = f"bench-bag-{tag}"
    closed = datetime(YEAR, 12, 30, 12, tzinfo=UTC)
    gate = asyncio.Semaphore(16)
    rows: list[dict[str, Any]] = []

    async def one(n: int) -> None:
        data = rng.randbytes(size)
        document_id = f"{case_id}-doc-{n // PER_DOCUMENT}"
        file_id = f"{case_id}-file-{n}"
        key = f"{case_id}/{document_id}/{file_id}"
        async with gate:
            stored = await platform.store.put(bucket, key, data, content_type="application/pdf")
        rows.append(
            {
                "fileId": file_id,
                "documentId": document_id,
                "key": key,
                "versionId": stored.version_id,
                "sha256": hashlib.sha256(data).hexdigest(),
                "size": size,
                "version": 1 + n % PER_DOCUMENT,
            }
        )

    await asyncio.gather(*(one(n) for n in range(files)))
    await platform.db.write(
        """
        MERGE (u:OrgUnit {code: $unit}) ON CREATE SET u.nameAz = 'Bench', u.bench = true
        CREATE (c:Case {id: $case, year: $year, index: $index, yearIndex: $yearIndex,
                        number: 1, title: 'Daimi saxlanılan əmrlər (bench)', unit: $unit,
                        permanent: true, status: 'permanent', closedAt: $closed,
                        expertReview: false, bench: true})
        """,
        {
            "unit": UNIT,
            "case": case_id,
            "year": YEAR,
            "index": f"BENCH-{tag}",
            "yearIndex": f"{YEAR}:BENCH-{tag}",
            "closed": closed,
        },
    )
    for start in range(0, len(rows), 2000):
        await platform.db.write(
            """
            MATCH (c:Case {id: $case})
            UNWIND $rows AS row
            MERGE (d:Document {id: row.documentId})
              ON CREATE SET d.unit = $unit, d.status = 'completed', d.kind = 'order',
                            d.subject = 'Əmr (bench) ' + row.documentId,
                            d.classification = 'public', d.regDate = $on, d.bench = true
            MERGE (d)-[:FILED_IN]->(c)
            CREATE (f:DocumentFile {id: row.fileId, documentId: row.documentId,
                role: 'original', version: row.version, sha256: row.sha256, size: row.size,
                contentType: 'application/pdf', filename: row.fileId + '.pdf',
                bucket: 'bench', objectKey: row.key, createdAt: $closed, createdBy: 'bench',
                textStatus: 'done'})
            CREATE (r:ArchivedRecord {id: 'rec-' + row.fileId, caseId: $case,
                documentId: row.documentId, fileId: row.fileId, role: 'original',
                fileVersion: row.version, filename: row.fileId + '.pdf',
                contentType: 'application/pdf', bucket: $bucket, key: row.key,
                versionId: row.versionId, sha256: row.sha256, size: row.size,
                legalHold: false, ingestedAt: $closed, ingestedBy: 'bench',
                fixity: 'unchecked'})
            CREATE (r)-[:OF_CASE]->(c), (r)-[:COPY_OF]->(f)
            """,
            {
                "case": case_id,
                "unit": UNIT,
                "on": date(YEAR, 6, 1),
                "closed": closed,
                "bucket": bucket,
                "rows": rows[start : start + 2000],
            },
        )
    return {"case_id": case_id, "rows": rows}


async def _raw_read(platform: Platform, rows: list[dict[str, Any]]) -> float:
    bucket = platform.buckets["archive"]
    gate = asyncio.Semaphore(8)

    async def one(row: dict[str, Any]) -> None:
        async with gate:
            data = await platform.store.get(bucket, row["key"], row["versionId"])
        assert hashlib.sha256(data).hexdigest() == row["sha256"]

    started = time.perf_counter()
    await asyncio.gather(*(one(r) for r in rows))
    return time.perf_counter() - started


async def _remove_case(platform: Platform, case_id: str) -> None:
    for cypher in (
        "MATCH (d:Document)-[:FILED_IN]->(:Case {id: $case}) "
        "OPTIONAL MATCH (f:DocumentFile {documentId: d.id}) "
        "OPTIONAL MATCH (f)-[:STORED_AS]->(o:StoredObject) DETACH DELETE f, o",
        "MATCH (d:Document)-[:FILED_IN]->(:Case {id: $case}) DETACH DELETE d",
        "MATCH (r:ArchivedRecord {caseId: $case}) DETACH DELETE r",
        "MATCH (e:ArchiveExport {caseId: $case}) DETACH DELETE e",
        "MATCH (c:Case {id: $case}) DETACH DELETE c",
    ):
        await platform.db.write(cypher, {"case": case_id})


async def run(platform: Platform) -> dict[str, Any]:
    files = _env_int("ASAN_BENCH_BAGIT_FILES", 1000)
    size = _env_int("ASAN_BENCH_BAGIT_KB", 100) * KB
    tag = uuid.uuid4().hex[:8]
    made = await _setup(platform, tag, files, size)
    case_id, rows = made["case_id"], made["rows"]
    out = Path(tempfile.mkdtemp(prefix="asan-bench-bagit-"))
    target = Platform.connect(
        platform.settings.model_copy(update={"bucket_prefix": f"asan-bench-bag-{tag}"})
    )
    try:
        raw_s = await _raw_read(platform, rows)
        started = time.perf_counter()
        export = await export_case(platform, SYSTEM, case_id, out_dir=out)
        export_s = time.perf_counter() - started
        assert export.validated and export.path is not None
        folder = Path(export.path).with_suffix("")
        started = time.perf_counter()
        await asyncio.to_thread(bagit.Bag(str(folder)).validate)
        validate_s = time.perf_counter() - started

        await _remove_case(platform, case_id)
        await target.ensure_buckets()
        started = time.perf_counter()
        report = await import_bag(target, SYSTEM, Path(export.path))
        import_s = time.perf_counter() - started
        assert report.files == files
        mb = files * size / (1024 * 1024)
        return {
            "files": files,
            "file_kb": size // KB,
            "payload_mb": round(mb, 1),
            "tar_mb": round((export.bytes or 0) / (1024 * 1024), 1),
            "raw_read_hash_s": round(raw_s, 2),
            "export_s": round(export_s, 2),
            "export_mb_per_s": round(mb / export_s, 1),
            "export_vs_raw_read": round(export_s / raw_s, 2),
            "validate_s": round(validate_s, 2),
            "import_s": round(import_s, 2),
        }
    finally:
        await _remove_case(platform, case_id)
        await platform.db.write(
            "MATCH (u:OrgUnit {code: $unit, bench: true}) "
            "WHERE NOT EXISTS { MATCH (:Case {unit: $unit}) } DETACH DELETE u",
            {"unit": UNIT},
        )
        await platform.db.write(
            "MATCH (n:Nomenclature {year: $year}) "
            "WHERE NOT EXISTS { MATCH (:Case)-[:IN_NOMENCLATURE]->(n) } DELETE n",
            {"year": YEAR},
        )
        for row in rows:
            await platform.store.delete(platform.buckets["archive"], row["key"], row["versionId"])
        for bucket in target.buckets.values():
            await target.store.remove_bucket(bucket)
        await target.close()
        shutil.rmtree(out, ignore_errors=True)
