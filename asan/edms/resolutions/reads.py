"""Lists of execution control: my tasks, a unit's tasks, on control, due soon, overdue.

Every list and count ANDs in the documents part's ``visible_where``, so a part of a secret
document is absent (and uncounted) for a caller without clearance and involvement. Pages are
keyset pages by (deadline, id), nearest deadline first; a cursor carries the deadline as an
ISO date, which orders like the date. "Open" means a task still ``assigned``: a forwarded
task was closed by its hand-over and a reported one by its report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from asan.auth.policy import Resource, authorize, is_admin
from asan.auth.principal import Principal
from asan.core.errors import BadInput
from asan.core.platform import Platform
from asan.core.workdays import add_working_days, today_in_baku
from asan.edms.documents.access import visible_where
from asan.edms.resolutions import flows
from asan.edms.resolutions.models import DeadlineExtension, ExecutionTask, Page, Resolution
from asan.edms.resolutions.policy import LIST_UNIT, OVERSEERS

MAX_DUE_SOON_DAYS = 60


@dataclass(frozen=True)
class DocumentBrief:
    """Enough of the document to show a task in a list (read with the task, visibility
    already applied)."""

    id: str
    kind: str | None
    status: str | None
    reg_number: str | None
    subject: str | None


@dataclass(frozen=True)
class TaskRow:
    task: ExecutionTask
    document: DocumentBrief


@dataclass(frozen=True)
class ResolutionRow:
    resolution: Resolution
    document: DocumentBrief
    open_tasks: int = 0


@dataclass(frozen=True)
class TaskFilter:
    """Which tasks a list shows; every field narrows it."""

    executor: str | None = None
    unit: str | None = None
    statuses: tuple[str, ...] = (flows.TASK_ASSIGNED,)
    due_from: date | None = None
    due_to: date | None = None
    due_before: date | None = None
    # None: no scope filter; otherwise tasks of these units, or tasks the subject executes
    # or controls (as the resolution's author or the head it was written for)
    responsible: str | None = None
    units: tuple[str, ...] = field(default_factory=tuple)


def task_sort_key(row: TaskRow) -> list[Any]:
    return [row.task.deadline.isoformat(), row.task.id]


def resolution_sort_key(row: ResolutionRow) -> list[Any]:
    return [row.resolution.deadline.isoformat(), row.resolution.id]


def _brief(d: dict[str, Any]) -> DocumentBrief:
    return DocumentBrief(
        d["id"], d.get("kind"), d.get("status"), d.get("regNumber"), d.get("subject")
    )


_DOC = "d {.id, .kind, .status, .regNumber, .subject}"


def _task_predicates(f: TaskFilter) -> tuple[list[str], dict[str, Any]]:
    where = ["t.status IN $statuses"]
    params: dict[str, Any] = {"statuses": list(f.statuses)}
    if f.executor is not None:
        where.append("t.executor = $executor")
        params["executor"] = f.executor
    if f.unit is not None:
        where.append("t.unit = $unit")
        params["unit"] = f.unit
    if f.due_from is not None:
        where.append("t.deadline >= $dueFrom")
        params["dueFrom"] = f.due_from
    if f.due_to is not None:
        where.append("t.deadline <= $dueTo")
        params["dueTo"] = f.due_to
    if f.due_before is not None:
        where.append("t.deadline < $dueBefore")
        params["dueBefore"] = f.due_before
    if f.responsible is not None:
        where.append(
            "(t.executor = $responsible OR t.unit IN $scopeUnits OR EXISTS { "
            "MATCH (c:Resolution {id: t.resolutionId}) "
            "WHERE c.author = $responsible OR c.actingFor = $responsible })"
        )
        params["responsible"] = f.responsible
        params["scopeUnits"] = list(f.units)
    return where, params


async def task_page(
    platform: Platform,
    principal: Principal,
    f: TaskFilter,
    *,
    after: list[Any] | None,
    limit: int,
) -> Page[TaskRow]:
    where, params = _task_predicates(f)
    visible, vis_params = visible_where("d", principal)
    params.update(vis_params)
    match = (
        "MATCH (t:ExecutionTask) WHERE " + " AND ".join(where) + " "
        "MATCH (d:Document {id: t.documentId}) WHERE " + visible + " "
    )
    rows = await platform.db.read(
        match + "WITH t, d WHERE $after IS NULL OR [toString(t.deadline), t.id] > $after "
        "RETURN t {.*} AS t, " + _DOC + " AS d "
        "ORDER BY toString(t.deadline), t.id LIMIT $limit",
        {**params, "after": after, "limit": limit},
    )
    total = await platform.db.read(match + "RETURN count(t) AS n", params)
    return Page([TaskRow(ExecutionTask.of(r["t"]), _brief(r["d"])) for r in rows], total[0]["n"])


def _oversees(principal: Principal) -> bool:
    return is_admin(principal) or principal.has_role(*OVERSEERS)


def responsible_filter(principal: Principal, **narrow: Any) -> TaskFilter:
    """The tasks a caller answers for: their own, their led units', the ones they control;
    registrars, auditors and administrators: every unit's (within secrecy)."""
    if _oversees(principal):
        return TaskFilter(**narrow)
    return TaskFilter(
        responsible=principal.subject, units=tuple(sorted(principal.led_units)), **narrow
    )


