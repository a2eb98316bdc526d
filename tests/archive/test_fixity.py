"""Fixity audits on real Neo4j and MinIO: damage done behind the system's back with awscli as
the MinIO root user (a pinned version deleted, a new object put on top of a key, the bytes of
an object in a bucket without versions replaced) is found, reported and flagged, never
repaired; everything else stays ok. Through GraphQL, the CLI and the schedule (its decisions
tested with explicit clocks, no sleeps), with the lease that keeps whole-archive runs apart."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from asan.archive.fixity import repository as fixity_repo
from asan.archive.fixity.audit import audit_due, audit_records, open_report, run_audit
from asan.archive.fixity.models import FixityReport
from asan.archive.fixity.schedule import background_runs, run_fixity_schedule, scheduled_tick
from asan.archive.fixity.settings import FixitySettings
from asan.archive.records import repository as records_repo
from asan.archive.records.ingest import ingest_case
from asan.archive.records.models import ArchivedRecord
from asan.auth.principal import SYSTEM
from asan.core.platform import Platform
from asan.core.settings import Settings
from tests.archive.support import BuiltCase, build_case
from tests.edms.conftest import World, make_world

AWS = Path(sys.executable).with_name("aws")
ROOT = Path(__file__).resolve().parents[2]

RUN = """
mutation($input: RunFixityAuditInput!) {
  runFixityAudit(input: $input) {
    report { reportId caseId trigger status checked ok mismatched missing overwritten bytes
             error }
    userErrors { field code message }
  }
}
"""
REPORT = """
query($id: ID!) {
  fixityReport(id: $id) {
    reportId status trigger checked ok mismatched missing overwritten
    problems(first: 10) {
      totalCount
      edges { node { recordId caseId caseIndex key versionId kind expected actual } }
    }
  }
}
"""
REPORTS = "{ fixityReports(first: 50) { totalCount edges { node { reportId trigger } } } }"
PROBLEM_PAGE = """
query($id: ID!, $after: String) {
  fixityReport(id: $id) {
    problems(first: 3, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { recordId } }
    }
  }
}
"""


def aws(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    """``aws s3api`` as the MinIO root user: not the project's S3 client."""
    scheme = "https" if settings.minio_secure else "http"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "AWS_ACCESS_KEY_ID": settings.minio_access_key,
        "AWS_SECRET_ACCESS_KEY": settings.minio_secret_key.get_secret_value(),
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    done = subprocess.run(
        [str(AWS), "s3api", *args, "--endpoint-url", f"{scheme}://{settings.minio_endpoint}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done


@dataclass
class Damage:
    missing: ArchivedRecord  # its pinned version deleted
    overwritten: ArchivedRecord  # a foreign object put on top of its key
    marked: ArchivedRecord  # a delete marker put on top of its key (same case)
    mismatched: ArchivedRecord  # moved to a bucket without versions, its bytes replaced
    cases: dict[str, BuiltCase]
    plain_bucket: str
    foreign_version: str


async def records_of(w: World, case_id: str) -> list[ArchivedRecord]:
    rows = await records_repo.of_case(w.platform.db, case_id)
    return sorted((ArchivedRecord.of(r) for r in rows), key=lambda r: r.key)


async def record(w: World, record_id: str) -> ArchivedRecord:
    found = await records_repo.by_id(w.platform.db, record_id)
    assert found is not None
    return ArchivedRecord.of(found)


@pytest.fixture(scope="module")
async def world(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    built = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("fixity-keys"))
    yield built
    await built.client.aclose()


@pytest.fixture(scope="module")
async def damage(
    world: World, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Damage]:
    """Four cases closed in 2012 (five-year retention, long run out: no lock), archived; then
    three of them damaged behind the system's back, the fourth left alone."""
    assert AWS.exists(), "awscli is a dev dependency: pip install -e '.[dev]'"
    w, cases = world, {}
    for number, name in enumerate(("missing", "overwritten", "mismatched", "clean"), start=1):
        cases[name] = await build_case(
            w, year=2012, number=number, retention_years=5, documents=1, files_per_document=2
        )
        await ingest_case(w.platform, w.principal("archivist"), cases[name].case_id)
    archive = w.platform.buckets["archive"]

    missing = (await records_of(w, cases["missing"].case_id))[0]
    gone = aws(settings, "delete-object", "--bucket", archive, "--key", missing.key,
               "--version-id", str(missing.version_id))  # fmt: skip
    assert gone.returncode == 0, gone.stderr

    overwritten, marked = await records_of(w, cases["overwritten"].case_id)
    body = tmp_path_factory.mktemp("fixity-bodies") / "foreign.bin"
    body.write_bytes(b"not what was archived")
    put = aws(settings, "put-object", "--bucket", archive, "--key", overwritten.key,
              "--body", str(body))  # fmt: skip
    assert put.returncode == 0, put.stderr
    foreign_version = (await w.platform.store.stat(archive, overwritten.key)).version_id
    assert foreign_version and foreign_version != overwritten.version_id
    hidden = aws(settings, "delete-object", "--bucket", archive, "--key", marked.key)
    assert hidden.returncode == 0, hidden.stderr  # no version id: a delete marker on top

    # a bucket without versions or lock: the only place bytes can change under one key
    plain = f"{settings.bucket_prefix}-fixity-plain-{uuid.uuid4().hex[:8]}"
    await w.platform.store.ensure_bucket(plain)
    mismatched = (await records_of(w, cases["mismatched"].case_id))[0]
    original = await w.platform.store.get(archive, mismatched.key, mismatched.version_id)
    await w.platform.store.put(plain, mismatched.key, original)
    await w.platform.db.write(
        "MATCH (r:ArchivedRecord {id: $id}) SET r.bucket = $bucket, r.versionId = null",
        {"id": mismatched.id, "bucket": plain},
    )
    replaced = aws(settings, "put-object", "--bucket", plain, "--key", mismatched.key,
                   "--body", str(body))  # fmt: skip
    assert replaced.returncode == 0, replaced.stderr

    yield Damage(
        missing=missing,
        overwritten=overwritten,
        marked=marked,
        mismatched=await record(w, mismatched.id),
        cases=cases,
        plain_bucket=plain,
        foreign_version=foreign_version,
    )
    await w.platform.store.remove_bucket(plain)
    # the session's bucket removal cannot ask a delete marker for its legal hold: take it off
    listed = aws(settings, "list-object-versions", "--bucket", archive, "--prefix", marked.key)
    assert listed.returncode == 0, listed.stderr
    for entry in json.loads(listed.stdout or "{}").get("DeleteMarkers", []):
        undone = aws(settings, "delete-object", "--bucket", archive, "--key", entry["Key"],
                     "--version-id", entry["VersionId"])  # fmt: skip
        assert undone.returncode == 0, undone.stderr


def problems_of(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The report's problems by record (one each in these tests)."""
    nodes = [e["node"] for e in report["problems"]["edges"]]
    by_record = {n["recordId"]: n for n in nodes}
    assert len(by_record) == len(nodes) == report["problems"]["totalCount"], nodes
    return by_record


async def test_a_whole_archive_audit_reports_and_flags_the_damage_and_repairs_nothing(
    world: World, damage: Damage, settings: Settings
) -> None:
    w, d = world, damage
    started = await w.gql("archivist", RUN, {"input": {}})
    payload = started["runFixityAudit"]
    assert payload["userErrors"] == []
    assert payload["report"]["trigger"] == "API" and payload["report"]["caseId"] is None
    report_id = payload["report"]["reportId"]
    await asyncio.wait_for(asyncio.gather(*background_runs()), timeout=60)

    report = (await w.gql("auditor", REPORT, {"id": report_id}))["fixityReport"]
    assert report["status"] == "FINISHED"
    assert (report["checked"], report["ok"]) == (8, 6)  # the overwritten record's bytes are fine
    assert (report["mismatched"], report["missing"], report["overwritten"]) == (1, 1, 2)
    found = problems_of(report)
    assert set(found) == {d.missing.id, d.overwritten.id, d.marked.id, d.mismatched.id}
    missing, mismatched = found[d.missing.id], found[d.mismatched.id]
    assert (missing["kind"], missing["caseIndex"]) == ("MISSING", d.cases["missing"].index)
    assert (missing["expected"], missing["actual"]) == (d.missing.sha256, None)
    on_top = found[d.overwritten.id]
    assert (on_top["kind"], on_top["expected"], on_top["actual"]) == (
        "OVERWRITTEN",
        d.overwritten.version_id,
        d.foreign_version,
    )
    marker = found[d.marked.id]
    assert (marker["kind"], marker["expected"], marker["actual"]) == (
        "OVERWRITTEN",
        d.marked.version_id,
        "delete-marker",
    )
    assert (mismatched["kind"], mismatched["key"]) == ("MISMATCH", d.mismatched.key)
    assert mismatched["expected"] == d.mismatched.sha256
    assert mismatched["actual"] not in (None, d.mismatched.sha256)

    # the records are flagged; every other one is ok and was checked by this run
    expected = {d.missing.id: "missing", d.mismatched.id: "mismatch"}
    for built in d.cases.values():
        for r in await records_of(w, built.case_id):
            assert r.fixity == expected.get(r.id, "ok"), r
            assert r.fixity_checked_at is not None

    # nothing was repaired: the version is still gone, the foreign one still on top, the
    # replaced bytes still replaced
    archive = w.platform.buckets["archive"]
    head = aws(settings, "head-object", "--bucket", archive, "--key", d.missing.key,
               "--version-id", str(d.missing.version_id))  # fmt: skip
    assert head.returncode != 0
    assert (await w.platform.store.stat(archive, d.overwritten.key)).version_id == (
        d.foreign_version
    )
    assert (await w.platform.store.get(d.plain_bucket, d.mismatched.key)) == (
        b"not what was archived"
    )
    assert not await w.platform.store.exists(archive, d.marked.key)  # still reads as deleted

    # the change log: the report, and the two cases whose records became damaged
    events = await w.platform.db.read(
        "MATCH (e:ChangeEvent {action: 'archive.fixity.run'}) "
        "RETURN e.entityKind AS kind, e.entityId AS id, e.operation AS op",
        {},
    )
    seen = {(e["kind"], e["id"], e["op"]) for e in events}
    assert ("FixityReport", report_id, "created") in seen
    assert ("FixityReport", report_id, "status_changed") in seen
    assert ("FixityReport", report_id, "updated") in seen  # its problems
    flagged = {e["id"] for e in events if e["kind"] == "Case"}
    assert flagged == {d.cases["missing"].case_id, d.cases["mismatched"].case_id}
    # the audit trail: the opening, the batch and the end, all as the archivist
    audited = await w.platform.db.read(
        "MATCH (e:AuditEvent {action: 'archive.fixity.run', outcome: 'allowed'}) "
        "WHERE e.details CONTAINS $id RETURN e.actor AS actor",
        {"id": report_id},
    )
    assert len(audited) == 3
    assert {a["actor"] for a in audited} == {w.users["archivist"]}

    # problems page by key and kind: 3, then the fourth after the cursor
    first = (await w.gql("auditor", PROBLEM_PAGE, {"id": report_id}))["fixityReport"]["problems"]
    assert first["totalCount"] == 4 and first["pageInfo"]["hasNextPage"]
    cursor = first["pageInfo"]["endCursor"]
    rest = (await w.gql("auditor", PROBLEM_PAGE, {"id": report_id, "after": cursor}))[
        "fixityReport"
    ]["problems"]
    assert not rest["pageInfo"]["hasNextPage"]
    paged = [e["node"]["recordId"] for e in first["edges"] + rest["edges"]]
    assert sorted(paged) == sorted(found)

    listed = (await w.gql("registrar", REPORTS))["fixityReports"]
    assert report_id in [e["node"]["reportId"] for e in listed["edges"]]


async def test_one_case_is_audited_while_the_request_waits(world: World, damage: Damage) -> None:
    w, d = world, damage
    data = await w.gql("archivist", RUN, {"input": {"caseId": d.cases["overwritten"].case_id}})
    report = data["runFixityAudit"]["report"]
    assert report["status"] == "FINISHED" and report["caseId"] == d.cases["overwritten"].case_id
    assert (report["checked"], report["ok"], report["overwritten"]) == (2, 2, 2)
    assert (report["mismatched"], report["missing"]) == (0, 0)

    clean = await w.gql("archivist", RUN, {"input": {"caseId": d.cases["clean"].case_id}})
    assert clean["runFixityAudit"]["report"]["overwritten"] == 0
    assert clean["runFixityAudit"]["report"]["bytes"] > 0

    # a repeated clientMutationId returns the first report and starts nothing
    once = {"caseId": d.cases["clean"].case_id, "clientMutationId": "fixity-once"}
    first = await w.gql("archivist", RUN, {"input": once})
    before = (await w.gql("archivist", REPORTS))["fixityReports"]["totalCount"]
    again = await w.gql("archivist", RUN, {"input": once})
    assert again["runFixityAudit"]["report"] == first["runFixityAudit"]["report"]
    assert (await w.gql("archivist", REPORTS))["fixityReports"]["totalCount"] == before

    unknown = await w.gql("archivist", RUN, {"input": {"caseId": "no-such-case"}})
    assert [e["code"] for e in unknown["runFixityAudit"]["userErrors"]] == ["NOT_FOUND"]

    refused = await w.post("outsider", RUN, {"input": {"caseId": d.cases["clean"].case_id}})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    hidden = await w.post("outsider", REPORTS)
    assert hidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_whole_archive_runs_never_overlap(world: World, damage: Damage) -> None:
    w = world
    opened = await open_report(w.platform, SYSTEM, case_id=None, trigger="cli")
    assert opened is not None
    busy = await w.gql("archivist", RUN, {"input": {}})
    errors = busy["runFixityAudit"]["userErrors"]
    assert [e["code"] for e in errors] == ["CONFLICT"] and opened[0] in errors[0]["message"]
    # one case needs no lease
    alone = await w.gql("archivist", RUN, {"input": {"caseId": damage.cases["clean"].case_id}})
    assert alone["runFixityAudit"]["report"]["status"] == "FINISHED"
    # the holder's process dies: once its lease has run out, the next run takes over and
    # marks it failed
    await w.platform.db.write(
        "MATCH (l:FixityLease) SET l.until = $past", {"past": datetime.now(UTC) - timedelta(1)}
    )
    after = await run_audit(w.platform, SYSTEM, trigger="cli")
    assert after.status == "finished"
    dead = await fixity_repo.report_by_id(w.platform.db, opened[0])
    assert dead is not None and dead["status"] == "failed" and "lease" in dead["error"]
    lease = await fixity_repo.read_lease(w.platform.db)
    assert lease is not None and lease["owner"] is None  # released at the end


async def test_a_stopped_run_ends_failed_and_releases_its_lease(world: World) -> None:
    w = world
    opened = await open_report(w.platform, SYSTEM, case_id=None, trigger="schedule")
    assert opened is not None
    stop = asyncio.Event()
    stop.set()
    with pytest.raises(Exception, match="stopped"):
        await audit_records(w.platform, SYSTEM, opened[0], case_id=None, stop=stop)
    ended = await fixity_repo.report_by_id(w.platform.db, opened[0])
    assert ended is not None and ended["status"] == "failed" and "stopped" in ended["error"]
    lease = await fixity_repo.read_lease(w.platform.db)
    assert lease is not None and lease["owner"] is None


@pytest.mark.parametrize(
    ("last_hours_ago", "interval", "due"),
    [(None, 24.0, True), (23.0, 24.0, False), (24.0, 24.0, True), (None, 0.0, False)],
)
def test_an_audit_is_due_after_the_interval_since_the_last_whole_run(
    last_hours_ago: float | None, interval: float, due: bool
) -> None:
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    last = None if last_hours_ago is None else now - timedelta(hours=last_hours_ago)
    assert audit_due(last, now, interval) is due


async def test_the_schedule_runs_once_when_due_whichever_node_asks(
    world: World, damage: Damage
) -> None:
    w = world
    config = FixitySettings(interval_hours=24.0, check_seconds=3600.0)
    assert await scheduled_tick(w.platform, settings=config) is None  # ran moments ago
    assert await scheduled_tick(w.platform, settings=FixitySettings(interval_hours=0)) is None
    # a day passes (the reports so far are moved back 25 hours)
    await w.platform.db.write(
        "MATCH (r:FixityReport) SET r.startedAt = r.startedAt - duration({hours: 25})", {}
    )
    # two nodes ask at the same moment: exactly one runs it
    both = await asyncio.gather(
        scheduled_tick(w.platform, settings=config), scheduled_tick(w.platform, settings=config)
    )
    ran = [r for r in both if r is not None]
    assert len(ran) == 1
    assert (ran[0].trigger, ran[0].status, ran[0].checked) == ("schedule", "finished", 8)
    assert await scheduled_tick(w.platform, settings=config) is None

    # the server's loop: it ticks every check_seconds (not due: nothing runs); stopping it
    # ends it at once
    ticked = asyncio.Event()
    stop = asyncio.Event()
    ticks: list[FixityReport | None] = []

    def on_tick(report: FixityReport | None) -> None:
        ticks.append(report)
        ticked.set()

    often = FixitySettings(interval_hours=24.0, check_seconds=0.05)
    loop = asyncio.create_task(
        run_fixity_schedule(w.platform, stop, settings=often, on_tick=on_tick)
    )
    await asyncio.wait_for(ticked.wait(), timeout=30)
    stop.set()
    await asyncio.wait_for(loop, timeout=30)
    assert ticks and all(t is None for t in ticks)


def test_the_cli_prints_the_problems_and_fails(world: World, damage: Damage) -> None:
    d = damage
    env = {**os.environ, "COLUMNS": "200"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "asan", "archive", "audit", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    whole = cli("--concurrency", "4")
    assert whole.returncode == 1, whole.stderr
    lines = whole.stdout.splitlines()
    assert "8 checked, 6 ok, 1 mismatched, 1 missing, 2 overwritten" in lines[0]
    assert sorted(lines[1:]) == sorted(
        [
            f"{d.cases['missing'].index}\t{d.missing.key}\tmissing",
            f"{d.cases['overwritten'].index}\t{d.overwritten.key}\toverwritten",
            f"{d.cases['overwritten'].index}\t{d.marked.key}\toverwritten",
            f"{d.cases['mismatched'].index}\t{d.mismatched.key}\tmismatch",
        ]
    )
    assert "fixity audit" in whole.stderr  # the progress bar
    clean = cli("--case", d.cases["clean"].case_id)
    assert clean.returncode == 0, clean.stderr + clean.stdout
    assert "2 checked, 2 ok, 0 mismatched, 0 missing, 0 overwritten" in clean.stdout
