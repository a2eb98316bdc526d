"""Cases (işlər) with their disposal dates, and one case's page with its archived records and
holds.

The list is ``list_cases`` (GraphQL's ``cases``) with the year, unit and status filters; "due
for disposal" is the disposition read GraphQL's ``disposalCalendar(due: true)`` calls, so the
page and the API agree on which cases are due. A case's page reads ``read_case``, its records
(``records_of_case``) and holds (``holds_of_cases``): the archive read policy decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response

from asan.archive.cases.models import STATUSES, Case
from asan.archive.cases.use_cases import list_cases, read_case
from asan.archive.disposition import reads as disposition
from asan.archive.disposition.models import DECISIONS, DISPOSABLE_STATUSES, CalendarEntry
from asan.archive.disposition.policy import DECIDE
from asan.archive.holds.models import KINDS
from asan.archive.holds.use_cases import active_of_cases, holds_of_cases
from asan.archive.records.queries import records_of_case
from asan.auth.policy import Resource, can
from asan.auth.principal import Principal
from asan.core.errors import Forbidden
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.web.archive.common import bounded_id, not_found, page, query_int, query_text, refused
from asan.web.forms import signed_in
from asan.web.i18n import Lang
from asan.web.session.csrf import page_principal

LIST_LIMIT: Final = 100  # rows per page; the total says how many match
HOLDS_EACH: Final = 50
RECORDS_LIMIT: Final = 100


@dataclass(frozen=True)
class CaseRow:
    case_id: str
    index: str
    year: int
    title: str
    unit: str
    status: str
    retention_years: int | None
    permanent: bool
    disposal_date: date | None
    due: bool
    held: bool


def _row(case: Case, today: date, held: bool) -> CaseRow:
    due = case.disposal_date is not None and case.disposal_date <= today
    return CaseRow(
        case.id,
        case.index,
        case.year,
        case.title,
        case.unit,
        case.status,
        case.retention_years,
        case.permanent,
        case.disposal_date,
        due,
        held,
    )


async def _due_rows(
    platform: Platform, principal: Principal, unit: str | None
) -> tuple[list[CaseRow], int]:
    entries, total = await disposition.disposal_calendar(
        platform,
        principal,
        {"from": None, "to": None, "unit": unit, "due": True},
        after=None,
        limit=LIST_LIMIT,
    )
    holds = await disposition.holds_of(platform, [e.case_id for e in entries])
    return [
        CaseRow(
            e.case_id,
            e.index,
            e.year,
            e.title,
            e.unit,
            e.status,
            e.retention_years,
            False,
            e.disposal_date,
            True,
            bool(holds.get(e.case_id)),
        )
        for e in entries
    ], total


async def cases_page(request: Request) -> Response:
    who = signed_in(request)
    if isinstance(who, Response):
        return who
    platform: Platform = request.app.state.platform
    status = query_text(request, "status")
    filters: dict[str, Any] = {
        "year": query_int(request, "year"),
        "unit": query_text(request, "unit"),
        "status": status if status in STATUSES else None,
        "index": None,
    }
    due = request.query_params.get("due") == "1"
    today = today_in_baku()
    try:
        if due:
            rows, total = await _due_rows(platform, who.principal, filters["unit"])
        else:
            cases, total = await list_cases(
                platform, who.principal, filters, after=None, limit=LIST_LIMIT
            )
            held = await active_of_cases(platform, who.principal, [c.id for c in cases])
            rows = [_row(c, today, bool(held.get(c.id))) for c in cases]
    except Forbidden:
        return refused(request, who.lang)
    return page(
        request,
        who.lang,
        "archive/cases.html",
        {
            "rows": rows,
            "total": total,
            "filters": filters,
            "due": due,
            "statuses": STATUSES,
        },
    )


async def _decision(platform: Platform, principal: Principal, case: Case) -> CalendarEntry | None:
    """The commission's latest decision, as the calendar shows it (its day, its unit), for
    those the disposition policy lets read the calendar; nothing for anyone else."""
    if case.disposal_date is None or case.permanent:
        return None
    window = {"from": case.disposal_date, "to": case.disposal_date, "unit": case.unit, "due": None}
    try:
        entries, _ = await disposition.disposal_calendar(
            platform, principal, window, after=None, limit=LIST_LIMIT
        )
    except Forbidden:
        return None
    return next((e for e in entries if e.case_id == case.id), None)


async def render_case(
    request: Request,
    lang: Lang,
    case_id: str,
    *,
    place_errors: dict[str, str] | None = None,
    place_values: dict[str, str] | None = None,
    lift_errors: dict[str, str] | None = None,
    decision_errors: dict[str, str] | None = None,
    decision_values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The case's page, with a refused hold form's messages next to its fields."""
    platform: Platform = request.app.state.platform
    principal = page_principal(request)
    try:
        case = await read_case(platform, principal, case_id)
        if case is None:
            return not_found(request, lang)
        holds = (await holds_of_cases(platform, principal, [case_id], limit_each=HOLDS_EACH)).get(
            case_id, []
        )
        records, record_total = await records_of_case(
            platform, principal, case_id, after=None, limit=RECORDS_LIMIT
        )
    except Forbidden:
        return refused(request, lang)
    today = today_in_baku()
    active = [h for h in holds if h.active]
    decided = await _decision(platform, principal, case)
    return page(
        request,
        lang,
        "archive/case.html",
        {
            "case": _row(case, today, bool(active)),
            "documents": case.documents,
            "holds": holds,
            "records": records,
            "record_total": record_total,
            "kinds": KINDS,
            "place_errors": place_errors or {},
            "place_values": place_values or {},
            "lift_errors": lift_errors or {},
            "may_decide": case.status in DISPOSABLE_STATUSES
            and not case.permanent
            and can(principal, DECIDE, Resource("Case", id=case_id)),
            "decisions": DECISIONS,
            "decision": decided.decision if decided else None,
            "decision_reason": decided.decision_reason if decided else None,
            "decision_errors": decision_errors or {},
            "decision_values": decision_values or {},
        },
        status_code=status_code,
    )


async def case_page(request: Request) -> Response:
    who = signed_in(request)
    if isinstance(who, Response):
        return who
    case_id = bounded_id(request.path_params["case_id"])
    if case_id is None:
        return not_found(request, who.lang)
    return await render_case(request, who.lang, case_id)
