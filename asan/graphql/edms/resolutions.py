"""GraphQL of resolutions (dərkənar) and execution control: the mutations for every step and
the control lists (my tasks, my unit's tasks, on control, due soon, overdue).

Resolvers are thin: the use cases are ``asan.edms.resolutions``'s. Every mutation takes an
optional ``clientMutationId``: a repeat by the same caller returns the first result and
changes nothing twice. A step in the wrong state comes back in ``userErrors`` with code
INVALID_TRANSITION naming the current state and the allowed steps.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.relay import GlobalID
from strawberry.relay.types import GlobalIDValueError
from strawberry.types import Info

from asan.core.errors import DomainError
from asan.edms.resolutions import execution, reads, use_cases
from asan.edms.resolutions.models import Page, ResolutionDraft
from asan.graphql.edms.resolutions_types import (
    DeadlineExtensionType,
    ExecutionTaskNode,
    ExecutionTaskStatus,
    ExtensionDecision,
    ResolutionNode,
)
from asan.graphql.errors import UserError
from asan.graphql.mutation import attempt
from asan.graphql.relay import After, Connection, First, build_connection, scope_of
from asan.graphql.request import graphql_error, page
from asan.graphql.request import platform_of as _platform
from asan.graphql.request import principal_of as _principal

_CMID = strawberry.field(
    default=None,
    description="Optional idempotency key chosen by the client: a repeat by the same caller "
    "with the same key returns the first result and changes nothing twice.",
)
_INPUT = strawberry.argument(description="The mutation's fields; see the input type.")


def raw_id(value: str, type_name: str) -> str:
    """An id given raw or as the node's global id."""
    try:
        gid = GlobalID.from_id(value)
    except (GlobalIDValueError, ValueError, UnicodeError):
        return value
    return gid.node_id if gid.type_name == type_name else value


# --------------------------------------------------------------------------------- inputs


@strawberry.input(
    description="A head's resolution (dərkənar) on a registered incoming document or appeal. "
    "Give the deadline as `deadline` (a date; a weekend or holiday moves to the next working "
    "day) or as `workingDays` (Azerbaijan's public holidays excluded), not both."
)
class WriteResolutionInput:
    document_id: str = strawberry.field(description="The document's id or global id.")
    main_executor: str = strawberry.field(
        description="User id or username of the main executor (əsas icraçı), holding a "
        "position in a unit the author leads."
    )
    instruction: str = strawberry.field(description="The instruction text (dərkənarın mətni).")
    co_executors: list[str] = strawberry.field(
        default_factory=list, description="User ids or usernames of co-executors (həmicraçılar)."
    )
    deadline: date | None = strawberry.field(default=None, description="Deadline as a date.")
    working_days: int | None = strawberry.field(
        default=None, description="Deadline as working days after today (1..250)."
    )
    client_mutation_id: str | None = _CMID


@strawberry.input(description="An executor hands their part to a colleague in the part's unit.")
class ForwardExecutionTaskInput:
    task_id: str = strawberry.field(description="The executor's open task (id or global id).")
    to: str = strawberry.field(
        description="User id or username of the colleague (in the part's unit or its sectors)."
    )
    instruction: str = strawberry.field(default="", description="What the colleague should do.")
    deadline: date | None = strawberry.field(
        default=None, description="An earlier deadline for the colleague (default: the same)."
    )
    client_mutation_id: str | None = _CMID


@strawberry.input(description="An executor reports their part done (icra haqqında məlumat).")
class ReportExecutionInput:
    task_id: str = strawberry.field(description="The executor's open task (id or global id).")
    report: str = strawberry.field(description="What was done.")
    client_mutation_id: str | None = _CMID


@strawberry.input(description="An executor asks the resolution's author for a later deadline.")
class RequestDeadlineExtensionInput:
    task_id: str = strawberry.field(description="The executor's open task (id or global id).")
    deadline: date = strawberry.field(description="The deadline asked for (later than now).")
    reason: str = strawberry.field(description="Why more time is needed.")
    client_mutation_id: str | None = _CMID


