"""A case's lifecycle steps and the filing of documents into open cases.

Closing needs a retention period (or the permanent mark): the disposal date is fixed at that
moment, 1 January after the closing year plus the retention years. Destruction is refused
before that date and for permanent cases; the signed destruction act and the deletion of
files come with the disposition part of the archive. A document is filed only into an open
case; when the case is closed, the error names the open case of the same index, if one exists.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time
from typing import Any

from asan.archive.cases import repository as repo
from asan.archive.cases.models import (
    CLOSED,
    DESTROYED,
    OPEN,
    STEPS,
    TRANSFERRED,
    Case,
    disposal_date,
)
from asan.archive.cases.policy import CASE_STEP, FILE
from asan.archive.filing.guards import refuse_closing_in_execution
from asan.archive.nomenclature.policy import READ
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource, authorize
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import BadInput, Conflict, InvalidTransition, NotFound
from asan.core.platform import Platform
from asan.core.workdays import BAKU, today_in_baku
from asan.edms.documents.access import document_target

KIND = "Case"
DOCUMENT_KIND = "Document"


def _not_found(case_id: str) -> NotFound:
    return NotFound(f"iş {case_id[:60]} tapılmadı / case not found", field="caseId")


def _case_target(case_id: str) -> Callable[[Tx], Awaitable[Resource]]:
    """The case as it is inside the transaction; an unknown id is a hidden resource, so a
    caller who may not act learns nothing and is refused like any other."""

    async def resolve(tx: Tx) -> Resource:
        row = await repo.by_id(tx, case_id)
        if row is None:
            return Resource("Case", id=case_id, hidden_if_denied=True)
        return Resource("Case", id=case_id, org_unit=row["unit"], status=row["status"])

    return resolve


def _refuse_step(case: Case, to: str) -> InvalidTransition | None:
    allowed = case.allowed_steps
    if to not in allowed:
        steps = ", ".join(allowed) or "yoxdur / none"
        return InvalidTransition(
            f"iş '{case.status}' vəziyyətindədir, '{to}' olmaz; mümkün addımlar: {steps} / "
            f"the case is '{case.status}': cannot go to '{to}'; allowed steps: {steps}",
            field="to",
        )
    if to == TRANSFERRED:
        return InvalidTransition(
            f"{case.index} işi arxivə təhvil siyahısı qəbul edilərək verilir "
            "(acceptTransferInventory) / a case is transferred by accepting its transfer "
            f"inventory (acceptTransferInventory), not directly: case {case.index}",
            field="to",
        )
    if to == CLOSED and case.retention_years is None and not case.permanent:
        return InvalidTransition(
            f"{case.index} işinin saxlama müddəti yoxdur, bağlanmır / case {case.index} has no "
            "retention period and cannot be closed",
            field="caseId",
        )
    if to == DESTROYED:
        if case.permanent or case.disposal_date is None:
            return InvalidTransition(
                f"{case.index} daimi saxlanılır / case {case.index} is kept permanently",
                field="to",
            )
        if case.disposal_date > today_in_baku():
            return InvalidTransition(
                f"{case.index} işinin saxlama müddəti {case.disposal_date.isoformat()} bitir / "
                f"case {case.index} is kept until {case.disposal_date.isoformat()}",
                field="to",
            )
        # only an executed destruction act destroys (asan/archive/disposition)
        return InvalidTransition(
            f"{case.index} işi yalnız imzalanmış məhv etmə aktının icrası ilə məhv edilir / "
            f"case {case.index} is destroyed only by executing a signed destruction act "
            "(createDestructionAct, signDestructionAct, executeDestructionAct)",
            field="to",
        )
    return None


def _refuse_closed_on(case: Case, to: str, closed_on: date | None) -> BadInput | None:
    if closed_on is None:
        return None
    if to != CLOSED:
        return BadInput(
            "bağlanma tarixi yalnız bağlananda verilir / closedOn is given only when closing",
            field="closedOn",
        )
    if closed_on > today_in_baku() or closed_on.year < case.year:
        return BadInput(
            f"bağlanma tarixi {case.year}-ci ildən bu günədək olmalıdır / closedOn must lie "
            f"between the case's year {case.year} and today",
            field="closedOn",
        )
    return None


async def change_status(
    platform: Platform,
    principal: Principal,
    case_id: str,
    to: str,
    *,
    closed_on: date | None = None,
    client_mutation_id: str | None = None,
) -> str:
    """One lifecycle step of the case; returns its id.

    ``closed_on`` records a case closed earlier than today (a paper case of past years taken
    into the system): the retention clock runs from that year, not from today's.
    """

    async def work(m: Mutation) -> str:
        row = await repo.by_id(m.tx, case_id)
        if row is None:
            raise _not_found(case_id)
        case = Case.of(row)
        refused = _refuse_step(case, to) or _refuse_closed_on(case, to, closed_on)
        if refused is not None:
            raise refused
        if to == CLOSED:
            await refuse_closing_in_execution(m.tx, case_id, case.index)
        closed_at = disposal = None
        if to == CLOSED:
            on = closed_on or today_in_baku()
            closed_at = (
                datetime.combine(on, time(12), BAKU).astimezone(UTC)
                if closed_on is not None
                else datetime.now(UTC)
            )
            disposal = disposal_date(on.year, case.retention_years, case.permanent)
        await repo.set_status(m.tx, case_id, to, closed_at, disposal)
        fields = ("status", "closedAt", "disposalDate") if to == CLOSED else ("status",)
        m.changed(KIND, case_id, "status_changed", fields)
        m.detail(index=case.index, year=case.year, status=to, before=case.status)
        return case_id

    return await run_mutation(
        platform,
        principal,
        CASE_STEP,
        _case_target(case_id),
        work,
        client_mutation_id=client_mutation_id,
    )


async def file_document(
    platform: Platform,
    principal: Principal,
    document_id: str,
    case_id: str,
    *,
    client_mutation_id: str | None = None,
) -> str:
    """File the document into the open case: the document's case index becomes a link to it."""

    async def work(m: Mutation) -> str:
        row = await repo.by_id(m.tx, case_id)
        if row is None:
            raise _not_found(case_id)
        case = Case.of(row)
        if case.status != OPEN:
            other = await repo.open_for_index(m.tx, case.index)
            hint = (
                f"; {other['index']} üzrə açıq iş: {other['year']} ili ({other['id']}) / the open "
                f"case for {other['index']} is {other['year']}'s ({other['id']})"
                if other is not None
                else f"; {case.index} üzrə açıq iş yoxdur / no case is open for {case.index}"
            )
            raise Conflict(
                f"{case.index} ({case.year}) işi '{case.status}' vəziyyətindədir / case "
                f"{case.index} ({case.year}) is '{case.status}', not open{hint}",
                field="caseId",
            )
        left = await repo.file_document(m.tx, document_id, case_id)
        m.changed(DOCUMENT_KIND, document_id, "updated", ("caseIndex",))
        m.changed(KIND, case_id, "updated", ("documents",))
        if left is not None and left != case_id:
            m.changed(KIND, left, "updated", ("documents",))
        m.detail(caseId=case_id, index=case.index, previousCase=left)
        return case_id

    return await run_mutation(
        platform,
        principal,
        FILE,
        document_target(document_id),
        work,
        client_mutation_id=client_mutation_id,
    )


async def read_case(platform: Platform, principal: Principal, case_id: str) -> Case | None:
    authorize(principal, READ, Resource("Case", id=case_id))
    async with platform.db.read_transaction() as tx:
        row = await repo.by_id(tx, case_id)
    return Case.of(row) if row is not None else None


async def list_cases(
    platform: Platform,
    principal: Principal,
    filters: dict[str, Any],
    *,
    after: list[Any] | None,
    limit: int,
) -> tuple[list[Case], int]:
    """Cases by year and index; ``filters`` has year, unit, status and index (None: any)."""
    authorize(principal, READ, Resource("Case"))
    async with platform.db.read_transaction() as tx:
        rows, total = await repo.page(tx, filters, after, limit)
    return [Case.of(r) for r in rows], total


def cursor_of(case: Case) -> list[Any]:
    return [case.year, case.index]


__all__ = ["STEPS", "change_status", "cursor_of", "file_document", "list_cases", "read_case"]
