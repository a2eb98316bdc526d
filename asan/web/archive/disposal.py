"""The disposal calendar (cases whose retention ends, by month) and destruction acts
(məhv etmə aktları): drawing one up from the calendar, its PDF.

The calendar is ``disposal_calendar`` (GraphQL's ``disposalCalendar``) with the active holds
joined as GraphQL joins them; acts are ``list_acts`` and ``create_act`` (GraphQL's
``destructionActs`` and ``createDestructionAct``) through the audited pipeline. The
disposition policy decides who reads (archivists, registrars, the expert commission,
auditors, the signer) and who draws up an act (archivists, registrars); everyone else gets the
403 page. A case the use case refuses (held, not approved, not yet due, already in an act) is
named in the message above the list, nothing written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby
from typing import Final

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.archive.disposition import acts, reads
from asan.archive.disposition.models import DESTROY, CalendarEntry
from asan.archive.disposition.policy import ACT_EXECUTE, ACT_SIGN
from asan.archive.holds.models import Hold
from asan.auth.policy import Resource, can
from asan.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.web.archive.common import bounded_id, not_found, page, query_text, refused
from asan.web.forms import MAX_ID_CHARS, posted, signed_in
from asan.web.i18n import Lang, translate

CALENDAR_LIMIT: Final = 200
ACTS_LIMIT: Final = 50
AHEAD_DAYS: Final = 366  # the calendar's default window: what is due and the next year
MAX_CASES: Final = 200


@dataclass(frozen=True)
class CalendarItem:
    entry: CalendarEntry
    holds: list[Hold]
    due: bool
    selectable: bool  # may go into a new act: due, destruction approved, no act, not held


@dataclass(frozen=True)
class Month:
    key: str  # YYYY-MM
    items: list[CalendarItem]


def _window(request: Request, today: date) -> tuple[date | None, date]:
    def parsed(name: str) -> date | None:
        try:
            text = query_text(request, name)
            return date.fromisoformat(text) if text else None
        except ValueError:
            return None

    return parsed("from"), parsed("to") or today + timedelta(days=AHEAD_DAYS)


async def render_disposal(
    request: Request,
    lang: Lang,
    *,
    act_error: str | None = None,
    chosen: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    platform: Platform = request.app.state.platform
    principal = signed_in(request)
    if isinstance(principal, Response):
        return principal
    today = today_in_baku()
    start, end = _window(request, today)
    unit = query_text(request, "unit")
    try:
        entries, total = await reads.disposal_calendar(
            platform,
            principal.principal,
            {"from": start, "to": end, "unit": unit, "due": None},
            after=None,
            limit=CALENDAR_LIMIT,
        )
        act_list, act_total = await reads.list_acts(
            platform, principal.principal, None, after=None, limit=ACTS_LIMIT
        )
    except Forbidden:
        return refused(request, lang)
    holds = await reads.holds_of(platform, [e.case_id for e in entries])
    items = [_item(e, holds.get(e.case_id, []), today) for e in entries]
    months = [
        Month(key, list(group))
        for key, group in groupby(items, key=lambda i: i.entry.disposal_date.isoformat()[:7])
    ]
    return page(
        request,
        lang,
        "archive/disposal.html",
        {
            "months": months,
            "total": total,
            "start": start,
            "end": end,
            "unit": unit or "",
            "acts": act_list,
            "act_total": act_total,
            "act_error": act_error,
            "chosen": set(chosen or ()),
            "pdf_path": lambda act_id: f"/{lang}/archive/disposal/acts/{act_id}.pdf",
            "selectable": any(i.selectable for i in items),
            "may": lambda action, act_id: can(
                principal.principal, action, Resource("DestructionAct", id=act_id)
            ),
            "SIGN": ACT_SIGN,
            "EXECUTE": ACT_EXECUTE,
        },
        status_code=status_code,
    )


def _item(entry: CalendarEntry, holds: list[Hold], today: date) -> CalendarItem:
    due = entry.disposal_date <= today
    selectable = due and entry.decision == DESTROY and entry.act_number is None and not holds
    return CalendarItem(entry, holds, due, selectable)


async def disposal_page(request: Request) -> Response:
    who = signed_in(request)
    if isinstance(who, Response):
        return who
    return await render_disposal(request, who.lang)


async def create_act(request: Request) -> Response:
    form = await posted(request)
    if isinstance(form, Response):
        return form
    lang = form.lang
    case_ids = [str(v) for v in form.form.getlist("case_id") if 0 < len(str(v)) <= MAX_ID_CHARS]
    if not case_ids:
        message = translate(lang, "archive.act.error.none")
        return await render_disposal(request, lang, act_error=message, status_code=400)
    try:
        await acts.create_act(
            request.app.state.platform,
            form.principal,
            case_ids[:MAX_CASES],
            client_mutation_id=form.mutation_id,
        )
    except Forbidden:
        return refused(request, lang)
    except ValidationFailed as exc:
        problem = "; ".join(e.message for e in exc.errors)
        message = translate(lang, "archive.error", problem=problem)
        return await render_disposal(
            request, lang, act_error=message, chosen=case_ids, status_code=400
        )
    except (InvalidTransition, Conflict) as exc:
        message = translate(lang, "archive.act.error.stale", problem=exc.message)
        return await render_disposal(
            request, lang, act_error=message, chosen=case_ids, status_code=409
        )
    except DomainError as exc:
        message = translate(lang, "archive.error", problem=exc.message)
        return await render_disposal(
            request, lang, act_error=message, chosen=case_ids, status_code=400
        )
    return RedirectResponse(f"/{lang}/archive/disposal#acts", status_code=303)


async def act_pdf(request: Request) -> Response:
    """The act's PDF for the page session: the same read and bytes as the bearer route
    ``/archive/destruction-acts/{act}.pdf`` (a signed act exactly as stored, a draft rendered
    now), under the pages' path so the session cookie is what authenticates it."""
    who = signed_in(request)
    if isinstance(who, Response):
        return who
    act_id = bounded_id(request.path_params["act"])
    if act_id is None:
        return not_found(request, who.lang)
    platform: Platform = request.app.state.platform
    try:
        act = await reads.read_act(platform, who.principal, act_id)
        if act is None:
            return not_found(request, who.lang)
        data = await acts.act_pdf_bytes(platform, act)
    except Forbidden:
        return refused(request, who.lang)
    except NotFound:
        return not_found(request, who.lang)
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "content-disposition": f'attachment; filename="{act.number}.pdf"',
            "cache-control": "private, no-store",
        },
    )