def _unit_filter(principal: Principal, unit: str, **narrow: Any) -> TaskFilter:
    authorize(principal, LIST_UNIT, Resource("OrgUnit", unit, org_unit=unit))
    return TaskFilter(unit=unit, **narrow)


async def my_tasks(
    platform: Platform,
    principal: Principal,
    statuses: Sequence[str],
    *,
    after: list[Any] | None,
    limit: int,
) -> Page[TaskRow]:
    if not principal.is_authenticated:
        return Page([], 0)
    f = TaskFilter(executor=principal.subject, statuses=tuple(statuses))
    return await task_page(platform, principal, f, after=after, limit=limit)


async def unit_tasks(
    platform: Platform,
    principal: Principal,
    unit: str,
    statuses: Sequence[str],
    *,
    after: list[Any] | None,
    limit: int,
) -> Page[TaskRow]:
    f = _unit_filter(principal, unit, statuses=tuple(statuses))
    return await task_page(platform, principal, f, after=after, limit=limit)


async def due_soon(
    platform: Platform,
    principal: Principal,
    days: int,
    unit: str | None,
    *,
    after: list[Any] | None,
    limit: int,
    today: date | None = None,
) -> Page[TaskRow]:
    """Open tasks due from today to ``days`` working days ahead (Baku calendar)."""
    if not 0 <= days <= MAX_DUE_SOON_DAYS:
        raise BadInput(
            f"days 0..{MAX_DUE_SOON_DAYS} olmalıdır / days must be 0..{MAX_DUE_SOON_DAYS}",
            field="days",
        )
    start = today or today_in_baku()
    narrow = {"due_from": start, "due_to": add_working_days(start, days)}
    f = (
        _unit_filter(principal, unit, **narrow)
        if unit is not None
        else responsible_filter(principal, **narrow)
    )
    return await task_page(platform, principal, f, after=after, limit=limit)


async def overdue(
    platform: Platform,
    principal: Principal,
    unit: str | None,
    *,
    after: list[Any] | None,
    limit: int,
    today: date | None = None,
) -> Page[TaskRow]:
    """Open tasks whose deadline has passed (before today in Baku)."""
    narrow = {"due_before": today or today_in_baku()}
    f = (
        _unit_filter(principal, unit, **narrow)
        if unit is not None
        else responsible_filter(principal, **narrow)
    )
    return await task_page(platform, principal, f, after=after, limit=limit)


async def on_control(
    platform: Platform,
    principal: Principal,
    unit: str | None,
    *,
    after: list[Any] | None,
    limit: int,
) -> Page[ResolutionRow]:
    """Resolutions not yet removed from control: executing, or executed and awaiting the
    controller. Registrars, auditors and administrators see all; a head, the ones they wrote
    or that were written for them, and those of the units they lead."""
    if not principal.is_authenticated:
        return Page([], 0)
    where = ["r.status IN $onControl"]
    params: dict[str, Any] = {"onControl": list(flows.ON_CONTROL)}
    if unit is not None:
        where.append("r.unit = $unit")
        params["unit"] = unit
    if not _oversees(principal):
        where.append("(r.author = $me OR r.actingFor = $me OR r.unit IN $led)")
        params["me"] = principal.subject
        params["led"] = sorted(principal.led_units)
    visible, vis_params = visible_where("d", principal)
    params.update(vis_params)
    match = (
        "MATCH (r:Resolution) WHERE " + " AND ".join(where) + " "
        "MATCH (d:Document {id: r.documentId}) WHERE " + visible + " "
    )
    rows = await platform.db.read(
        match + "WITH r, d WHERE $after IS NULL OR [toString(r.deadline), r.id] > $after "
        "WITH r, d ORDER BY toString(r.deadline), r.id LIMIT $limit "
        "RETURN r {.*} AS r, " + _DOC + " AS d, "
        "COUNT { MATCH (t:ExecutionTask {resolutionId: r.id, status: 'assigned'}) } AS open",
        {**params, "after": after, "limit": limit},
    )
    total = await platform.db.read(match + "RETURN count(r) AS n", params)
    return Page(
        [ResolutionRow(Resolution.of(r["r"]), _brief(r["d"]), r["open"]) for r in rows],
        total[0]["n"],
    )


