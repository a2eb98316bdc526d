"""Exporting a permanent case as a BagIt package: two audited units around the writing.

The first unit checks the case (permanent, transferred or kept permanently, every file
version ingested), reads everything the bag holds in one transaction (a consistent snapshot)
and records the export as ``writing``. The bag is then written outside any transaction (it
reads many objects), validated and packed; a second unit records it as ``done`` with the
tar's size and SHA-256, or as ``failed`` with the reason, which is also raised. So the graph
never claims a package that was not validated, and a died process leaves a ``writing``
export that says so.
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asan.archive.cases.models import PERMANENT, TRANSFERRED
from asan.archive.export import repository as repo
from asan.archive.export.bag import BagRefused, Progress, Snapshot, write_bag
from asan.archive.export.models import DONE, FAILED, WRITING, ArchiveExport, highest_classification
from asan.archive.export.policy import EXPORT, READ
from asan.archive.export.settings import export_dir, export_settings
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource, authorize
from asan.auth.principal import CLEARANCE_LEVELS, Principal
from asan.core.db import Tx
from asan.core.errors import Conflict, InvalidTransition, NotFound
from asan.core.platform import Platform

KIND = "ArchiveExport"
EXPORTABLE = (TRANSFERRED, PERMANENT)


def case_not_found(case_id: str) -> NotFound:
    return NotFound(f"iş {case_id[:60]} tapılmadı / case not found", field="caseId")


def case_resource(case_id: str, facts: Any | None) -> Resource:
    """The case as the export rules see it: its unit, status and strictest classification."""
    if facts is None:
        return Resource("Case", id=case_id, hidden_if_denied=True)
    case = facts["case"]
    return Resource(
        "Case",
        id=case_id,
        org_unit=case.get("unit"),
        status=case.get("status"),
        classification=highest_classification(facts["classifications"]),
    )


def _case_target(case_id: str) -> Callable[[Tx], Awaitable[Resource]]:
    async def resolve(tx: Tx) -> Resource:
        return case_resource(case_id, await repo.case_facts(tx, case_id))

    return resolve


def _refuse(case: Any) -> InvalidTransition | None:
    index = case["index"]
    if not case.get("permanent"):
        return InvalidTransition(
            f"{index} daimi saxlanılan iş deyil; yalnız daimi işlər ixrac edilir / case {index} "
            "is not kept permanently: only permanent cases are exported",
            field="caseId",
        )
    if case.get("status") not in EXPORTABLE:
        return InvalidTransition(
            f"{index} işi '{case.get('status')}' vəziyyətindədir; ixrac üçün 'transferred' və ya "
            f"'permanent' olmalıdır / case {index} is '{case.get('status')}': it must be "
            "transferred or permanent to be exported",
            field="caseId",
        )
    return None


def _not_ingested(case: Any, documents: list[Any], records: list[Any]) -> Conflict | None:
    archived = {r["fileId"] for r in records}
    missing = [f["id"] for d in documents for f in d["files"] if f["id"] not in archived]
    if not missing:
        return None
    return Conflict(
        f"{case['index']} işinin {len(missing)} faylı arxivə qəbul edilməyib (məs. {missing[0]}); "
        f"əvvəlcə 'asan archive ingest' / {len(missing)} file versions of case {case['index']} "
        f"are not in the archive (e.g. {missing[0]}): ingest the case first",
        field="caseId",
    )


async def _finish(
    platform: Platform, principal: Principal, export_id: str, case_id: str, values: dict[str, Any]
) -> None:
    async def work(m: Mutation) -> None:
        await repo.finish_export(m.tx, export_id, values, datetime.now(UTC))
        m.changed(KIND, export_id, "status_changed", ("status", *sorted(values)))
        m.detail(exportId=export_id, **{k: v for k, v in values.items() if k != "path"})

    await run_mutation(platform, principal, EXPORT, _case_target(case_id), work)


async def export_case(
    platform: Platform,
    principal: Principal,
    case_id: str,
    *,
    out_dir: Path | None = None,
    progress: Progress | None = None,
    client_mutation_id: str | None = None,
    wait_seconds: float | None = None,
) -> ArchiveExport:
    """Write, validate and pack the case's bag; the export as recorded (status ``done``).

    Raises CONFLICT (after recording the export as ``failed``) when a file does not match
    its recorded SHA-256 or the bag does not validate. With ``wait_seconds`` (a request that
    must answer in time) an export still being written after that long is returned as
    ``writing`` and finishes in the background.
    """
    taken: dict[str, Snapshot] = {}

    async def start(m: Mutation) -> dict[str, str]:
        facts = await repo.case_facts(m.tx, case_id)
        if facts is None:
            raise case_not_found(case_id)
        case = facts["case"]
        refused = _refuse(case)
        if refused is not None:
            raise refused
        documents = await repo.documents_of_case(m.tx, case_id)
        records = await repo.records_of_case(m.tx, case_id)
        missing = _not_ingested(case, documents, records)
        if missing is not None:
            raise missing
        export_id = "exp_" + uuid.uuid4().hex
        await repo.create_export(
            m.tx,
            {
                "id": export_id,
                "caseId": case_id,
                "index": case["index"],
                "year": case["year"],
                "status": WRITING,
                "classification": highest_classification(facts["classifications"]),
                "createdAt": datetime.now(UTC),
                "createdBy": principal.subject,
                "validated": False,
            },
        )
        taken[export_id] = Snapshot(case, facts["nomenclature"], facts["unit"], documents, records)
        m.changed(KIND, export_id, "created", ("caseId", "status"))
        m.detail(exportId=export_id, index=case["index"], year=case["year"], files=len(records))
        return {"exportId": export_id}

    started = await run_mutation(
        platform,
        principal,
        EXPORT,
        _case_target(case_id),
        start,
        client_mutation_id=client_mutation_id,
    )
    export_id = started["exportId"]
    snapshot = taken.get(export_id)
    if snapshot is None:  # a repeated request: the first one's export, as it stands
        return await _export(platform, export_id)
    folder = (out_dir or export_dir(platform.settings.data_path)) / export_id
    job = asyncio.create_task(
        _write(platform, principal, export_id, case_id, snapshot, folder, progress)
    )
    _RUNNING.add(job)
    job.add_done_callback(_forget)
    if wait_seconds is not None:
        await asyncio.wait({job}, timeout=wait_seconds)  # never cancels the job
        if not job.done():  # it finishes in the background; the export says "writing"
            return await _export(platform, export_id)
    return await job


# exports still being written in this process (a task must be referenced until it ends)
_RUNNING: set[asyncio.Task[ArchiveExport]] = set()


def _forget(job: asyncio.Task[ArchiveExport]) -> None:
    _RUNNING.discard(job)
    if not job.cancelled():
        job.exception()  # retrieved: a failure is recorded on the export, not lost in a log


async def _write(
    platform: Platform,
    principal: Principal,
    export_id: str,
    case_id: str,
    snapshot: Snapshot,
    folder: Path,
    progress: Progress | None,
) -> ArchiveExport:
    config = export_settings()
    try:
        bag = await write_bag(
            platform,
            snapshot,
            folder,
            exported_by=principal.subject,
            concurrency=config.concurrency,
            processes=config.processes,
            progress=progress,
        )
    except Exception as exc:  # whatever stopped it, the export must not stay "writing"
        shutil.rmtree(folder, ignore_errors=True)
        folder.with_suffix(".tar").unlink(missing_ok=True)
        message = str(exc)[:2000] or type(exc).__name__
        await _finish(platform, principal, export_id, case_id, {"status": FAILED, "error": message})
        if isinstance(exc, BagRefused | OSError):
            raise Conflict(message, field="caseId") from exc
        raise
    await _finish(
        platform,
        principal,
        export_id,
        case_id,
        {
            "status": DONE,
            "path": str(bag.tar),
            "bytes": bag.tar_bytes,
            "payloadBytes": bag.payload_bytes,
            "files": bag.files,
            "sha256": bag.tar_sha256,
            "validated": True,
        },
    )
    return await _export(platform, export_id)


async def _export(platform: Platform, export_id: str) -> ArchiveExport:
    row = await repo.export_by_id(platform.db, export_id)
    if row is None:
        raise NotFound(f"ixrac {export_id[:60]} tapılmadı / export not found", field="id")
    return ArchiveExport.of(row)


def _export_resource(export: ArchiveExport) -> Resource:
    return Resource(
        "ArchiveExport",
        id=export.id,
        classification=export.classification,
        hidden_if_denied=export.classification is not None,
    )


async def read_export(platform: Platform, principal: Principal, export_id: str) -> ArchiveExport:
    """One export the caller may see (NOT_FOUND otherwise, also for a secret case's)."""
    export = await _export(platform, export_id)
    authorize(principal, READ, _export_resource(export))
    return export


async def list_exports(
    platform: Platform,
    principal: Principal,
    case_id: str | None,
    *,
    after: list[Any] | None,
    limit: int,
) -> tuple[list[ArchiveExport], int]:
    """Exports newest first; only those of cases the caller's clearance covers."""
    if case_id is not None:
        facts = await repo.case_facts(platform.db, case_id)
        authorize(principal, READ, case_resource(case_id, facts))
    else:
        authorize(principal, READ, Resource("ArchiveExport"))
    rows, total = await repo.page_exports(
        platform.db, case_id, cleared_for(principal), after, limit
    )
    return [ArchiveExport.of(r) for r in rows], total


def cleared_for(principal: Principal) -> list[str]:
    """The classifications above public the caller's clearance covers (the system: all)."""
    if principal.kind == "system":
        return list(CLEARANCE_LEVELS[1:])
    level = (
        CLEARANCE_LEVELS.index(principal.clearance)
        if principal.clearance in CLEARANCE_LEVELS
        else 0
    )
    return list(CLEARANCE_LEVELS[1 : level + 1])


def cursor_of(export: ArchiveExport) -> list[Any]:
    return [export.created_at.isoformat(), export.id]


async def resolve_case(platform: Platform, reference: str) -> str:
    """A case id, or ``INDEX/YEAR`` (e.g. ``DEPT-IT-03/2015``) as the CLI accepts it."""
    index, _, year = reference.rpartition("/")
    if index and year.isdigit():
        found = await repo.case_by_index(platform.db, index, int(year))
        if found is None:
            raise NotFound(f"{reference[:80]} işi tapılmadı / case not found", field="caseId")
        return found
    return reference
