"""The three reports of point 9 as values: execution discipline per unit, monthly incoming
appeals per ASAN centre (and other channel), the annual record-keeping summary.

Every read is authorised (``edms.report.read``) and counts only documents the caller may
see (``visible_where``); a head without a broad role sees only the units they lead.
"""

from __future__ import annotations

from datetime import date

from asan.auth.policy import Resource, authorize, is_admin
from asan.auth.principal import Principal
from asan.core.errors import BadInput
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.documents.access import visible_where
from asan.edms.reports import repository as repo
from asan.edms.reports.models import (
    AnnualSummary,
    AppealMonthRow,
    DisciplineRow,
    JournalSummaryRow,
)

MAX_PERIOD_DAYS = 3 * 366
MIN_YEAR, MAX_YEAR = 2000, 2100


def _units(principal: Principal) -> list[str] | None:
    """None: every unit; otherwise the units a head leads."""
    if is_admin(principal) or principal.has_role("registrar", "auditor"):
        return None
    return sorted(principal.led_units)


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BadInput(
            f"il {MIN_YEAR}-{MAX_YEAR} / year must be {MIN_YEAR}-{MAX_YEAR}", field="year"
        )


def _discipline_row(row: dict[str, object], unit: str, name: object) -> DisciplineRow:
    def n(key: str) -> int:
        value = row.get(key)
        return int(value) if isinstance(value, int | float) else 0

    return DisciplineRow(
        unit=unit,
        unit_name=str(name) if name is not None else None,
        total=n("total"),
        on_time=n("onTime"),
        late=n("late"),
        overdue=n("overdue"),
        pending=n("pending"),
    )


async def execution_discipline(
    platform: Platform, principal: Principal, start: date, end: date
) -> list[DisciplineRow]:
    """Per unit, the execution tasks whose deadline falls in [start, end]."""
    authorize(principal, "edms.report.read", Resource("Report", "execution-discipline"))
    if end < start or (end - start).days > MAX_PERIOD_DAYS:
        raise BadInput(
            "dövr düzgün deyil (ən çox 3 il) / the period must run forwards, at most 3 years",
            field="to",
        )
    predicate, params = visible_where("d", principal)
    async with platform.db.read_transaction() as tx:
        rows = await repo.discipline(
            tx, (predicate, params), start, end, today_in_baku(), _units(principal)
        )
    return [_discipline_row(r, str(r["unit"]), r.get("unitName")) for r in rows]


async def appeal_statistics(
    platform: Platform, principal: Principal, year: int
) -> list[AppealMonthRow]:
    """Incoming appeals of ``year`` per month and per ASAN centre (other channels as a row
    each), by type."""
    authorize(principal, "edms.report.read", Resource("Report", "appeal-statistics"))
    _check_year(year)
    predicate, params = visible_where("d", principal)
    async with platform.db.read_transaction() as tx:
        rows = await repo.appeals_by_month(tx, (predicate, params), year)
    return [
        AppealMonthRow(
            month=int(r["month"]),
            channel=str(r["channel"] or ""),
            centre=r.get("centre"),
            centre_name=r.get("centreName"),
            proposals=int(r["proposals"]),
            applications=int(r["applications"]),
            complaints=int(r["complaints"]),
        )
        for r in rows
        if r.get("month") is not None
    ]


async def record_keeping_summary(
    platform: Platform, principal: Principal, year: int
) -> AnnualSummary:
    """The year's registrations per journal, execution discipline and appeal outcomes."""
    authorize(principal, "edms.report.read", Resource("Report", "record-keeping"))
    _check_year(year)
    predicate, params = visible_where("d", principal)
    today = today_in_baku()
    async with platform.db.read_transaction() as tx:
        journals = await repo.journal_counts(tx, (predicate, params), year)
        tasks = await repo.discipline_total(
            tx, (predicate, params), date(year, 1, 1), date(year, 12, 31), today
        )
        appeals = await repo.appeal_outcomes(tx, (predicate, params), year, today)
    return AnnualSummary(
        year=year,
        journals=[
            JournalSummaryRow(str(j["journal"]), str(j["nameAz"] or ""), int(j["registered"]))
            for j in journals
        ],
        tasks=_discipline_row(tasks, "*", "Bütün bölmələr / All units"),
        appeals_received=int(appeals["received"]),
        appeals_answered=int(appeals["answered"]),
        appeals_answered_late=int(appeals["answeredLate"]),
        appeals_forwarded=int(appeals["forwarded"]),
        appeals_left_unconsidered=int(appeals["unconsidered"]),
        appeals_open=int(appeals["open"]),
        appeals_overdue=int(appeals["overdue"]),
    )
