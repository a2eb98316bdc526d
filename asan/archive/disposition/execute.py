"""Executing a signed destruction act: delete every listed record's pinned version, resumably.

1. Start (one audited unit): the act must be signed (or executing: a resumed run). Nothing is
   deleted if any listed case is under an active hold (the refusal names who placed it and
   why), has become permanent, has gained records since the act was drawn up, or still has a
   version that MinIO itself keeps: a retain-until date in the future or a legal hold, read
   from MinIO for every record, not from the graph. The act becomes ``executing``.
2. Batches: up to ``batch_size`` records not yet destroyed are deleted by version id (each is
   looked up first: a version already gone was deleted by a run that stopped before recording
   it, and is recorded without a second delete), then marked destroyed in one audited unit;
   a case whose records are all gone becomes ``destroyed`` in the same unit (change event). A
   crash repeats at most the batch in flight, and only its look-ups.
3. Finish (one audited unit): no record left, every case destroyed, the act ``executed`` with
   its count of destroyed records.
The records' metadata (destroyedAt, destroyedByAct) and the cases stay. Each record's working
copy in the documents bucket (the DocumentFile version it was archived from) is deleted right
after its archive version, and the DocumentFile is marked destroyed by the act in the batch's
unit: its card and registration stay, its bytes answer "destroyed by act ..." (HTTP 410). A
crash repeats only idempotent deletes.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from minio.error import S3Error

from asan.archive.disposition import repository as repo
from asan.archive.disposition.acts import ACT_KIND, act_not_found, act_target
from asan.archive.disposition.models import (
    EXECUTED,
    EXECUTING,
    SIGNED,
    DestructionAct,
    ExecutionReport,
)
from asan.archive.disposition.objects import delete_version, version_lock
from asan.archive.disposition.policy import ACT_EXECUTE
from asan.archive.disposition.reads import load_act
from asan.archive.disposition.settings import disposition_settings
from asan.archive.holds.reads import active_holds
from asan.archive.records import repository as records_repo
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.principal import Principal
from asan.core.errors import Conflict, InvalidTransition
from asan.core.platform import Platform

Progress = Callable[[int, int], None]  # (records destroyed, records of the act)
PAUSE_MARKER = "ASAN-DISPOSE-PAUSED"
DESTROYED_FIELDS = ("status", "destroyedAt", "destroyedByAct")


def _refuse_state(act: DestructionAct) -> None:
    if act.status not in (SIGNED, EXECUTING):
        raise InvalidTransition(
            f"akt {act.number} '{act.status}' vəziyyətindədir, icra edilmir (yalnız imzalanmış "
            f"akt) / act {act.number} is '{act.status}': only a signed act is executed",
            field="actId",
        )


async def _refuse_holds(m: Mutation, act: DestructionAct, live: list[str]) -> None:
    holds = await active_holds(m.tx, live)
    for case in act.cases:
        if case.case_id in holds:
            who = "; ".join(h.describe() for h in holds[case.case_id])
            raise Conflict(
                f"{case.index} işinə saxlama qadağası qoyulub, məhv edilmir: {who} / case "
                f"{case.index} is under a hold and cannot be destroyed: {who}",
                field="actId",
            )


async def _refuse_cases(m: Mutation, act: DestructionAct, live: list[str]) -> None:
    for case in act.cases:
        if case.case_id not in live:
            continue
        row = await repo.case_for_disposal(m.tx, case.case_id)
        if row is None or row["permanent"]:
            raise Conflict(
                f"{case.index} işi daimi saxlanılır / case {case.index} is now kept permanently",
                field="actId",
            )
        if len(await repo.live_records(m.tx, case.case_id)) > case.records:
            raise Conflict(
                f"{case.index} işinə akt tərtib ediləndən sonra fayl əlavə olunub / case "
                f"{case.index} gained files after the act was drawn up",
                field="actId",
            )


async def _refuse_locked(
    platform: Platform, act: DestructionAct, live: list[str], concurrency: int
) -> None:
    """MinIO's own view of every remaining version: a future date or a legal hold refuses."""
    rows = await repo.remaining_records(platform.db, live, limit=1_000_000)
    index = {c.case_id: c.index for c in act.cases}
    now = datetime.now(UTC)
    gate = asyncio.Semaphore(concurrency)

    async def one(rec: Any) -> str | None:
        async with gate:
            lock = await version_lock(platform.store, rec["bucket"], rec["key"], rec["versionId"])
        case = index.get(rec["caseId"], rec["caseId"])
        if lock.retain_until is not None and lock.retain_until > now:
            day = lock.retain_until.date().isoformat()
            return (
                f"{case} işinin faylı {rec['id']} MinIO-da {day} tarixinədək saxlanılır / "
                f"file {rec['id']} of case {case} is retained by MinIO until {day}"
            )
        if lock.legal_hold:
            return (
                f"{case} işinin faylı {rec['id']} MinIO-da hüquqi saxlamadadır / file "
                f"{rec['id']} of case {case} carries a legal hold in MinIO"
            )
        return None

    problems = [p for p in await asyncio.gather(*(one(r) for r in rows)) if p]
    if problems:
        more = f" (+{len(problems) - 1})" if len(problems) > 1 else ""
        raise Conflict(problems[0] + more, field="actId")


