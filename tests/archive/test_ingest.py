"""Ingest of a case into the Object Lock bucket, on real Neo4j and MinIO: one record per file
version, retention from the case (COMPLIANCE until the disposal date, nothing for a case whose
date has passed, a legal hold for permanent cases), a second run adds nothing, an interrupted
run (objects put, records never written) resumes without putting again, a damaged source file
stops the ingest with its id."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest

from asan.archive.records import repository as records_repo
from asan.archive.records.ingest import ingest_case
from asan.archive.records.models import ArchivedRecord
from asan.archive.storage.retention import read_metadata, read_retention
from asan.core.errors import Conflict, Forbidden, InvalidTransition
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.edms.files.reads import file_by_id
from tests.archive.support import build_case
from tests.edms.conftest import World, make_world


@pytest.fixture(scope="module")
async def world(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    built = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("ingest-keys"))
    yield built
    await built.client.aclose()


async def records(w: World, case_id: str) -> list[ArchivedRecord]:
    return [ArchivedRecord.of(r) for r in await records_repo.of_case(w.platform.db, case_id)]


async def test_a_case_is_archived_locked_until_its_disposal_date(world: World) -> None:
    w = world
    built = await build_case(w, year=2025, number=1, retention_years=3, files_per_document=2)
    report = await ingest_case(w.platform, w.principal("archivist"), built.case_id)
    assert (report.ingested, report.skipped) == (4, 0)
    found = await records(w, built.case_id)
    assert sorted(r.file_id for r in found) == sorted(built.files)
    bucket = w.platform.buckets["archive"]
    for record in found:
        assert record.retain_until == datetime(2029, 1, 1, tzinfo=UTC)
        assert record.fixity == "unchecked" and not record.legal_hold
        locked = await read_retention(w.platform.store, bucket, record.key, record.version_id)
        assert locked.mode == "COMPLIANCE"
        assert locked.retain_until == datetime(2029, 1, 1, tzinfo=UTC)
        assert not locked.legal_hold
        meta = await read_metadata(w.platform.store, bucket, record.key, record.version_id)
        assert (meta.index, meta.retention, meta.case_id) == ("DEPT-IT-01", "3", built.case_id)
        source = await file_by_id(w.platform.db, record.file_id)
        assert source is not None and meta.sha256 == source.sha256 == record.sha256

    again = await ingest_case(w.platform, w.principal("archivist"), built.case_id)
    assert (again.ingested, again.skipped) == (0, 4)
    assert len(await records(w, built.case_id)) == 4


async def test_permanent_cases_are_held_and_old_cases_carry_no_date(world: World) -> None:
    w = world
    bucket = w.platform.buckets["archive"]
    permanent = await build_case(w, year=2025, number=2, permanent=True, documents=1)
    await ingest_case(w.platform, w.principal("archivist"), permanent.case_id)
    [record] = await records(w, permanent.case_id)
    assert record.legal_hold
    locked = await read_retention(w.platform.store, bucket, record.key, record.version_id)
    assert locked.legal_hold and locked.retain_until is None  # 1 January 2026 has passed

    old = await build_case(
        w, year=2015, number=1, retention_years=5, documents=1, closed_on=date(2015, 12, 30)
    )
    await ingest_case(w.platform, w.principal("archivist"), old.case_id)
    [record] = await records(w, old.case_id)
    assert record.retain_until is None and not record.legal_hold
    locked = await read_retention(w.platform.store, bucket, record.key, record.version_id)
    assert locked.mode is None and not locked.legal_hold


async def test_refusals_and_an_interrupted_ingest_resumes(world: World) -> None:
    w = world
    opened = await build_case(w, year=2026, number=1, documents=1, to="open")
    with pytest.raises(InvalidTransition, match="DEPT-IT-01"):
        await ingest_case(w.platform, w.principal("archivist"), opened.case_id)
    closed = await build_case(w, year=2025, number=3, documents=2)
    with pytest.raises(Forbidden):
        await ingest_case(w.platform, w.principal("head"), closed.case_id)

    # an earlier run put the objects and died before writing the records
    bucket = w.platform.buckets["archive"]
    await ingest_case(w.platform, w.principal("archivist"), closed.case_id)
    first = {r.key: r.version_id for r in await records(w, closed.case_id)}
    await w.platform.db.write(
        "MATCH (r:ArchivedRecord {caseId: $c}) DETACH DELETE r", {"c": closed.case_id}
    )
    resumed = await ingest_case(w.platform, w.principal("archivist"), closed.case_id)
    assert resumed.ingested == 2
    assert {r.key: r.version_id for r in await records(w, closed.case_id)} == first
    for key, version_id in first.items():  # the newest version is still the first put
        assert (await w.platform.store.stat(bucket, key)).version_id == version_id

    # a source file damaged in the document bucket is named, not archived
    damaged = await build_case(w, year=2025, number=4, documents=1)
    source = await file_by_id(w.platform.db, damaged.files[0])
    assert source is not None
    await w.platform.store.put(source.bucket, source.object_key, b"not the original bytes")
    with pytest.raises(Conflict, match=source.id):
        await ingest_case(w.platform, w.principal("archivist"), damaged.case_id)
    assert await records(w, damaged.case_id) == []
