"""Holds on archive cases over GraphQL, and re-running a case's ingest.

Placing and lifting are audited mutations over ``asan.archive.holds.use_cases``; a missing or
blank reason is a BAD_USER_INPUT userError on ``reason``. The holds of a page of cases are read
through per-request DataLoaders (one query per page). ``ingestCase`` re-runs the ingest of one
case (resuming an interrupted one); it is idempotent, so a repeat adds nothing.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from asan.archive.cases.use_cases import read_case
from asan.archive.holds import use_cases
from asan.archive.holds.models import Hold
from asan.archive.records.reingest import reingest_case
from asan.core.platform import Platform
from asan.graphql.described import value
from asan.graphql.errors import UserError
from asan.graphql.mutation import attempt
from asan.graphql.relay import After, Connection, First, PageRequest, build_connection, scope_of
from asan.graphql.request import by_key, platform_of, principal_of, request_loader

if TYPE_CHECKING:
    from asan.graphql.archive.types import CaseType

CMID = "Repeat the request with the same id: it is done once."
HOLDS_SHOWN = 20  # Case.holds: active first, then the newest lifted ones
LazyCase = Annotated["CaseType", strawberry.lazy("asan.graphql.archive.types")]


@strawberry.enum(name="ArchiveHoldKind", description="Why a case is held.")
class ArchiveHoldKind(enum.Enum):
    LITIGATION = value("litigation", "A court case (məhkəmə işi) needs the records.")
    INVESTIGATION = value("investigation", "An investigation (araşdırma, istintaq).")
    OTHER = value("other", "Any other reason, stated in the hold's reason.")


async def _case(info: Info, case_id: str) -> CaseType | None:
    from asan.graphql.archive.types import CaseType  # the module that imports this one

    found = await read_case(platform_of(info), principal_of(info), case_id)
    return CaseType.of(found) if found else None


@strawberry.type(
    name="ArchiveHold",
    description="A hold (saxlama qadağası) on a case for litigation or investigation: while "
    "active, no record of the case can be destroyed, and MinIO keeps a legal hold on every "
    "archived version of it. A lifted hold stays as history.",
)
class ArchiveHoldType(relay.Node):
    _id_attr = "hold_id"
    hold_id: str = strawberry.field(description="The hold's own id (for `liftArchiveHold`).")
    case_id: str = strawberry.field(description="The held case's id.")
    kind: ArchiveHoldKind = strawberry.field(description="Why the case is held.")
    reason: str = strawberry.field(description="The reason given when it was placed.")
    placed_by: str = strawberry.field(description="Who placed it (user id).")
    placed_by_name: str = strawberry.field(description="Who placed it (name).")
    placed_at: dt.datetime = strawberry.field(description="When it was placed (UTC).")
    active: bool = strawberry.field(description="Still in force (not lifted).")
    lifted_by: str | None = strawberry.field(description="Who lifted it (user id).")
    lifted_by_name: str | None = strawberry.field(description="Who lifted it (name).")
    lifted_at: dt.datetime | None = strawberry.field(description="When it was lifted (UTC).")
    lift_reason: str | None = strawberry.field(description="Why it was lifted.")

    @strawberry.field(description="The held case.")
    async def case(self, info: Info) -> LazyCase | None:
        return await _case(info, self.case_id)

    @classmethod
    def of(cls, h: Hold) -> ArchiveHoldType:
        return cls(
            hold_id=h.id,
            case_id=h.case_id,
            kind=ArchiveHoldKind(h.kind),
            reason=h.reason,
            placed_by=h.placed_by,
            placed_by_name=h.placed_by_name,
            placed_at=h.placed_at,
            active=h.active,
            lifted_by=h.lifted_by,
            lifted_by_name=h.lifted_by_name,
            lifted_at=h.lifted_at,
            lift_reason=h.lift_reason,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ArchiveHoldType | None]:
        platform, principal = platform_of(info), principal_of(info)
        found = [await use_cases.read_hold(platform, principal, i) for i in list(node_ids)[:100]]
        return [cls.of(h) if h is not None else None for h in found]


def _holds_loader(info: Info) -> DataLoader[str, list[Hold] | None]:
    principal = principal_of(info)

    async def fetch(platform: Platform, case_ids: list[str]) -> dict[str, list[Hold]]:
        return await use_cases.holds_of_cases(platform, principal, case_ids, limit_each=HOLDS_SHOWN)

    return request_loader(info, "archive.holds", by_key(fetch, list))


async def case_holds(info: Info, case_id: str) -> list[ArchiveHoldType]:
    return [ArchiveHoldType.of(h) for h in await _holds_loader(info).load(case_id) or []]


async def case_active_hold(info: Info, case_id: str) -> bool:
    # holds_of_cases lists active holds first: one loader serves both fields
    return any(h.active for h in await _holds_loader(info).load(case_id) or [])


@strawberry.input(name="ArchiveHoldFilter", description="Which holds; every field null: all.")
class ArchiveHoldFilter:
    case_id: strawberry.ID | None = strawberry.field(default=None, description="One case's.")
    active: bool | None = strawberry.field(
        default=None, description="True: in force; false: lifted."
    )


@strawberry.input(name="PlaceArchiveHoldInput", description="A hold to place on a case.")
class PlaceArchiveHoldInput:
    case_id: strawberry.ID = strawberry.field(description="The case to hold.")
    kind: ArchiveHoldKind = strawberry.field(description="Why: litigation, investigation...")
    reason: str = strawberry.field(
        description="The reason (required, up to 1000 characters): the court case or "
        "investigation, its number; shown to whoever tries to destroy the case."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CMID)


@strawberry.input(name="LiftArchiveHoldInput", description="A hold to lift, and why.")
class LiftArchiveHoldInput:
    hold_id: strawberry.ID = strawberry.field(description="The hold (its `holdId`).")
    reason: str = strawberry.field(
        description="Why it is lifted (required, up to 1000 characters)."
    )
    client_mutation_id: str | None = strawberry.field(
        default=None,
        description=CMID + " Repeating it after a failure also finishes taking the MinIO "
        "legal holds off, when nothing else holds the case.",
    )


@strawberry.input(name="IngestCaseInput", description="The case whose ingest runs again.")
class IngestCaseInput:
    case_id: strawberry.ID = strawberry.field(description="A closed (not destroyed) case.")
    client_mutation_id: str | None = strawberry.field(
        default=None, description="Echoed back; the ingest itself never archives a file twice."
    )


@strawberry.type(name="ArchiveHoldPayload", description="The hold, or why not.")
class ArchiveHoldPayload:
    hold: ArchiveHoldType | None = strawberry.field(description="As it is now.")
    case: LazyCase | None = strawberry.field(description="The held case as it is now.")
    user_errors: list[UserError] = strawberry.field(description="Input problems.")
    client_mutation_id: str | None = strawberry.field(description="As sent.")


@strawberry.type(name="IngestCasePayload", description="What the ingest did, or why not.")
class IngestCasePayload:
    case_id: str | None = strawberry.field(description="The case.")
    ingested: int | None = strawberry.field(description="Records archived by this run.")
    skipped: int | None = strawberry.field(
        description="Records the case already had (archived by an earlier run)."
    )
    bytes: int | None = strawberry.field(description="Bytes archived by this run.")
    case: LazyCase | None = strawberry.field(description="The case as it is now.")
    user_errors: list[UserError] = strawberry.field(description="Input problems.")
    client_mutation_id: str | None = strawberry.field(description="As sent.")


async def _hold_payload(
    info: Info, hold: Hold | None, errors: list[UserError], cmid: str | None
) -> ArchiveHoldPayload:
    return ArchiveHoldPayload(
        hold=ArchiveHoldType.of(hold) if hold else None,
        case=await _case(info, hold.case_id) if hold else None,
        user_errors=errors,
        client_mutation_id=cmid,
    )


@strawberry.type
class ArchiveHoldsQuery:
    @strawberry.field(description="Holds on archive cases, newest first (keyset paging).")
    async def archive_holds(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            ArchiveHoldFilter | None, strawberry.argument(description="Filters.")
        ] = None,
    ) -> Connection[ArchiveHoldType]:
        f = filter or ArchiveHoldFilter()
        case_id = str(f.case_id) if f.case_id is not None else None
        page = PageRequest.of(first, after, 2, scope=scope_of("archiveHolds", case_id, f.active))
        rows, total = await use_cases.list_holds(
            platform_of(info),
            principal_of(info),
            case_id=case_id,
            active=f.active,
            after=page.after,
            limit=page.limit,
        )
        return build_connection(rows, page, total, ArchiveHoldType.of, use_cases.cursor_of)


@strawberry.type
class ArchiveHoldsMutation:
    @strawberry.mutation(
        description="Place a hold on a case (archivists and the legal department's experts): "
        "every archived version of the case gets a MinIO legal hold before the hold is "
        "recorded, and no destruction act can destroy the case until every hold is lifted. "
        "BAD_USER_INPUT without a reason; INVALID_TRANSITION for a destroyed case."
    )
    async def place_archive_hold(
        self,
        info: Info,
        input: Annotated[PlaceArchiveHoldInput, strawberry.argument(description="The hold.")],
    ) -> ArchiveHoldPayload:
        platform, principal = platform_of(info), principal_of(info)
        made, errors = await attempt(
            lambda: use_cases.place_hold(
                platform,
                principal,
                str(input.case_id),
                input.kind.value,
                input.reason,
                client_mutation_id=input.client_mutation_id,
            )
        )
        return await _hold_payload(info, made, errors, input.client_mutation_id)

    @strawberry.mutation(
        description="Lift a hold, with a reason (archivists and the legal department's "
        "experts). The hold stays as history. The MinIO legal holds are taken off after the "
        "lift is recorded, and only when no other active hold remains and the case is not "
        "permanent (permanent cases always keep theirs). INVALID_TRANSITION when already lifted."
    )
    async def lift_archive_hold(
        self,
        info: Info,
        input: Annotated[LiftArchiveHoldInput, strawberry.argument(description="The lift.")],
    ) -> ArchiveHoldPayload:
        platform, principal = platform_of(info), principal_of(info)
        made, errors = await attempt(
            lambda: use_cases.lift_hold(
                platform,
                principal,
                str(input.hold_id),
                input.reason,
                client_mutation_id=input.client_mutation_id,
            )
        )
        return await _hold_payload(info, made, errors, input.client_mutation_id)

    @strawberry.mutation(
        description="Run a case's ingest into the Object Lock bucket again (archivists, "
        "registrars): resumes an interrupted ingest and archives file versions added since; "
        "never archives a version twice. INVALID_TRANSITION for an open or destroyed case."
    )
    async def ingest_case(
        self,
        info: Info,
        input: Annotated[IngestCaseInput, strawberry.argument(description="The case.")],
    ) -> IngestCasePayload:
        platform, principal = platform_of(info), principal_of(info)
        report, errors = await attempt(
            lambda: reingest_case(platform, principal, str(input.case_id))
        )
        return IngestCasePayload(
            case_id=report.case_id if report else None,
            ingested=report.ingested if report else None,
            skipped=report.skipped if report else None,
            bytes=report.bytes if report else None,
            case=await _case(info, report.case_id) if report else None,
            user_errors=errors,
            client_mutation_id=input.client_mutation_id,
        )


QUERIES: list[type] = [ArchiveHoldsQuery]
MUTATIONS: list[type] = [ArchiveHoldsMutation]
