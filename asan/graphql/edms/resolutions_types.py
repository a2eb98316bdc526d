"""GraphQL types of resolutions (dərkənar) and execution control: the resolution, each
executor's part (execution task) and deadline extension requests, as relay nodes and enums.

Visibility follows the document: a resolution or task of a document the caller may not see
resolves to null (``node(id:)``) and is absent from every list and count.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.documents import reads as document_reads
from asan.edms.resolutions import reads
from asan.edms.resolutions.models import DeadlineExtension
from asan.graphql.edms.document_types import DocumentNode
from asan.graphql.request import by_key, request_loader
from asan.graphql.request import platform_of as _platform
from asan.graphql.request import principal_of as _principal


@strawberry.enum(description="Where a resolution (dərkənar) stands in execution control.")
class ResolutionStatus(Enum):
    IN_EXECUTION = strawberry.enum_value(
        "in_execution", description="Executors are working on it (on control)."
    )
    EXECUTED = strawberry.enum_value(
        "executed",
        description="Every part is reported; on control until the controller removes it.",
    )
    CLOSED = strawberry.enum_value(
        "closed", description="Removed from control (icradan çıxarılıb)."
    )


@strawberry.enum(description="Where one executor's part (execution task) stands.")
class ExecutionTaskStatus(Enum):
    ASSIGNED = strawberry.enum_value("assigned", description="Open: the executor works on it.")
    FORWARDED = strawberry.enum_value(
        "forwarded", description="Handed over to a colleague; a new task carries it on."
    )
    REPORTED = strawberry.enum_value(
        "reported", description="The executor's report (icra haqqında məlumat) closed it."
    )


@strawberry.enum(description="An executor's role in a resolution.")
class ExecutorRole(Enum):
    MAIN = strawberry.enum_value("main", description="The main executor (əsas icraçı).")
    CO = strawberry.enum_value("co", description="A co-executor (həmicraçı).")


@strawberry.enum(description="Where a deadline extension request stands.")
class DeadlineExtensionStatus(Enum):
    REQUESTED = strawberry.enum_value("requested", description="Awaiting the author's decision.")
    GRANTED = strawberry.enum_value("granted", description="Granted: the deadline moved.")
    REFUSED = strawberry.enum_value("refused", description="Refused: the deadline stays.")
    WITHDRAWN = strawberry.enum_value(
        "withdrawn", description="The part was reported before a decision."
    )


@strawberry.enum(description="The resolution author's decision on an extension request.")
class ExtensionDecision(Enum):
    GRANT = strawberry.enum_value("grant", description="Move the deadline as asked.")
    REFUSE = strawberry.enum_value("refuse", description="Keep the deadline.")


@strawberry.type(
    name="DeadlineExtension",
    description="An executor's request for a later deadline (müddətin uzadılması), decided by "
    "the resolution's author.",
)
class DeadlineExtensionType:
    extension_id: str = strawberry.field(description="The request's id.")
    task_id: str = strawberry.field(description="The execution task it is for.")
    requested_by: str = strawberry.field(description="User id of the executor who asked.")
    requested_at: datetime = strawberry.field(description="When it was asked.")
    proposed_deadline: date = strawberry.field(description="The deadline asked for.")
    previous_deadline: date = strawberry.field(description="The task's deadline when asked.")
    reason: str = strawberry.field(description="Why more time is needed.")
    status: DeadlineExtensionStatus = strawberry.field(description="Where it stands.")
    decided_by: str | None = strawberry.field(description="User id of who decided.")
    decided_at: datetime | None = strawberry.field(description="When it was decided.")
    note: str | None = strawberry.field(description="The decision's comment.")

    @classmethod
    def of(cls, x: DeadlineExtension) -> DeadlineExtensionType:
        return cls(
            extension_id=x.id,
            task_id=x.task_id,
            requested_by=x.requested_by,
            requested_at=x.requested_at,
            proposed_deadline=x.proposed_deadline,
            previous_deadline=x.previous_deadline,
            reason=x.reason,
            status=DeadlineExtensionStatus(x.status),
            decided_by=x.decided_by,
            decided_at=x.decided_at,
            note=x.note,
        )


async def _document(info: Info, document_id: str) -> DocumentNode | None:
    """The document through one batched read per request level (the documents part's read,
    with its visibility rule)."""
    principal = _principal(info)

    async def batch(p: Platform, ids: list[str]) -> list[dict[str, Any] | None]:
        return await document_reads.documents_by_ids(p, principal, ids)

    loader: DataLoader[str, dict[str, Any] | None] = request_loader(
        info, "edms.resolutions.documents", batch
    )
    row = await loader.load(document_id)
    return DocumentNode.of(row) if row is not None else None


def _tasks_loader(info: Info) -> DataLoader[str, list[reads.TaskRow] | None]:
    principal = _principal(info)

    async def fetch(p: Platform, ids: list[str]) -> dict[str, list[reads.TaskRow]]:
        return await reads.tasks_of_resolutions(p, principal, ids)

    return request_loader(info, "edms.resolution.tasks", by_key(fetch, list))


def _extensions_loader(info: Info) -> DataLoader[str, list[DeadlineExtension] | None]:
    principal = _principal(info)

    async def fetch(p: Platform, ids: list[str]) -> dict[str, list[DeadlineExtension]]:
        return await reads.extensions_of_tasks(p, principal, ids)

    return request_loader(info, "edms.task.extensions", by_key(fetch, list))


def _resolutions_loader(info: Info) -> DataLoader[str, reads.ResolutionRow | None]:
    principal = _principal(info)

    async def fetch(p: Platform, ids: list[str]) -> dict[str, reads.ResolutionRow]:
        return await reads.resolutions_by_ids(p, principal, ids)

    return request_loader(info, "edms.resolutions", by_key(fetch))


@strawberry.type(
    name="ExecutionTask",
    description="One executor's part of a resolution (icra tapşırığı): forwarded within the "
    "unit, or closed by the executor's report.",
)
class ExecutionTaskNode(relay.Node):
    _id_attr = "task_id"
    task_id: str = strawberry.field(description="The task's own id (accepted as `taskId`).")
    resolution_id: str = strawberry.field(description="The resolution it belongs to.")
    executor: str = strawberry.field(description="User id of the executor (icraçı).")
    executor_name: str | None = strawberry.field(description="The executor's display name.")
    unit: str = strawberry.field(description="Code of the executor's org unit for this part.")
    role: ExecutorRole = strawberry.field(description="Main executor or co-executor.")
    status: ExecutionTaskStatus = strawberry.field(description="Where the part stands.")
    deadline: date = strawberry.field(description="Deadline (Baku calendar date).")
    overdue: bool = strawberry.field(
        description="Still open and its deadline has passed (as of today in Baku)."
    )
    assigned_at: datetime = strawberry.field(description="When it was assigned or forwarded.")
    assigned_by: str = strawberry.field(description="User id of who assigned or forwarded it.")
    instruction: str = strawberry.field(description="The instruction for this executor.")
    forwarded_from: str | None = strawberry.field(description="Task it was forwarded from.")
    forwarded_to: str | None = strawberry.field(description="Task that carries it on.")
    reported_at: datetime | None = strawberry.field(description="When it was reported.")
    report: str | None = strawberry.field(description="The executor's execution report.")
    document_id: str = strawberry.field(description="Id of the document it is about.")

    @classmethod
    def of(cls, row: reads.TaskRow) -> ExecutionTaskNode:
        t = row.task
        return cls(
            task_id=t.id,
            resolution_id=t.resolution_id,
            executor=t.executor,
            executor_name=t.executor_name,
            unit=t.unit,
            role=ExecutorRole(t.role),
            status=ExecutionTaskStatus(t.status),
            deadline=t.deadline,
            overdue=t.status == "assigned" and t.deadline < today_in_baku(),
            assigned_at=t.assigned_at,
            assigned_by=t.assigned_by,
            instruction=t.instruction,
            forwarded_from=t.forwarded_from,
            forwarded_to=t.forwarded_to,
            reported_at=t.reported_at,
            report=t.report,
            document_id=row.document.id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ExecutionTaskNode | None]:
        ids = list(node_ids)
        found = await reads.tasks_by_ids(_platform(info), _principal(info), ids)
        return [cls.of(found[i]) if i in found else None for i in ids]

    @strawberry.field(description="The document it is about (its card and state).")
    async def document(self, info: Info) -> DocumentNode | None:
        return await _document(info, self.document_id)

    @strawberry.field(description="Extension requests of this part, newest first.")
    async def extensions(self, info: Info) -> list[DeadlineExtensionType]:
        rows = await _extensions_loader(info).load(self.task_id)
        return [DeadlineExtensionType.of(x) for x in rows or []]

    @strawberry.field(description="The resolution this part belongs to.")
    async def resolution(self, info: Info) -> ResolutionNode | None:
        row = await _resolutions_loader(info).load(self.resolution_id)
        return ResolutionNode.of(row) if row is not None else None


@strawberry.type(
    name="Resolution",
    description="A head's resolution (dərkənar) on a registered document: the main executor, "
    "co-executors, the instruction and the deadline; on control until the controller removes "
    "it.",
)
class ResolutionNode(relay.Node):
    _id_attr = "resolution_id"
    resolution_id: str = strawberry.field(
        description="The resolution's own id (accepted as `resolutionId`)."
    )
    author: str = strawberry.field(description="User id of the head (or deputy) who wrote it.")
    author_name: str | None = strawberry.field(description="The author's display name.")
    acting_for: str | None = strawberry.field(
        description="User id of the head the author acted for (deputy within a delegation)."
    )
    unit: str | None = strawberry.field(description="Code of the document's owning unit.")
    instruction: str = strawberry.field(description="The instruction (dərkənarın mətni).")
    deadline: date = strawberry.field(description="Execution deadline (Baku calendar date).")
    deadline_working_days: int | None = strawberry.field(
        description="The deadline as given in working days (null when given as a date)."
    )
    status: ResolutionStatus = strawberry.field(description="Where it stands.")
    main_executor: str = strawberry.field(description="User id of the main executor named.")
    co_executors: list[str] = strawberry.field(description="User ids of the co-executors named.")
    created_at: datetime = strawberry.field(description="When it was written.")
    executed_at: datetime | None = strawberry.field(description="When the last part reported.")
    closed_at: datetime | None = strawberry.field(description="When removed from control.")
    closed_by: str | None = strawberry.field(description="Who removed it from control.")
    open_tasks: int = strawberry.field(description="Parts still open (assigned).")
    document_id: str = strawberry.field(description="Id of the document it is about.")

    @classmethod
    def of(cls, row: reads.ResolutionRow) -> ResolutionNode:
        r = row.resolution
        return cls(
            resolution_id=r.id,
            author=r.author,
            author_name=r.author_name,
            acting_for=r.acting_for,
            unit=r.unit,
            instruction=r.instruction,
            deadline=r.deadline,
            deadline_working_days=r.deadline_working_days,
            status=ResolutionStatus(r.status),
            main_executor=r.main_executor,
            co_executors=list(r.co_executors),
            created_at=r.created_at,
            executed_at=r.executed_at,
            closed_at=r.closed_at,
            closed_by=r.closed_by,
            open_tasks=row.open_tasks,
            document_id=row.document.id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ResolutionNode | None]:
        ids = list(node_ids)
        found = await reads.resolutions_by_ids(_platform(info), _principal(info), ids)
        return [cls.of(found[i]) if i in found else None for i in ids]

    @strawberry.field(description="The document it is about (its card and state).")
    async def document(self, info: Info) -> DocumentNode | None:
        return await _document(info, self.document_id)

    @strawberry.field(
        description="Every part, in the order assigned (forwarded ones and their successors)."
    )
    async def tasks(self, info: Info) -> list[ExecutionTaskNode]:
        rows = await _tasks_loader(info).load(self.resolution_id)
        return [ExecutionTaskNode.of(r) for r in rows or []]
