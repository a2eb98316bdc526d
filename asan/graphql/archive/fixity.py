"""Fixity audits over GraphQL: reports (newest first), one report with its problems, and
starting a run (one case while the request waits, the whole archive in the background)."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from asan.archive.fixity import use_cases
from asan.archive.fixity.models import FixityProblem, FixityReport
from asan.graphql.described import value
from asan.graphql.errors import UserError
from asan.graphql.mutation import attempt
from asan.graphql.relay import After, Connection, First, PageRequest, build_connection, scope_of
from asan.graphql.request import platform_of, principal_of


@strawberry.enum(name="FixityTrigger", description="How a fixity audit was started.")
class FixityTrigger(enum.Enum):
    CLI = value("cli", "From the command line (`asan archive audit`).")
    SCHEDULE = value("schedule", "By the server's periodic audit.")
    API = value("api", "By the `runFixityAudit` mutation.")


@strawberry.enum(name="FixityRunStatus", description="Where a fixity audit stands.")
class FixityRunStatus(enum.Enum):
    RUNNING = value("running", "Still checking; its counters grow batch by batch.")
    FINISHED = value("finished", "Every record was checked.")
    FAILED = value("failed", "Stopped before the end (outage, shutdown, lost lease): see `error`.")


@strawberry.enum(name="FixityProblemKind", description="What an audit found wrong with a record.")
class FixityProblemKind(enum.Enum):
    MISMATCH = value(
        "mismatch", "The pinned object version's bytes no longer hash to the recorded SHA-256."
    )
    MISSING = value("missing", "The pinned object version is gone from the bucket.")
    OVERWRITTEN = value(
        "overwritten",
        "The pinned version is intact, but a newer version or a delete marker was put on top "
        "of its key behind the system's back (a plain read of the key no longer gets it).",
    )


@strawberry.type(name="FixityProblem", description="One problem a fixity audit found.")
class FixityProblemType(relay.Node):
    _id_attr = "problem_id"
    problem_id: str = strawberry.field(description="The problem's own id.")
    record_id: str = strawberry.field(description="The archived record (ArchivedRecord) id.")
    case_id: str = strawberry.field(description="The case (iş) the record belongs to.")
    case_index: str | None = strawberry.field(
        description="The case's index (işin indeksi), e.g. `DEPT-IT-03`."
    )
    key: str = strawberry.field(description="The object's key in its bucket.")
    version_id: str | None = strawberry.field(
        description="The object version the record pins (null in a bucket without versions)."
    )
    kind: FixityProblemKind = strawberry.field(description="What is wrong.")
    expected: str = strawberry.field(
        description="The recorded SHA-256 (hex); for `OVERWRITTEN` the pinned version id."
    )
    actual: str | None = strawberry.field(
        description="The SHA-256 read (`MISMATCH`), null (`MISSING`), or the key's newest "
        "version id or `delete-marker` (`OVERWRITTEN`)."
    )
    at: dt.datetime = strawberry.field(description="When it was found (UTC).")

    @classmethod
    def of(cls, p: FixityProblem) -> FixityProblemType:
        return cls(
            problem_id=p.id,
            record_id=p.record_id,
            case_id=p.case_id,
            case_index=p.case_index,
            key=p.key,
            version_id=p.version_id,
            kind=FixityProblemKind(p.kind),
            expected=p.expected,
            actual=p.actual,
            at=p.at,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[FixityProblemType | None]:
        platform, principal = platform_of(info), principal_of(info)
        found = [await use_cases.read_problem(platform, principal, i) for i in list(node_ids)[:100]]
        return [cls.of(p) if p is not None else None for p in found]


@strawberry.type(
    name="FixityReport",
    description="One fixity audit (bütövlük yoxlaması): archived objects re-read and "
    "re-hashed against the SHA-256 recorded at ingest. Nothing is ever repaired.",
)
class FixityReportType(relay.Node):
    _id_attr = "report_id"
    report_id: str = strawberry.field(description="The report's own id (`fixityReport(id:)`).")
    case_id: str | None = strawberry.field(
        description="The one case audited; null for the whole archive."
    )
    trigger: FixityTrigger = strawberry.field(description="How it was started.")
    status: FixityRunStatus = strawberry.field(description="Where it stands.")
    started_at: dt.datetime = strawberry.field(description="When it began (UTC).")
    started_by: str = strawberry.field(description="Who started it (user id, or `system`).")
    finished_at: dt.datetime | None = strawberry.field(description="When it ended (UTC).")
    checked: int = strawberry.field(description="Records checked so far.")
    ok: int = strawberry.field(description="Records whose bytes hash to the recorded SHA-256.")
    mismatched: int = strawberry.field(description="Records whose bytes changed.")
    missing: int = strawberry.field(description="Records whose object version is gone.")
    overwritten: int = strawberry.field(
        description="Keys with a newer version or delete marker on top of the pinned one."
    )
    bytes: float = strawberry.field(description="Bytes read and hashed (a Float: may pass 2^31).")
    seconds: float | None = strawberry.field(description="How long it ran; null while running.")
    error: str | None = strawberry.field(description="Why it failed; null otherwise.")

    @strawberry.field(description="Its problems by key, then kind (keyset paging).")
    async def problems(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[FixityProblemType]:
        page = PageRequest.of(first, after, 2, scope=scope_of("fixityProblems", self.report_id))
        rows, total = await use_cases.list_problems(
            platform_of(info),
            principal_of(info),
            self.report_id,
            after=page.after,
            limit=page.limit,
        )
        return build_connection(rows, page, total, FixityProblemType.of, use_cases.problem_cursor)

    @classmethod
    def of(cls, r: FixityReport) -> FixityReportType:
        return cls(
            report_id=r.id,
            case_id=r.case_id,
            trigger=FixityTrigger(r.trigger),
            status=FixityRunStatus(r.status),
            started_at=r.started_at,
            started_by=r.started_by,
            finished_at=r.finished_at,
            checked=r.checked,
            ok=r.ok,
            mismatched=r.mismatched,
            missing=r.missing,
            overwritten=r.overwritten,
            bytes=float(r.bytes),
            seconds=r.seconds,
            error=r.error,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[FixityReportType | None]:
        platform, principal = platform_of(info), principal_of(info)
        found = [await use_cases.read_report(platform, principal, i) for i in list(node_ids)[:100]]
        return [cls.of(r) if r is not None else None for r in found]


@strawberry.input(name="RunFixityAuditInput", description="What to audit.")
class RunFixityAuditInput:
    case_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="One case, audited while the request waits; null: the whole archive, "
        "audited in the background (the answer is the running report).",
    )
    client_mutation_id: str | None = strawberry.field(
        default=None, description="Repeat the request with the same id: it is done once."
    )


@strawberry.type(name="FixityReportPayload", description="The audit's report, or why not.")
class FixityReportPayload:
    report: FixityReportType | None = strawberry.field(
        description="Finished for one case; running for the whole archive."
    )
    user_errors: list[UserError] = strawberry.field(description="Input problems.")
    client_mutation_id: str | None = strawberry.field(description="As sent.")


@strawberry.type
class FixityQuery:
    @strawberry.field(description="Fixity audit reports, newest first (keyset paging).")
    async def fixity_reports(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[FixityReportType]:
        page = PageRequest.of(first, after, 2, scope=scope_of("fixityReports"))
        rows, total = await use_cases.list_reports(
            platform_of(info), principal_of(info), after=page.after, limit=page.limit
        )
        return build_connection(rows, page, total, FixityReportType.of, use_cases.report_cursor)

    @strawberry.field(description="One fixity report by its id; null when there is none.")
    async def fixity_report(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The report's id.")],
    ) -> FixityReportType | None:
        found = await use_cases.read_report(platform_of(info), principal_of(info), str(id))
        return FixityReportType.of(found) if found else None


@strawberry.type
class FixityMutation:
    @strawberry.mutation(
        description="Run a fixity audit (archivists): re-read and re-hash archived objects, "
        "flag mismatched and missing records, report keys overwritten behind the system's "
        "back; nothing is repaired. CONFLICT while a whole-archive audit is running."
    )
    async def run_fixity_audit(
        self,
        info: Info,
        input: Annotated[RunFixityAuditInput, strawberry.argument(description="What to audit.")],
    ) -> FixityReportPayload:
        platform, principal = platform_of(info), principal_of(info)

        async def call() -> FixityReportType:
            report = await use_cases.run_from_api(
                platform,
                principal,
                str(input.case_id) if input.case_id is not None else None,
                client_mutation_id=input.client_mutation_id,
            )
            return FixityReportType.of(report)

        made, errors = await attempt(call)
        return FixityReportPayload(
            report=made, user_errors=errors, client_mutation_id=input.client_mutation_id
        )


QUERIES: list[type] = [FixityQuery]
MUTATIONS: list[type] = [FixityMutation]
