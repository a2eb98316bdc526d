"""The inbox: my tasks, my units' tasks, on control, due soon and overdue.

Each list is the EDMS read GraphQL's ``myTasks``, ``unitTasks``, ``onControl``, ``dueSoon``
and ``overdue`` call (asan/edms/resolutions/reads.py), with the page principal: the policy and
``visible_where`` decide what it holds, as they do for the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.auth.principal import Principal
from asan.core.errors import Forbidden
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.resolutions import flows, reads
from asan.edms.resolutions.reads import ResolutionRow, TaskRow
from asan.web.i18n import Lang
from asan.web.rendering import render
from asan.web.session.csrf import csrf_token, page_principal
from asan.web.session.pages import page_lang
from asan.web.workspace.deadlines import Urgency, urgency

LIST_LIMIT: Final = 50  # rows shown per list; the total says how many there are
DUE_SOON_DAYS: Final = 5  # working days, as GraphQL's dueSoon default


@dataclass(frozen=True)
class TaskItem:
    row: TaskRow
    urgency: Urgency


@dataclass(frozen=True)
class TaskList:
    key: str  # anchor and message key suffix
    items: list[TaskItem]
    total: int


@dataclass(frozen=True)
class ControlItem:
    row: ResolutionRow
    urgency: Urgency


def sign_in_redirect(request: Request, lang: Lang) -> Response:
    target = quote(request.url.path, safe="/")
    return RedirectResponse(f"/{lang}/signin?next={target}", status_code=303)


def _items(lang: Lang, rows: list[TaskRow], today: date) -> list[TaskItem]:
    return [TaskItem(r, urgency(lang, r.task.deadline, today)) for r in rows[:LIST_LIMIT]]


async def _task_lists(
    platform: Platform, principal: Principal, lang: Lang, today: date
) -> list[TaskList]:
    open_ = (flows.TASK_ASSIGNED,)
    lists: list[TaskList] = []
    mine = await reads.my_tasks(platform, principal, open_, after=None, limit=LIST_LIMIT + 1)
    lists.append(TaskList("mine", _items(lang, mine.rows, today), mine.total))
    for unit in sorted(principal.org_units):
        try:
            page = await reads.unit_tasks(
                platform, principal, unit, open_, after=None, limit=LIST_LIMIT + 1
            )
        except Forbidden:
            continue
        lists.append(TaskList(f"unit:{unit}", _items(lang, page.rows, today), page.total))
    soon = await reads.due_soon(
        platform, principal, DUE_SOON_DAYS, None, after=None, limit=LIST_LIMIT + 1, today=today
    )
    lists.append(TaskList("soon", _items(lang, soon.rows, today), soon.total))
    late = await reads.overdue(
        platform, principal, None, after=None, limit=LIST_LIMIT + 1, today=today
    )
    lists.append(TaskList("overdue", _items(lang, late.rows, today), late.total))
    return lists


async def inbox(request: Request) -> Response:
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    platform: Platform = request.app.state.platform
    today = today_in_baku()
    lists = await _task_lists(platform, principal, lang, today)
    control = await reads.on_control(platform, principal, None, after=None, limit=LIST_LIMIT + 1)
    return render(
        request,
        lang,
        "workspace/inbox.html",
        {
            "principal": principal,
            "csrf_token": csrf_token(request),
            "lists": lists,
            "control": [
                ControlItem(r, urgency(lang, r.resolution.deadline, today))
                for r in control.rows[:LIST_LIMIT]
            ],
            "control_total": control.total,
        },
    )
