"""What a resolution (dərkənar) and its execution parts are, as the use cases and reads see them.

Graph (other parts read these names; keep them):
``(:Resolution {id, documentId, author, authorName, actingFor, unit, instruction, deadline,
deadlineWorkingDays, status, mainExecutor, coExecutors, createdAt, executedAt, closedAt,
closedBy})-[:ON]->(:Document)``;
``(:ExecutionTask {id, resolutionId, documentId, executor, executorName, unit, role, status,
deadline, assignedAt, assignedBy, instruction, forwardedFrom, forwardedTo, reportedAt,
report})-[:UNDER]->(:Resolution)``;
``(:DeadlineExtension {id, taskId, resolutionId, documentId, requestedBy, requestedAt,
proposedDeadline, previousDeadline, reason, status, decidedBy, decidedAt, note})-[:FOR]->
(:ExecutionTask)``. Deadlines are Neo4j ``date``s (Baku calendar), times are UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class ResolutionDraft:
    """A head's resolution as submitted: deadline by date or by working days, not both."""

    document_id: str
    main_executor: str  # user id or username
    co_executors: tuple[str, ...] = ()
    instruction: str = ""
    deadline: date | None = None
    working_days: int | None = None


@dataclass(frozen=True)
class Resolution:
    id: str
    document_id: str
    author: str
    author_name: str | None
    acting_for: str | None
    unit: str | None
    instruction: str
    deadline: date
    deadline_working_days: int | None
    status: str
    main_executor: str
    co_executors: tuple[str, ...]
    created_at: datetime
    executed_at: datetime | None
    closed_at: datetime | None
    closed_by: str | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> Resolution:
        return cls(
            id=row["id"],
            document_id=row["documentId"],
            author=row["author"],
            author_name=row.get("authorName"),
            acting_for=row.get("actingFor"),
            unit=row.get("unit"),
            instruction=row.get("instruction") or "",
            deadline=_date(row["deadline"]),
            deadline_working_days=row.get("deadlineWorkingDays"),
            status=row["status"],
            main_executor=row["mainExecutor"],
            co_executors=tuple(row.get("coExecutors") or ()),
            created_at=_datetime(row["createdAt"]),
            executed_at=_maybe_datetime(row.get("executedAt")),
            closed_at=_maybe_datetime(row.get("closedAt")),
            closed_by=row.get("closedBy"),
        )


@dataclass(frozen=True)
class ExecutionTask:
    id: str
    resolution_id: str
    document_id: str
    executor: str
    executor_name: str | None
    unit: str
    role: str
    status: str
    deadline: date
    assigned_at: datetime
    assigned_by: str
    instruction: str
    forwarded_from: str | None
    forwarded_to: str | None
    reported_at: datetime | None
    report: str | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> ExecutionTask:
        return cls(
            id=row["id"],
            resolution_id=row["resolutionId"],
            document_id=row["documentId"],
            executor=row["executor"],
            executor_name=row.get("executorName"),
            unit=row["unit"],
            role=row["role"],
            status=row["status"],
            deadline=_date(row["deadline"]),
            assigned_at=_datetime(row["assignedAt"]),
            assigned_by=row["assignedBy"],
            instruction=row.get("instruction") or "",
            forwarded_from=row.get("forwardedFrom"),
            forwarded_to=row.get("forwardedTo"),
            reported_at=_maybe_datetime(row.get("reportedAt")),
            report=row.get("report"),
        )


@dataclass(frozen=True)
class DeadlineExtension:
    id: str
    task_id: str
    resolution_id: str
    document_id: str
    requested_by: str
    requested_at: datetime
    proposed_deadline: date
    previous_deadline: date
    reason: str
    status: str
    decided_by: str | None
    decided_at: datetime | None
    note: str | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> DeadlineExtension:
        return cls(
            id=row["id"],
            task_id=row["taskId"],
            resolution_id=row["resolutionId"],
            document_id=row["documentId"],
            requested_by=row["requestedBy"],
            requested_at=_datetime(row["requestedAt"]),
            proposed_deadline=_date(row["proposedDeadline"]),
            previous_deadline=_date(row["previousDeadline"]),
            reason=row.get("reason") or "",
            status=row["status"],
            decided_by=row.get("decidedBy"),
            decided_at=_maybe_datetime(row.get("decidedAt")),
            note=row.get("note"),
        )


@dataclass(frozen=True)
class Page(Generic[T]):
    """One keyset page of rows (``limit`` = asked + 1) and the total matching the filters."""

    rows: list[T]
    total: int


def _native(value: Any) -> Any:
    to_native = getattr(value, "to_native", None)  # neo4j.time.Date / DateTime
    return to_native() if callable(to_native) else value


def _date(value: Any) -> date:
    native = _native(value)
    if isinstance(native, datetime):
        return native.date()
    assert isinstance(native, date), native
    return native


def _datetime(value: Any) -> datetime:
    native = _native(value)
    assert isinstance(native, datetime), native
    return native


def _maybe_datetime(value: Any) -> datetime | None:
    return None if value is None else _datetime(value)