async def _start(
    platform: Platform, principal: Principal, act_id: str, max_records: int | None
) -> DestructionAct:
    concurrency = disposition_settings().concurrency

    async def work(m: Mutation) -> str:
        row = await repo.act_row(m.tx, act_id, lock=True)
        if row is None:
            raise act_not_found(act_id)
        act = await load_act(m.tx, row["id"])
        assert act is not None
        _refuse_state(act)
        if max_records is not None and act.records - act.destroyed_records > max_records:
            raise InvalidTransition(
                f"akt {act.number} {act.records} fayl silir: `asan archive dispose "
                f"{act.number}` ilə icra edin / act {act.number} deletes {act.records} files: "
                f"run it with `asan archive dispose {act.number}`",
                field="actId",
            )
        live = [c.case_id for c in act.cases if c.status != "destroyed"]
        await _refuse_holds(m, act, live)
        await _refuse_cases(m, act, live)
        await _refuse_locked(platform, act, live, concurrency)
        if act.status == SIGNED:
            await repo.set_act(
                m.tx,
                act.id,
                {
                    "status": EXECUTING,
                    "executionStartedAt": datetime.now(UTC),
                    "executedBy": principal.subject,
                },
            )
            m.changed(ACT_KIND, act.id, "status_changed", ("status", "executionStartedAt"))
        m.detail(number=act.number, resumed=act.status == EXECUTING)
        return act.id

    found = await run_mutation(platform, principal, ACT_EXECUTE, act_target(act_id), work)
    act = await load_act(platform.db, found)
    assert act is not None
    return act


async def _record_batch(
    platform: Platform,
    principal: Principal,
    act: DestructionAct,
    ids: list[str],
    stats: dict[str, int],
) -> int:
    async def work(m: Mutation) -> int:
        at = datetime.now(UTC)
        marked = await records_repo.mark_destroyed(m.tx, ids, act.number, at)
        for file_id in await repo.destroy_working_copies(m.tx, ids, act.number, at):
            m.changed("DocumentFile", file_id, "updated", ("destroyedAt", "destroyedByAct"))
        destroyed = await repo.destroy_emptied_cases(m.tx, act.id, at)
        total = await repo.records_destroyed_by(m.tx, act.number)
        await repo.set_act(m.tx, act.id, {"destroyedRecords": total})
        for case_id in destroyed:
            m.changed("Case", case_id, "status_changed", DESTROYED_FIELDS)
        m.changed(ACT_KIND, act.id, "updated", ("destroyedRecords",))
        m.detail(number=act.number, records=ids, marked=marked, casesDestroyed=destroyed, **stats)
        return total

    return await run_mutation(platform, principal, ACT_EXECUTE, act_target(act.id), work)


async def _finish(platform: Platform, principal: Principal, act: DestructionAct) -> int:
    async def work(m: Mutation) -> int:
        at = datetime.now(UTC)
        left = await repo.remaining_records(m.tx, [c.case_id for c in act.cases], limit=1)
        if left:
            raise Conflict(
                f"akt {act.number}: silinməmiş fayl qalıb / act {act.number}: records remain",
                field="actId",
            )
        destroyed = await repo.destroy_emptied_cases(m.tx, act.id, at)
        for case_id in destroyed:
            m.changed("Case", case_id, "status_changed", DESTROYED_FIELDS)
        total = await repo.records_destroyed_by(m.tx, act.number)
        await repo.set_act(
            m.tx, act.id, {"status": EXECUTED, "executedAt": at, "destroyedRecords": total}
        )
        m.changed(ACT_KIND, act.id, "status_changed", ("status", "executedAt", "destroyedRecords"))
        m.detail(number=act.number, destroyedRecords=total)
        return len(destroyed)

    return await run_mutation(platform, principal, ACT_EXECUTE, act_target(act.id), work)


async def _pause_forever() -> None:
    """The test hook: say where we are and wait to be killed (never in production)."""
    print(PAUSE_MARKER, flush=True)
    sys.stdout.flush()
    await asyncio.Event().wait()


async def execute_act(
    platform: Platform,
    principal: Principal,
    act_id: str,
    *,
    progress: Progress | None = None,
    max_records: int | None = None,
) -> ExecutionReport:
    """Execute (or resume) the signed act; ``max_records`` refuses larger acts up front."""
    settings = disposition_settings()
    pause = None if platform.settings.is_production else settings.pause_after
    act = await _start(platform, principal, act_id, max_records)
    case_ids = [c.case_id for c in act.cases]
    done = act.destroyed_records
    deleted = gone = 0
    gate = asyncio.Semaphore(settings.concurrency)
    if progress is not None:
        progress(done, act.records)

    async def one(rec: Any) -> bool:
        nonlocal deleted
        async with gate:
            try:
                removed = await delete_version(
                    platform.store, rec["bucket"], rec["key"], rec["versionId"]
                )
            except S3Error as exc:
                raise Conflict(
                    f"fayl {rec['id']} silinmədi ({exc.code}) / file {rec['id']} was not "
                    f"deleted ({exc.code}): {exc.message}",
                    field="actId",
                ) from exc
            if rec["fileKey"]:  # the working copy in the documents bucket goes with it
                await platform.store.delete(rec["fileBucket"], rec["fileKey"])
        if removed:
            deleted += 1
            if pause is not None and deleted == pause:
                await _pause_forever()
        return removed

    while True:
        batch = await repo.remaining_records(platform.db, case_ids, settings.batch_size)
        if not batch:
            break
        results = await asyncio.gather(*(one(r) for r in batch))
        gone += results.count(False)
        stats = {"deleted": results.count(True), "alreadyGone": results.count(False)}
        done = await _record_batch(platform, principal, act, [r["id"] for r in batch], stats)
        if progress is not None:
            progress(done, act.records)
    await _finish(platform, principal, act)
    final = await load_act(platform.db, act.id)
    assert final is not None
    return ExecutionReport(
        act_id=act.id,
        number=act.number,
        status=final.status,
        deleted=deleted,
        already_gone=gone,
        cases_destroyed=sum(1 for c in final.cases if c.status == "destroyed"),
        records_total=final.destroyed_records,
    )