@strawberry.input(description="The resolution's author grants or refuses an extension request.")
class DecideDeadlineExtensionInput:
    extension_id: str = strawberry.field(description="The request's id.")
    decision: ExtensionDecision = strawberry.field(description="Grant or refuse.")
    note: str = strawberry.field(default="", description="A comment on the decision.")
    client_mutation_id: str | None = _CMID


@strawberry.input(
    description="The controller (a registrar, or the resolution's author) removes an executed "
    "document from control (nəzarətdən çıxarma)."
)
class RemoveFromControlInput:
    resolution_id: str = strawberry.field(description="The resolution (id or global id).")
    note: str = strawberry.field(default="", description="A comment, e.g. the file reference.")
    client_mutation_id: str | None = _CMID


# --------------------------------------------------------------------------------- payloads


@strawberry.type(description="The resolution after the step, or the userErrors that stopped it.")
class ResolutionPayload:
    resolution: ResolutionNode | None = strawberry.field(
        default=None, description="The resolution as it is now."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list, description="Input problems (nothing was changed)."
    )


@strawberry.type(description="The task after the step, or the userErrors that stopped it.")
class ExecutionTaskPayload:
    task: ExecutionTaskNode | None = strawberry.field(
        default=None,
        description="The task as it is now (after forwarding: the colleague's new task).",
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list, description="Input problems (nothing was changed)."
    )


@strawberry.type(description="The extension request after the step, or the userErrors.")
class DeadlineExtensionPayload:
    extension: DeadlineExtensionType | None = strawberry.field(
        default=None, description="The request as it is now."
    )
    task: ExecutionTaskNode | None = strawberry.field(
        default=None, description="The task it is for, as it is now."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list, description="Input problems (nothing was changed)."
    )


async def _resolution(info: Info, resolution_id: str | None) -> ResolutionNode | None:
    if resolution_id is None:
        return None
    found = await reads.resolutions_by_ids(_platform(info), _principal(info), [resolution_id])
    row = found.get(resolution_id)
    return ResolutionNode.of(row) if row is not None else None


async def _task(info: Info, task_id: str | None) -> ExecutionTaskNode | None:
    if task_id is None:
        return None
    found = await reads.tasks_by_ids(_platform(info), _principal(info), [task_id])
    row = found.get(task_id)
    return ExecutionTaskNode.of(row) if row is not None else None


async def _extension_payload(
    info: Info, extension_id: str | None, errors: list[UserError]
) -> DeadlineExtensionPayload:
    if extension_id is None:
        return DeadlineExtensionPayload(user_errors=errors)
    x = await reads.extension_by_id(_platform(info), _principal(info), extension_id)
    if x is None:
        return DeadlineExtensionPayload(user_errors=errors)
    return DeadlineExtensionPayload(
        extension=DeadlineExtensionType.of(x), task=await _task(info, x.task_id)
    )


# --------------------------------------------------------------------------------- lists

_Statuses = Annotated[
    list[ExecutionTaskStatus] | None,
    strawberry.argument(description="Only tasks in these states (default: open, ASSIGNED)."),
]
_Unit = Annotated[
    str | None,
    strawberry.argument(
        description="Only this org unit's (code); its staff, heads, registrars and auditors."
    ),
]


def _statuses(values: list[ExecutionTaskStatus] | None) -> list[str]:
    return [str(v.value) for v in values] if values else ["assigned"]


async def _tasks(
    info: Info,
    name: str,
    first: int | None,
    after: str | None,
    fetch: Callable[[list[Any] | None, int], Awaitable[Page[reads.TaskRow]]],
    *scope: Any,
) -> Connection[ExecutionTaskNode]:
    request = page(first, after, 2, scope=scope_of(name, *scope))
    try:
        result = await fetch(request.after, request.limit)
    except DomainError as exc:
        raise graphql_error(exc) from exc
    return build_connection(
        result.rows, request, result.total, ExecutionTaskNode.of, reads.task_sort_key
    )


