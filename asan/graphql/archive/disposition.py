"""Disposition over GraphQL: the disposal calendar, the expert commission's decisions and the
destruction acts (drawn up, signed, executed).

``executeDestructionAct`` runs the deletion within the request for acts up to
``ASAN_ARCHIVE_DISPOSITION_SYNC_MAX_RECORDS`` files; a larger act is refused there and runs with
``asan archive dispose <number>`` (resumable, with a progress bar).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry
from strawberry.types import Info

from asan.archive.disposition import acts, decisions, execute, reads
from asan.archive.disposition.settings import disposition_settings
from asan.auth.principal import Principal
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.graphql.archive.disposition_types import (
    CreateDestructionActInput,
    DecideDisposalInput,
    DecideDisposalPayload,
    DestructionActInput,
    DestructionActPayload,
    DestructionActStatus,
    DestructionActType,
    DisposalCalendarEntryType,
    ExecuteDestructionActPayload,
)
from asan.graphql.archive.types import CaseType
from asan.graphql.mutation import attempt
from asan.graphql.relay import After, Connection, First, PageRequest, build_connection, scope_of
from asan.graphql.request import platform_of, principal_of


async def _act(info: Info, act_id: str) -> DestructionActType | None:
    found = await reads.read_act(platform_of(info), principal_of(info), act_id)
    return DestructionActType.of(found) if found else None


Step = Callable[[Platform, Principal], Awaitable[str]]


async def _act_step(info: Info, cmid: str | None, step: Step) -> DestructionActPayload:
    """Run one step of an act as the caller and answer with the act as it now stands."""

    async def call() -> DestructionActType | None:
        return await _act(info, await step(platform_of(info), principal_of(info)))

    made, errors = await attempt(call)
    return DestructionActPayload(act=made, user_errors=errors, client_mutation_id=cmid)


@strawberry.type
class DispositionQuery:
    @strawberry.field(
        description="Cases (closed, not destroyed, not permanent) whose disposal date lies in "
        "the window, by date then index (keyset paging), with decisions and holds."
    )
    async def disposal_calendar(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        from_: Annotated[
            dt.date | None, strawberry.argument(name="from", description="From this date.")
        ] = None,
        to: Annotated[dt.date | None, strawberry.argument(description="Until this date.")] = None,
        unit: Annotated[str | None, strawberry.argument(description="One unit's code.")] = None,
        due: Annotated[
            bool | None,
            strawberry.argument(
                description="true: only cases whose date has passed; false: only those still "
                "ahead; null: both."
            ),
        ] = None,
    ) -> Connection[DisposalCalendarEntryType]:  # type: ignore[type-var]
        platform, principal = platform_of(info), principal_of(info)
        raw = {"from": from_, "to": to, "unit": unit, "due": due}
        page = PageRequest.of(first, after, 2, scope=scope_of("disposalCalendar", raw))
        rows, total = await reads.disposal_calendar(
            platform, principal, raw, after=page.after, limit=page.limit
        )
        holds = await reads.holds_of(platform, [r.case_id for r in rows])
        today = today_in_baku()
        return build_connection(
            rows,
            page,
            total,
            lambda e: DisposalCalendarEntryType.of(e, holds.get(e.case_id, []), today),
            reads.calendar_cursor,
        )

    @strawberry.field(description="Destruction acts, newest number first (keyset paging).")
    async def destruction_acts(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        status: Annotated[
            DestructionActStatus | None, strawberry.argument(description="Only this status.")
        ] = None,
    ) -> Connection[DestructionActType]:
        raw = status.value if status else None
        page = PageRequest.of(first, after, 1, scope=scope_of("destructionActs", raw))
        rows, total = await reads.list_acts(
            platform_of(info), principal_of(info), raw, after=page.after, limit=page.limit
        )
        return build_connection(rows, page, total, DestructionActType.of, reads.act_cursor)

    @strawberry.field(description="One destruction act by id or number; null when none.")
    async def destruction_act(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Id or `DA-2026-001`.")],
    ) -> DestructionActType | None:
        return await _act(info, str(id))


@strawberry.type
class DispositionMutation:
    @strawberry.mutation(
        description="The expert commission's decision on a case (archive_expert role): "
        "approve destruction, extend retention (moves the disposal date and the files' MinIO "
        "retain-until later) or keep permanently (legal hold on its files)."
    )
    async def decide_disposal(
        self,
        info: Info,
        input: Annotated[DecideDisposalInput, strawberry.argument(description="The decision.")],
    ) -> DecideDisposalPayload:
        platform, principal = platform_of(info), principal_of(info)

        async def call() -> CaseType | None:
            case_id = await decisions.decide_disposal(
                platform,
                principal,
                str(input.case_id),
                input.decision.value,
                extend_years=input.extend_years,
                reason=input.reason,
                client_mutation_id=input.client_mutation_id,
            )
            found = await CaseType.resolve_nodes(info=info, node_ids=[case_id])
            return found[0]

        made, errors = await attempt(call)
        return DecideDisposalPayload(
            case=made, user_errors=errors, client_mutation_id=input.client_mutation_id
        )

    @strawberry.mutation(
        description="Draw up a destruction act (archivists) for cases approved for "
        "destruction whose disposal date has passed; a held case is refused, naming who "
        "placed the hold and why."
    )
    async def create_destruction_act(
        self,
        info: Info,
        input: Annotated[CreateDestructionActInput, strawberry.argument(description="Cases.")],
    ) -> DestructionActPayload:
        return await _act_step(
            info,
            input.client_mutation_id,
            lambda platform, principal: acts.create_act(
                platform,
                principal,
                [str(c) for c in input.case_ids],
                client_mutation_id=input.client_mutation_id,
            ),
        )

    @strawberry.mutation(
        description="Sign a drafted act (the agency's head: a signatory leading the agency): "
        "its PDF is signed (PAdES) and kept as the signed version of an EDMS document."
    )
    async def sign_destruction_act(
        self,
        info: Info,
        input: Annotated[DestructionActInput, strawberry.argument(description="The act.")],
    ) -> DestructionActPayload:
        return await _act_step(
            info,
            input.client_mutation_id,
            lambda platform, principal: acts.sign_act(
                platform,
                principal,
                str(input.act_id),
                client_mutation_id=input.client_mutation_id,
            ),
        )

    @strawberry.mutation(
        description="Execute (or resume) a signed act (archivists), within this request for "
        "acts of up to ASAN_ARCHIVE_DISPOSITION_SYNC_MAX_RECORDS files (larger: `asan archive "
        "dispose`). Refused, deleting nothing, while a hold applies or MinIO still retains a "
        "file."
    )
    async def execute_destruction_act(
        self,
        info: Info,
        input: Annotated[DestructionActInput, strawberry.argument(description="The act.")],
    ) -> ExecuteDestructionActPayload:
        platform, principal = platform_of(info), principal_of(info)

        async def call() -> tuple[DestructionActType | None, int, int]:
            report = await execute.execute_act(
                platform,
                principal,
                str(input.act_id),
                max_records=disposition_settings().sync_max_records,
            )
            return await _act(info, report.act_id), report.deleted, report.already_gone

        made, errors = await attempt(call)
        act, deleted, gone = made if made is not None else (None, 0, 0)
        return ExecuteDestructionActPayload(
            act=act,
            deleted=deleted,
            already_gone=gone,
            user_errors=errors,
            client_mutation_id=input.client_mutation_id,
        )


QUERIES: list[type] = [DispositionQuery]
MUTATIONS: list[type] = [DispositionMutation]
