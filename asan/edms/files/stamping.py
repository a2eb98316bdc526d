"""The registration stamp (qeydiyyat ştampı) of an incoming original, as a derived version.

An original processed while its document was not yet registered (it arrived electronically
and awaits registration) is marked ``stampStatus: waiting``; once the document has its
number, the next processing pass claims it (like text extraction: claimer and time in Neo4j)
and stores the stamped copy. The original's bytes are never changed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, Final, Protocol

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.principal import SYSTEM
from asan.core.platform import Platform
from asan.edms.documents.access import document_target
from asan.edms.files import repository as repo
from asan.edms.files.models import StoredFile
from asan.edms.files.policy import FILE_PROCESS
from asan.edms.files.processing.models import ProcessingFailed
from asan.edms.files.reads import CorruptFile, file_by_id, read_bytes
from asan.edms.files.settings import files_settings
from asan.edms.files.sniff import PDF
from asan.edms.files.use_cases import KIND, store_file_in_unit

STAMP_WAITING: Final = "waiting"  # an incoming original whose document has no number yet
STAMP_CLAIMED: Final = "stamping"
STAMP_DONE: Final = "done"
STAMP_FAILED: Final = "failed"  # the pool could not stamp it (the reason is in warnings)


class Stamper(Protocol):
    async def stamp(self, pdf: bytes, lines: list[str]) -> bytes: ...


def stamp_lines(document: dict[str, Any]) -> list[str]:
    """Number, date and journal, in Azerbaijani."""
    registered = document.get("regDate")
    to_native = getattr(registered, "to_native", None)
    if callable(to_native):
        registered = to_native()
    day = registered.strftime("%d.%m.%Y") if isinstance(registered, date) else str(registered)
    return [
        "ASAN xidmət — daxil olan sənəd",
        f"Qeydiyyat № {document['regNumber']}",
        f"Tarix: {day}",
        f"Jurnal: {document.get('journal') or ''}",
    ]


async def derive(m: Mutation, stored: StoredFile, data: bytes, role: str, suffix: str) -> str:
    """Store ``data`` as a version of ``role`` made from ``stored``."""
    stem = stored.filename.rsplit(".", 1)[0] or "fayl"
    derived = await store_file_in_unit(
        m,
        stored.document_id,
        data,
        filename=f"{stem}-{suffix}.pdf",
        content_type=PDF,
        role=role,
        derived_from=stored.id,
    )
    return derived.id


async def _base(platform: Platform, stored: StoredFile) -> bytes | None:
    """The PDF to stamp: the original itself, or the OCR copy of a scanned image."""
    if stored.content_type == PDF:
        return await read_bytes(platform, stored)
    ocr_id = await repo.derived_id(platform.db, stored.id, "ocr")
    ocr = await file_by_id(platform.db, ocr_id) if ocr_id is not None else None
    return await read_bytes(platform, ocr) if ocr is not None else None


async def _stamp_one(
    platform: Platform, pool: Stamper, stored: StoredFile, document: dict[str, Any], claimer: str
) -> str | None:
    warnings: list[str] = []
    stamped: bytes | None = None
    try:
        base = await _base(platform, stored)
        if base is not None:
            stamped = await pool.stamp(base, stamp_lines(document))
    except (ProcessingFailed, CorruptFile) as exc:
        warnings.append(exc.message if isinstance(exc, ProcessingFailed) else str(exc))

    async def work(m: Mutation) -> str | None:
        status = STAMP_DONE if stamped is not None else STAMP_FAILED
        if not await repo.finish_stamp(m.tx, stored.id, claimer, status, warnings):
            return None  # another pass took it over
        made = None
        if stamped is not None:
            made = await derive(m, stored, stamped, "registration_stamp", "ştamp")
        m.changed(KIND, stored.id, "updated", ("stampStatus",))
        return made

    return await run_mutation(
        platform, SYSTEM, FILE_PROCESS, document_target(stored.document_id), work
    )


async def stamp_registered(platform: Platform, pool: Stamper, claimer: str) -> list[str]:
    """Stamp waiting originals whose documents are registered now; the new versions' ids."""
    settings = files_settings()
    now = datetime.now(UTC)
    stale = now - timedelta(seconds=settings.process_claim_seconds)

    async def unit(uow: Any) -> list[dict[str, Any]]:
        return await repo.claim_waiting_stamps(uow.tx, settings.process_batch, claimer, now, stale)

    made: list[str] = []
    for row in await platform.in_transaction(unit):
        stored = StoredFile.of(row)
        new = await _stamp_one(platform, pool, stored, row["document"], claimer)
        if new is not None:
            made.append(new)
    return made
