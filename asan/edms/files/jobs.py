"""After a file commits: extract its text, OCR a scan, stamp a registered incoming PDF.

Runs outside the upload's request (an upload answers as soon as its version commits): the API
process runs ``run_processing`` in its lifespan, operators and tests run ``asan edms
process-pending``. Work is claimed in Neo4j (``textStatus`` pending -> processing, with the
claimer and time), so several processes share it and a file whose claimer died is claimed
again after ``process_claim_seconds``. The heavy part runs in the processing pool (worker
processes with time and memory limits per file); the results commit as one audited system
mutation per file: the text on the version's node, an ``ocr`` version (the searchable PDF)
and a ``registration_stamp`` version, each ``derivedFrom`` the original, which stays untouched.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from minio.error import S3Error

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.principal import SYSTEM
from asan.core.platform import Platform
from asan.edms.documents.access import document_target
from asan.edms.files import repository as repo
from asan.edms.files.models import DONE, NO_TEXT, StoredFile, capped_warnings
from asan.edms.files.policy import FILE_PROCESS
from asan.edms.files.processing.models import Corner, Extracted, ProcessingFailed
from asan.edms.files.reads import CorruptFile, read_bytes
from asan.edms.files.settings import files_settings
from asan.edms.files.sniff import PDF
from asan.edms.files.stamping import (
    STAMP_DONE,
    STAMP_FAILED,
    STAMP_WAITING,
    derive,
    stamp_lines,
    stamp_registered,
)
from asan.edms.files.use_cases import KIND

log = logging.getLogger(__name__)


class Processor(Protocol):
    """What the job needs of the processing pool (``ExtractionPool``)."""

    async def extract(self, data: bytes, content_type: str | None) -> Extracted: ...

    async def stamp(
        self, pdf: bytes, lines: list[str], *, corner: Corner = ..., all_pages: bool = ...
    ) -> bytes: ...


@dataclass
class ProcessReport:
    done: list[str] = field(default_factory=list)  # text extracted
    no_text: list[str] = field(default_factory=list)  # kept without text (with a warning)
    ocr_copies: list[str] = field(default_factory=list)  # ids of new "ocr" versions
    stamps: list[str] = field(default_factory=list)  # ids of new "registration_stamp" versions
    lost: list[str] = field(default_factory=list)  # another claimer took the file meanwhile


class _ClaimLost(Exception):
    pass


async def claim(platform: Platform, limit: int, claimer: str) -> list[StoredFile]:
    """Take up to ``limit`` pending files (bookkeeping, not a change of the record: no audit)."""
    now = datetime.now(UTC)
    stale = now - timedelta(seconds=files_settings().process_claim_seconds)

    async def unit(uow: Any) -> list[dict[str, Any]]:
        return await repo.claim_pending(uow.tx, limit, claimer, now, stale)

    return [StoredFile.of(row) for row in await platform.in_transaction(unit)]


async def process_one(
    platform: Platform, pool: Processor, stored: StoredFile, claimer: str, report: ProcessReport
) -> None:
    warnings = list(stored.warnings)
    try:
        data = await read_bytes(platform, stored)
    except CorruptFile as exc:
        data, extracted = b"", Extracted(refused=f"saxlanmış baytlar zədələnib / {exc}")
    except S3Error as exc:  # never expected: the graph commits only after the object exists
        data, extracted = b"", Extracted(refused=f"saxlanmış fayl oxunmur / {exc.code}")
    else:
        extracted = await pool.extract(data, stored.content_type)
    warnings += list(extracted.warnings)
    if extracted.refused:
        warnings.append(extracted.refused)

    # the stamp is made before the unit (the pool is slow; a unit holds locks)
    stamped: bytes | None = None
    async with platform.db.read_transaction() as tx:
        document = await repo.document_for_stamp(tx, stored.document_id)
    # a PDF original is stamped itself; a scanned image, its searchable copy
    base = data if stored.content_type == PDF else extracted.searchable_pdf
    stamp_status: str | None = None
    if (
        stored.role == "original"
        and not extracted.refused
        and base is not None
        and document is not None
        and document.get("kind") == "incoming"
    ):
        # not registered yet (arrived electronically): stamped once it has its number
        stamp_status = STAMP_WAITING
        if document.get("regNumber"):
            try:
                stamped = await pool.stamp(base, stamp_lines(document))
                stamp_status = STAMP_DONE
            except ProcessingFailed as exc:
                warnings.append(exc.message)
                stamp_status = STAMP_FAILED

    async def work(m: Mutation) -> dict[str, Any]:
        values: dict[str, Any] = {
            "textStatus": NO_TEXT if extracted.refused else DONE,
            "text": None if extracted.refused else extracted.text,
            "pages": extracted.pages,
            "textMethod": extracted.method,
            "warnings": capped_warnings(warnings),
            "processedAt": datetime.now(UTC),
            "stampStatus": stamp_status,
        }
        if not await repo.record_result(m.tx, stored.id, claimer, values):
            raise _ClaimLost
        made: dict[str, Any] = {"ocr": None, "stamp": None}
        if extracted.searchable_pdf is not None and not extracted.refused:
            made["ocr"] = await derive(m, stored, extracted.searchable_pdf, "ocr", "ocr")
        if stamped is not None:
            made["stamp"] = await derive(m, stored, stamped, "registration_stamp", "ştamp")
        m.changed(KIND, stored.id, "updated", ("text", "textStatus", "warnings"))
        m.detail(file=stored.id, textStatus=values["textStatus"])
        return made

    try:
        made = await run_mutation(
            platform, SYSTEM, FILE_PROCESS, document_target(stored.document_id), work
        )
    except _ClaimLost:
        report.lost.append(stored.id)
        return
    (report.no_text if extracted.refused else report.done).append(stored.id)
    if made["ocr"]:
        report.ocr_copies.append(made["ocr"])
    if made["stamp"]:
        report.stamps.append(made["stamp"])


async def process_pending(
    platform: Platform, pool: Processor, *, limit: int | None = None
) -> ProcessReport:
    """One pass: claim up to ``limit`` pending files and process them, a few at a time."""
    claimer = f"proc-{uuid.uuid4().hex[:12]}"
    report = ProcessReport()
    claimed = await claim(platform, limit or files_settings().process_batch, claimer)
    outcomes = await asyncio.gather(
        *(process_one(platform, pool, f, claimer, report) for f in claimed),
        return_exceptions=True,
    )
    for stored, outcome in zip(claimed, outcomes, strict=True):
        if isinstance(outcome, BaseException):  # its claim expires; a later pass retries it
            log.error("processing %s failed: %r", stored.id, outcome)
    report.stamps.extend(await stamp_registered(platform, pool, claimer))
    return report


async def process_all_pending(platform: Platform, pool: Processor) -> ProcessReport:
    """Passes until nothing is pending (the CLI and tests)."""
    total = ProcessReport()
    while True:
        report = await process_pending(platform, pool)
        for name in ("done", "no_text", "ocr_copies", "stamps", "lost"):
            getattr(total, name).extend(getattr(report, name))
        if not (report.done or report.no_text or report.lost or report.stamps):
            return total


_wakers: set[asyncio.Event] = set()


def wake() -> None:
    """Start this process's next processing pass now (called after an upload commits)."""
    for event in _wakers:
        event.set()


