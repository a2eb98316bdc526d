"""Ingest of an accepted inventory's cases into the Object Lock bucket, resumable.

Acceptance commits first; this then runs ``asan.archive.records.ingest.ingest_case`` for
each listed case whose files are not all archived yet. That function is idempotent (it skips
files already recorded and finds objects put by a run that died before writing its records),
so running this again, from the CLI (``asan archive transfer --resume``) or the
``resumeTransferIngest`` mutation, finishes an interrupted ingest without duplicating
anything. Progress is never stored: each case's archived records are counted against its
files, so what the inventory shows is right after a crash too.

The GraphQL acceptance starts the ingest as a task of the server process and waits for it a
little (``INLINE_SECONDS``); a longer ingest goes on after the answer, and the inventory's
``ingestStatus`` shows when it is complete. One task per inventory per process at a time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from asan.archive.records.ingest import ingest_case
from asan.archive.transfer import repository as repo
from asan.archive.transfer.models import ListedCase
from asan.auth.principal import Principal
from asan.core.platform import Platform

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]  # (files done, files in the inventory)
INLINE_SECONDS: Final = 20.0  # below the request timeout (30 s): the answer still arrives


@dataclass
class InventoryIngest:
    """What one run did: files archived now, files already archived, and the case it stopped
    at with the reason (``None``: every case is complete)."""

    inventory_id: str
    files: int = 0
    ingested_now: int = 0
    already: int = 0
    failed_case: str | None = None
    error: str | None = None
    cases: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.error is None and self.already + self.ingested_now >= self.files


async def ingest_inventory(
    platform: Platform,
    principal: Principal,
    inventory_id: str,
    *,
    progress: Progress | None = None,
    concurrency: int = 16,
) -> InventoryIngest:
    """Archive every listed case's files not archived yet; stops at the first failing case
    (its error is returned, the cases after it are left for the next run)."""
    lines = [ListedCase.of(r) for r in await repo.listed_cases(platform.db, inventory_id)]
    report = InventoryIngest(inventory_id, files=sum(c.files for c in lines))
    report.already = sum(min(c.ingested, c.files) for c in lines)
    if progress is not None:
        progress(report.already, report.files)
    for line in lines:
        if line.ingest_complete:
            continue
        base = report.already + report.ingested_now

        def advance(done: int, _of: int, base: int = base) -> None:
            if progress is not None:
                progress(min(base + done, report.files), report.files)

        try:
            made = await ingest_case(
                platform, principal, line.case_id, concurrency=concurrency, progress=advance
            )
        except Exception as exc:  # reported with the case; the next run resumes it
            report.failed_case, report.error = line.index, str(exc)
            log.warning("transfer ingest stopped at %s: %s", line.index, exc)
            break
        report.ingested_now += made.ingested
        report.cases.append(line.case_id)
    return report


_RUNNING: dict[str, asyncio.Task[InventoryIngest]] = {}


def start(
    platform: Platform, principal: Principal, inventory_id: str
) -> asyncio.Task[InventoryIngest]:
    """The inventory's ingest as a task of this process (the running one, if any)."""
    task = _RUNNING.get(inventory_id)
    if task is not None and not task.done():
        return task
    task = asyncio.get_running_loop().create_task(
        ingest_inventory(platform, principal, inventory_id)
    )
    _RUNNING[inventory_id] = task
    task.add_done_callback(
        lambda t: _RUNNING.pop(inventory_id, None) if _RUNNING.get(inventory_id) is t else None
    )
    return task


async def settle(
    task: asyncio.Task[InventoryIngest], seconds: float = INLINE_SECONDS
) -> InventoryIngest | None:
    """The run's report if it ends within ``seconds``; ``None`` if it goes on (it does)."""
    try:
        return await asyncio.wait_for(asyncio.shield(task), timeout=seconds)
    except TimeoutError:
        return None


async def wait_all(seconds: float) -> None:
    """Wait for this process's running ingests (tests, and an orderly shutdown)."""
    tasks = [t for t in _RUNNING.values() if not t.done()]
    if tasks:
        async with asyncio.timeout(seconds):
            await asyncio.gather(*tasks, return_exceptions=True)