async def resolutions_by_ids(
    platform: Platform, principal: Principal, ids: Sequence[str]
) -> dict[str, ResolutionRow]:
    visible, params = visible_where("d", principal)
    rows = await platform.db.read(
        "MATCH (r:Resolution) WHERE r.id IN $ids "
        "MATCH (d:Document {id: r.documentId}) WHERE " + visible + " "
        "RETURN r {.*} AS r, " + _DOC + " AS d, "
        "COUNT { MATCH (t:ExecutionTask {resolutionId: r.id, status: 'assigned'}) } AS open",
        {**params, "ids": list(ids)},
    )
    return {
        r["r"]["id"]: ResolutionRow(Resolution.of(r["r"]), _brief(r["d"]), r["open"]) for r in rows
    }


async def resolutions_of_documents(
    platform: Platform, principal: Principal, document_ids: Sequence[str]
) -> dict[str, list[ResolutionRow]]:
    """Each visible document's resolutions, oldest first (invisible documents: none)."""
    visible, params = visible_where("d", principal)
    rows = await platform.db.read(
        "MATCH (d:Document) WHERE d.id IN $ids AND " + visible + " "
        "MATCH (r:Resolution {documentId: d.id}) "
        "RETURN r {.*} AS r, " + _DOC + " AS d, "
        "COUNT { MATCH (t:ExecutionTask {resolutionId: r.id, status: 'assigned'}) } AS open "
        "ORDER BY r.createdAt",
        {**params, "ids": list(document_ids)},
    )
    out: dict[str, list[ResolutionRow]] = {i: [] for i in document_ids}
    for r in rows:
        row = ResolutionRow(Resolution.of(r["r"]), _brief(r["d"]), r["open"])
        out.setdefault(row.resolution.document_id, []).append(row)
    return out


async def tasks_by_ids(
    platform: Platform, principal: Principal, ids: Sequence[str]
) -> dict[str, TaskRow]:
    visible, params = visible_where("d", principal)
    rows = await platform.db.read(
        "MATCH (t:ExecutionTask) WHERE t.id IN $ids "
        "MATCH (d:Document {id: t.documentId}) WHERE " + visible + " "
        "RETURN t {.*} AS t, " + _DOC + " AS d",
        {**params, "ids": list(ids)},
    )
    return {r["t"]["id"]: TaskRow(ExecutionTask.of(r["t"]), _brief(r["d"])) for r in rows}


async def tasks_of_resolutions(
    platform: Platform, principal: Principal, resolution_ids: Sequence[str]
) -> dict[str, list[TaskRow]]:
    """Every part of each resolution (forwarded ones too), in the order they were assigned."""
    visible, params = visible_where("d", principal)
    rows = await platform.db.read(
        "MATCH (t:ExecutionTask) WHERE t.resolutionId IN $ids "
        "MATCH (d:Document {id: t.documentId}) WHERE " + visible + " "
        "RETURN t {.*} AS t, " + _DOC + " AS d ORDER BY t.assignedAt, t.id",
        {**params, "ids": list(resolution_ids)},
    )
    out: dict[str, list[TaskRow]] = {i: [] for i in resolution_ids}
    for r in rows:
        row = TaskRow(ExecutionTask.of(r["t"]), _brief(r["d"]))
        out.setdefault(row.task.resolution_id, []).append(row)
    return out


async def extensions_of_tasks(
    platform: Platform, principal: Principal, task_ids: Sequence[str]
) -> dict[str, list[DeadlineExtension]]:
    """Extension requests of each task, newest first (tasks of invisible documents: none)."""
    visible, params = visible_where("d", principal)
    rows = await platform.db.read(
        "MATCH (x:DeadlineExtension) WHERE x.taskId IN $ids "
        "MATCH (d:Document {id: x.documentId}) WHERE " + visible + " "
        "RETURN x {.*} AS x ORDER BY x.requestedAt DESC",
        {**params, "ids": list(task_ids)},
    )
    out: dict[str, list[DeadlineExtension]] = {i: [] for i in task_ids}
    for r in rows:
        ext = DeadlineExtension.of(r["x"])
        out.setdefault(ext.task_id, []).append(ext)
    return out


async def extension_by_id(
    platform: Platform, principal: Principal, extension_id: str
) -> DeadlineExtension | None:
    visible, params = visible_where("d", principal)
    rows = await platform.db.read(
        "MATCH (x:DeadlineExtension {id: $id}) "
        "MATCH (d:Document {id: x.documentId}) WHERE " + visible + " RETURN x {.*} AS x",
        {**params, "id": extension_id},
    )
    return DeadlineExtension.of(rows[0]["x"]) if rows else None