async def run_processing(
    platform: Platform,
    stop: asyncio.Event,
    *,
    pool: Processor | None = None,
    on_pass: Callable[[ProcessReport], None] | None = None,
) -> None:
    """The API process's background job (its lifespan task) until ``stop`` is set.

    A pass runs every ``process_interval_seconds``, at once after an upload in this process
    (``wake``), and again straight away while it finds work. The pool (when not given) starts
    with the first pending file, not with the process. A failed pass (Neo4j or MinIO down) is
    logged and tried again at the next interval.
    """
    from asan.edms.files.processing import ExtractionPool

    interval = files_settings().process_interval_seconds
    own = ExtractionPool() if pool is None else None
    worker: Processor = own if own is not None else pool  # type: ignore[assignment]
    woken = asyncio.Event()
    _wakers.add(woken)
    try:
        while not stop.is_set():
            woken.clear()
            try:
                report = await process_pending(platform, worker)
            except Exception:  # the loop outlives one failed pass
                log.exception("file processing pass failed")
                report = ProcessReport()
            if on_pass is not None:
                on_pass(report)
            if report.done or report.no_text or report.lost or report.stamps:
                continue  # more may be waiting
            waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(woken.wait())]
            try:
                await asyncio.wait(waits, timeout=interval, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiting in waits:
                    waiting.cancel()
    finally:
        _wakers.discard(woken)
        if own is not None:
            await own.close()
