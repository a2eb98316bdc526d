"""A fixity run: every archived record not destroyed (or one case's) re-read and re-hashed.

Graph writes go in batches (``ASAN_ARCHIVE_FIXITY_BATCH`` records, 500 by default), each one
audited unit through ``run_mutation``: the records' flags and check time, the problems found
and the report's running counters. For 100,000 records that is 200 small transactions rather
than one holding 100,000 updates (and the change-log and audit heads) for the whole run; a run
that dies keeps what it checked, its report says how far it got, and the report shows progress
while it runs. Records are walked in key order, so that one version listing gives
the newest versions of a page's keys; the next page is read while one is hashed, and a batch
is written while the next is hashed.

A whole-archive run holds the one lease (a ``FixityLease`` node), renewed with every batch:
runs on several API nodes, the CLI and the schedule never overlap, and a run whose process died
is marked failed by the next one once its lease has run out. One case's run takes no lease.

Nothing is repaired: a damaged or missing object is reported and its record flagged, and only
a person (with the disposition or ingest tools) decides what happens next.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from asan.archive.fixity import repository as repo
from asan.archive.fixity.check import Checked, hash_record, newest_versions, with_newest
from asan.archive.fixity.models import (
    FAILED,
    FINISHED,
    OVERWRITTEN,
    RUNNING,
    FixityReport,
)
from asan.archive.fixity.policy import RUN
from asan.archive.fixity.settings import fixity_settings
from asan.archive.records import repository as records_repo
from asan.archive.records.models import MISMATCH, MISSING, OK, ArchivedRecord
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.errors import Conflict, NotFound
from asan.core.platform import Platform

log = logging.getLogger("asan.archive.fixity")
REPORT_KIND = "FixityReport"
CASE_KIND = "Case"
Progress = Callable[[int, int], None]  # (done, total) after each record
PROBLEM_STATES = frozenset({MISMATCH, MISSING})
FIRST_PAGE = 64


class _NotDue(Exception):
    """Another node started the scheduled run first: roll the unit back, audit nothing."""


def audit_due(last_started: datetime | None, now: datetime, interval_hours: float) -> bool:
    """Whether the periodic whole-archive run is due: never when turned off (0), at once
    before the first run, then ``interval_hours`` after the last run began."""
    if interval_hours <= 0:
        return False
    return last_started is None or now - last_started >= timedelta(hours=interval_hours)


def lease_live(lease: Any | None, now: datetime) -> bool:
    if lease is None or lease["owner"] is None or lease["until"] is None:
        return False
    until = lease["until"]
    until = until.to_native() if hasattr(until, "to_native") else until
    return bool(until > now)


def _resource(case_id: str | None) -> Resource:
    return Resource(REPORT_KIND, id=case_id or "archive")


async def open_report(
    platform: Platform,
    principal: Principal,
    *,
    case_id: str | None,
    trigger: str,
    client_mutation_id: str | None = None,
    due_hours: float | None = None,
    clock: datetime | None = None,
) -> tuple[str, bool] | None:
    """Create a running report: ``(id, fresh)``; ``fresh`` False when ``client_mutation_id``
    repeats an earlier call (its report is returned, nothing starts again). With
    ``due_hours`` (the schedule) None when the run is not due at ``clock`` (default now) or
    another node has it."""
    fresh = False
    lease_seconds = fixity_settings().lease_seconds

    async def work(m: Mutation) -> str:
        nonlocal fresh
        now = datetime.now(UTC)
        report_id = str(uuid.uuid4())
        if case_id is not None and await repo.case_index(m.tx, case_id) is None:
            raise NotFound(f"iş {case_id[:60]} tapılmadı / case not found", field="caseId")
        if case_id is None:
            lease = await repo.lock_lease(m.tx)
            if lease_live(lease, now):
                if due_hours is not None:
                    raise _NotDue
                raise Conflict(
                    f"arxivin yoxlanışı artıq gedir (hesabat {lease['owner']}) / an audit of "
                    f"the whole archive is already running (report {lease['owner']})",
                    field="caseId",
                )
            if lease["owner"] is not None and await repo.abandon(
                m.tx, lease["owner"], now, "its process stopped (lease ran out)"
            ):
                m.changed(REPORT_KIND, lease["owner"], "status_changed", ("status",))
            if due_hours is not None and not audit_due(
                await repo.last_whole_started(m.tx), clock or now, due_hours
            ):
                raise _NotDue
            await repo.take_lease(m.tx, report_id, now + timedelta(seconds=lease_seconds))
        await repo.create_report(
            m.tx,
            {
                "id": report_id,
                "caseId": case_id,
                "trigger": trigger,
                "status": RUNNING,
                "startedAt": now,
                "startedBy": principal.subject,
            },
        )
        m.changed(REPORT_KIND, report_id, "created")
        m.detail(report=report_id, caseId=case_id, trigger=trigger)
        fresh = True
        return report_id

    try:
        made = await run_mutation(
            platform,
            principal,
            RUN,
            _resource(case_id),
            work,
            client_mutation_id=client_mutation_id,
        )
    except _NotDue:
        return None
    return made, fresh


@dataclass
class _Totals:
    checked: int = 0
    ok: int = 0
    mismatched: int = 0
    missing: int = 0
    overwritten: int = 0
    bytes: int = 0

    def of(self, results: Sequence[Checked]) -> dict[str, int]:
        kinds = [f.kind for r in results for f in r.findings]
        counts = {
            "checked": len(results),
            "ok": sum(1 for r in results if r.fixity == OK),
            "mismatched": kinds.count(MISMATCH),
            "missing": kinds.count(MISSING),
            "overwritten": kinds.count(OVERWRITTEN),
            "bytes": sum(r.bytes for r in results),
        }
        for name, n in counts.items():
            setattr(self, name, getattr(self, name) + n)
        return counts


async def _write_batch(
    platform: Platform,
    principal: Principal,
    report_id: str,
    case_id: str | None,
    results: Sequence[Checked],
    counts: dict[str, int],
) -> None:
    at = datetime.now(UTC)
    problems = [
        {
            "id": str(uuid.uuid4()),
            "reportId": report_id,
            "recordId": r.record.id,
            "caseId": r.record.case_id,
            "key": r.record.key,
            "versionId": r.record.version_id,
            "kind": f.kind,
            "expected": f.expected,
            "actual": f.actual,
            "at": at,
        }
        for r in results
        for f in r.findings
    ]
    # a case's change event when one of its records becomes (or stops being) damaged
    flagged = sorted(
        {
            r.record.case_id
            for r in results
            if r.fixity != r.record.fixity
            and (r.fixity in PROBLEM_STATES or r.record.fixity in PROBLEM_STATES)
        }
    )
    until = at + timedelta(seconds=fixity_settings().lease_seconds)

    async def work(m: Mutation) -> None:
        if case_id is None and not await repo.renew_lease(m.tx, report_id, until):
            raise Conflict(
                "yoxlanışın icazəsi başqasına keçib / the audit's lease was taken over",
                field="caseId",
            )
        await records_repo.set_fixity(
            m.tx, [{"id": r.record.id, "fixity": r.fixity} for r in results], at
        )
        await repo.record_batch(m.tx, report_id, counts, problems)
        if problems:
            m.changed(REPORT_KIND, report_id, "updated", ("problems",))
        for flagged_case in flagged:
            m.changed(CASE_KIND, flagged_case, "updated", ("archivedRecords",))
        m.detail(report=report_id, checked=len(results), problems=len(problems))

    await run_mutation(platform, principal, RUN, _resource(case_id), work)


async def _finish(
    platform: Platform,
    principal: Principal,
    report_id: str,
    case_id: str | None,
    status: str,
    seconds: float,
    error: str | None,
) -> None:
    async def work(m: Mutation) -> None:
        await repo.finish_report(m.tx, report_id, status, datetime.now(UTC), seconds, error)
        if case_id is None:
            await repo.release_lease(m.tx, report_id)
        m.changed(REPORT_KIND, report_id, "status_changed", ("status",))
        m.detail(report=report_id, status=status, seconds=round(seconds, 3), error=error)

    await run_mutation(platform, principal, RUN, _resource(case_id), work)


class Stopped(Exception):
    """The server is shutting down: the run ends (failed, saying so) between batches."""


async def audit_records(
    platform: Platform,
    principal: Principal,
    report_id: str,
    *,
    case_id: str | None,
    concurrency: int | None = None,
    progress: Progress | None = None,
    stop: asyncio.Event | None = None,
) -> FixityReport:
    """Check the records of an opened report and finish it (failed, with the reason, when
    anything but a finding about an object stops it: an outage, a lost lease, a stop)."""
    settings = fixity_settings()
    gate = asyncio.Semaphore(concurrency or settings.concurrency)
    started = time.monotonic()
    total = 0  # for the progress bar, counted while the first page is read
    totals, done, batch = _Totals(), 0, settings.batch
    writing: asyncio.Task[None] | None = None
    reading: asyncio.Task[list[Any]] | None = None

    def read_after(after: list[Any] | None, limit: int) -> asyncio.Task[list[Any]]:
        return asyncio.create_task(repo.page_to_audit(platform.db, case_id, after, limit))

    async def one(record: ArchivedRecord) -> Checked:
        nonlocal done
        async with gate:
            checked = await hash_record(platform.store, record)
        done += 1
        if progress is not None:
            progress(done, max(total, done))
        return checked

    try:
        # a small first page gets the reads going at once; the next page is read while this
        # one is hashed; a page shorter than asked was the last
        asked = min(batch, FIRST_PAGE)
        reading = read_after(None, asked)
        total = await repo.count_to_audit(platform.db, case_id)
        while reading is not None:
            if stop is not None and stop.is_set():
                raise Stopped("the server stopped during the audit")
            rows = await reading
            last = rows[-1] if len(rows) == asked else None
            asked = batch
            reading = read_after([last["key"], last["id"]], asked) if last else None
            if not rows:
                break
            records = [ArchivedRecord.of(r) for r in rows]
            hashed, newest = await asyncio.gather(
                asyncio.gather(*(one(r) for r in records)),
                newest_versions(platform.store, records),
            )
            results = [with_newest(c, newest) for c in hashed]
            if writing is not None:
                await writing
            counts = totals.of(results)
            writing = asyncio.create_task(
                _write_batch(platform, principal, report_id, case_id, results, counts)
            )
        if writing is not None:
            await writing
            writing = None
        await _finish(
            platform, principal, report_id, case_id, FINISHED, time.monotonic() - started, None
        )
    except BaseException as exc:
        for task in (writing, reading):
            if task is not None and not task.done():
                task.cancel()
        try:
            await asyncio.shield(
                _finish(
                    platform,
                    principal,
                    report_id,
                    case_id,
                    FAILED,
                    time.monotonic() - started,
                    f"{type(exc).__name__}: {exc}"[:500],
                )
            )
        except Exception:  # the graph is down too: the lease runs out, the next run says so
            log.exception("fixity report %s could not be marked failed", report_id)
        raise
    return await report_of(platform, report_id)


async def report_of(platform: Platform, report_id: str) -> FixityReport:
    found = await repo.report_by_id(platform.db, report_id)
    if found is None:
        raise NotFound(f"hesabat {report_id[:60]} tapılmadı / report not found", field="id")
    return FixityReport.of(found)


async def run_audit(
    platform: Platform,
    principal: Principal,
    *,
    case_id: str | None = None,
    trigger: str,
    concurrency: int | None = None,
    progress: Progress | None = None,
    stop: asyncio.Event | None = None,
) -> FixityReport:
    """Open a report and run it to its end (the CLI, one case over the API, the schedule)."""
    opened = await open_report(platform, principal, case_id=case_id, trigger=trigger)
    assert opened is not None  # only a scheduled open (due_hours) can be skipped
    return await audit_records(
        platform,
        principal,
        opened[0],
        case_id=case_id,
        concurrency=concurrency,
        progress=progress,
        stop=stop,
    )