@strawberry.type
class ResolutionQuery:
    @strawberry.field(
        description="The caller's own execution tasks, nearest deadline first (keyset paging)."
    )
    async def my_tasks(
        self, info: Info, status: _Statuses = None, first: First = None, after: After = None
    ) -> Connection[ExecutionTaskNode]:
        statuses = _statuses(status)
        p, who = _platform(info), _principal(info)
        return await _tasks(
            info,
            "myTasks",
            first,
            after,
            lambda a, n: reads.my_tasks(p, who, statuses, after=a, limit=n),
            statuses,
        )

    @strawberry.field(
        description="A unit's execution tasks, nearest deadline first: for the unit's staff "
        "and heads, registrars and auditors (FORBIDDEN otherwise)."
    )
    async def unit_tasks(
        self,
        info: Info,
        unit: Annotated[str, strawberry.argument(description="Org unit code.")],
        status: _Statuses = None,
        first: First = None,
        after: After = None,
    ) -> Connection[ExecutionTaskNode]:
        statuses = _statuses(status)
        p, who = _platform(info), _principal(info)
        return await _tasks(
            info,
            "unitTasks",
            first,
            after,
            lambda a, n: reads.unit_tasks(p, who, unit, statuses, after=a, limit=n),
            unit,
            statuses,
        )

    @strawberry.field(
        description="Open tasks due from today to `days` working days ahead, nearest first: "
        "the caller's own, their led units', and those of resolutions they wrote (registrars "
        "and auditors: all units), or one `unit`'s."
    )
    async def due_soon(
        self,
        info: Info,
        days: Annotated[
            int, strawberry.argument(description="Working days ahead, 0..60 (0: due today).")
        ] = 3,
        unit: _Unit = None,
        first: First = None,
        after: After = None,
    ) -> Connection[ExecutionTaskNode]:
        p, who = _platform(info), _principal(info)
        return await _tasks(
            info,
            "dueSoon",
            first,
            after,
            lambda a, n: reads.due_soon(p, who, days, unit, after=a, limit=n),
            days,
            unit,
        )

    @strawberry.field(
        description="Open tasks past their deadline (before today in Baku), oldest deadline "
        "first, in the same scope as `dueSoon`."
    )
    async def overdue(
        self, info: Info, unit: _Unit = None, first: First = None, after: After = None
    ) -> Connection[ExecutionTaskNode]:
        p, who = _platform(info), _principal(info)
        return await _tasks(
            info,
            "overdue",
            first,
            after,
            lambda a, n: reads.overdue(p, who, unit, after=a, limit=n),
            unit,
        )

    @strawberry.field(
        description="Resolutions on control (executing, or executed and awaiting removal), "
        "nearest deadline first: registrars and auditors see all; a head, the ones they wrote "
        "or that were written for them, and their led units'."
    )
    async def on_control(
        self,
        info: Info,
        unit: Annotated[
            str | None, strawberry.argument(description="Only this document unit's (code).")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[ResolutionNode]:
        request = page(first, after, 2, scope=scope_of("onControl", unit))
        try:
            result = await reads.on_control(
                _platform(info), _principal(info), unit, after=request.after, limit=request.limit
            )
        except DomainError as exc:
            raise graphql_error(exc) from exc
        return build_connection(
            result.rows, request, result.total, ResolutionNode.of, reads.resolution_sort_key
        )

    @strawberry.field(
        description="A document's resolutions, oldest first (empty when the document is not "
        "visible to the caller)."
    )
    async def document_resolutions(
        self,
        info: Info,
        document_id: Annotated[str, strawberry.argument(description="The document's id.")],
    ) -> list[ResolutionNode]:
        found = await reads.resolutions_of_documents(
            _platform(info), _principal(info), [raw_id(document_id, "Document")]
        )
        return [ResolutionNode.of(r) for rows in found.values() for r in rows]


# --------------------------------------------------------------------------------- mutations


@strawberry.type
class ResolutionMutation:
    @strawberry.mutation(
        description="A head (or the acting deputy within a delegation, recorded as acting "
        "for) writes a resolution (dərkənar) on a registered document: registered -> "
        "in_execution (step `resolve`); each executor gets a task."
    )
    async def write_resolution(
        self, info: Info, input: Annotated[WriteResolutionInput, _INPUT]
    ) -> ResolutionPayload:
        draft = ResolutionDraft(
            document_id=raw_id(input.document_id, "Document"),
            main_executor=input.main_executor,
            co_executors=tuple(input.co_executors),
            instruction=input.instruction,
            deadline=input.deadline,
            working_days=input.working_days,
        )
        rid, errors = await attempt(
            lambda: use_cases.issue_resolution(
                _platform(info),
                _principal(info),
                draft,
                client_mutation_id=input.client_mutation_id,
            )
        )
        return ResolutionPayload(resolution=await _resolution(info, rid), user_errors=errors)

    @strawberry.mutation(
        description="An executor forwards their open part to a colleague in the part's unit "
        "(or its sectors); their task becomes FORWARDED and the colleague's new task carries "
        "it on."
    )
    async def forward_execution_task(
        self, info: Info, input: Annotated[ForwardExecutionTaskInput, _INPUT]
    ) -> ExecutionTaskPayload:
        tid, errors = await attempt(
            lambda: execution.forward_task(
                _platform(info),
                _principal(info),
                raw_id(input.task_id, "ExecutionTask"),
                input.to,
                instruction=input.instruction,
                deadline=input.deadline,
                client_mutation_id=input.client_mutation_id,
            )
        )
        return ExecutionTaskPayload(task=await _task(info, tid), user_errors=errors)

    @strawberry.mutation(
        description="An executor reports their part done; when every part is reported the "
        "document steps in_execution -> executed (step `complete`)."
    )
    async def report_execution(
        self, info: Info, input: Annotated[ReportExecutionInput, _INPUT]
    ) -> ExecutionTaskPayload:
        tid, errors = await attempt(
            lambda: execution.report_task(
                _platform(info),
                _principal(info),
                raw_id(input.task_id, "ExecutionTask"),
                input.report,
                client_mutation_id=input.client_mutation_id,
            )
        )
        return ExecutionTaskPayload(task=await _task(info, tid), user_errors=errors)

    @strawberry.mutation(
        description="An executor asks the resolution's author for a later deadline (one "
        "pending request per task)."
    )
    async def request_deadline_extension(
        self, info: Info, input: Annotated[RequestDeadlineExtensionInput, _INPUT]
    ) -> DeadlineExtensionPayload:
        xid, errors = await attempt(
            lambda: execution.request_extension(
                _platform(info),
                _principal(info),
                raw_id(input.task_id, "ExecutionTask"),
                input.deadline,
                input.reason,
                client_mutation_id=input.client_mutation_id,
            )
        )
        return await _extension_payload(info, xid, errors)

    @strawberry.mutation(
        description="The resolution's author (or the head they acted for, or that head's "
        "acting deputy) grants an extension (the task's deadline moves) or refuses it."
    )
    async def decide_deadline_extension(
        self, info: Info, input: Annotated[DecideDeadlineExtensionInput, _INPUT]
    ) -> DeadlineExtensionPayload:
        xid, errors = await attempt(
            lambda: execution.decide_extension(
                _platform(info),
                _principal(info),
                input.extension_id,
                grant=input.decision is ExtensionDecision.GRANT,
                note=input.note,
                client_mutation_id=input.client_mutation_id,
            )
        )
        return await _extension_payload(info, xid, errors)

    @strawberry.mutation(
        description="The controller (a registrar, or the resolution's author) removes an "
        "executed document from control: executed -> closed (step `remove_from_control`)."
    )
    async def remove_from_control(
        self, info: Info, input: Annotated[RemoveFromControlInput, _INPUT]
    ) -> ResolutionPayload:
        rid, errors = await attempt(
            lambda: use_cases.remove_from_control(
                _platform(info),
                _principal(info),
                raw_id(input.resolution_id, "Resolution"),
                input.note,
                client_mutation_id=input.client_mutation_id,
            )
        )
        return ResolutionPayload(resolution=await _resolution(info, rid), user_errors=errors)


QUERIES: list[type] = [ResolutionQuery]
MUTATIONS: list[type] = [ResolutionMutation]
