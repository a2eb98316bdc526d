"""The periodic whole-archive audit in the server, and audits the API starts in background.

Every API process runs ``run_fixity_schedule`` in its lifespan: every
``ASAN_ARCHIVE_FIXITY_CHECK_SECONDS`` it asks whether a run is due (``audit_due``: the last
whole-archive run began ``ASAN_ARCHIVE_FIXITY_INTERVAL_HOURS`` ago, 0 turns it off). The
answer is read cheaply first; only when due does the process try to open a report, which
re-checks both the lease and the due time under the lease node's lock, so of several nodes
asking at once exactly one runs it. An archive with no records is not audited (no empty
reports). On shutdown the running audit stops between batches, its report ends failed saying
so, and its lease is released.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from asan.archive.fixity import repository as repo
from asan.archive.fixity.audit import audit_due, audit_records, lease_live, open_report
from asan.archive.fixity.models import SCHEDULE, FixityReport
from asan.archive.fixity.settings import FixitySettings, fixity_settings
from asan.auth.principal import SYSTEM, Principal
from asan.core.platform import Platform

log = logging.getLogger("asan.archive.fixity")
_background: set[asyncio.Task[FixityReport]] = set()
_stop = asyncio.Event()  # set at shutdown: background runs end between batches


async def scheduled_tick(
    platform: Platform,
    *,
    now: datetime | None = None,
    settings: FixitySettings | None = None,
    stop: asyncio.Event | None = None,
) -> FixityReport | None:
    """Run the whole-archive audit if it is due and no one else runs one; None otherwise."""
    config = settings or fixity_settings()
    moment = now or datetime.now(UTC)
    if config.interval_hours <= 0:
        return None
    if not audit_due(await repo.last_whole_started(platform.db), moment, config.interval_hours):
        return None
    if lease_live(await repo.read_lease(platform.db), moment):
        return None
    if await repo.count_to_audit(platform.db, None) == 0:
        return None
    opened = await open_report(
        platform,
        SYSTEM,
        case_id=None,
        trigger=SCHEDULE,
        due_hours=config.interval_hours,
        clock=moment,
    )
    if opened is None:
        return None
    return await audit_records(
        platform, SYSTEM, opened[0], case_id=None, concurrency=config.concurrency, stop=stop
    )


async def run_fixity_schedule(
    platform: Platform,
    stop: asyncio.Event,
    *,
    settings: FixitySettings | None = None,
    on_tick: Callable[[FixityReport | None], None] | None = None,
) -> None:
    """The API process's periodic audit (its lifespan task) until ``stop`` is set; then the
    background runs the API started are stopped too. The first check comes ``check_seconds``
    after start, not at once: a server starting (or a short-lived one, as benches run) does
    not begin by reading the whole archive. A failed tick is logged and the next one tries
    again."""
    config = settings or fixity_settings()
    try:
        while True:
            try:
                await asyncio.wait_for(stop.wait(), timeout=config.check_seconds)
                break
            except TimeoutError:
                pass
            report: FixityReport | None = None
            try:
                report = await scheduled_tick(platform, settings=config, stop=stop)
            except Exception:  # the loop outlives one failed run
                log.exception("scheduled fixity audit failed")
            if on_tick is not None:
                on_tick(report)
    finally:
        await stop_background()


def start_background(platform: Platform, principal: Principal, report_id: str) -> None:
    """Run an opened whole-archive report in this process (the API answers at once)."""
    task = asyncio.create_task(
        audit_records(platform, principal, report_id, case_id=None, stop=_stop)
    )
    _background.add(task)
    task.add_done_callback(_done)


def _done(task: asyncio.Task[FixityReport]) -> None:
    _background.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.error("background fixity audit failed: %r", task.exception())


async def stop_background() -> None:
    """Stop this process's background runs between batches and wait for them to end."""
    _stop.set()
    running = list(_background)
    if running:
        await asyncio.gather(*running, return_exceptions=True)
    _stop.clear()


def background_runs() -> list[asyncio.Task[FixityReport]]:
    """This process's background runs still going (the API's whole-archive audits)."""
    return list(_background)
