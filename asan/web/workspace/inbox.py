"""The inbox: my tasks, my units' tasks, on control, due soon and overdue.

Each list is the EDMS read GraphQL's ``myTasks``, ``unitTasks``, ``onControl``, ``dueSoon``
and ``overdue`` call (asan/edms/resolutions/reads.py), with the page principal: the policy and
``visible_where`` decide what it holds, as they do for the API.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from typing import Final

from starlette.requests import Request
from starlette.responses import Response

from asan.auth.policy import Resource, can
from asan.auth.principal import Principal
from asan.core.errors import Forbidden
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.resolutions import flows, reads
from asan.edms.resolutions.models import Page
from asan.edms.resolutions.reads import ResolutionRow, TaskRow
from asan.web.forms import sign_in_redirect
from asan.web.i18n import Lang
from asan.web.rendering import render
from asan.web.session.csrf import csrf_token, page_principal
from asan.web.session.pages import page_lang
from asan.web.workspace.deadlines import Urgency, urgency

LIST_LIMIT: Final = 50  # rows shown per list; the total says how many there are
REGISTER: Final = "edms.document.register"
DUE_SOON_DAYS: Final = 5  # working days, as GraphQL's dueSoon default
OPEN: Final = (flows.TASK_ASSIGNED,)


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


def _items(lang: Lang, rows: list[TaskRow], today: date) -> list[TaskItem]:
    return [TaskItem(r, urgency(lang, r.task.deadline, today)) for r in rows[:LIST_LIMIT]]


async def _unit_page(platform: Platform, principal: Principal, unit: str) -> Page[TaskRow] | None:
    try:
        return await reads.unit_tasks(
            platform, principal, unit, OPEN, after=None, limit=LIST_LIMIT + 1
        )
    except Forbidden:  # a unit whose list the policy refuses is left out
        return None


async def _task_lists(
    platform: Platform, principal: Principal, lang: Lang, today: date
) -> tuple[list[TaskList], Page[ResolutionRow]]:
    """Every list at once: each is a read of its own, run concurrently (an overseer's lists
    scan every unit's tasks; one after the other they added up past the inbox's target)."""
    units = sorted(principal.org_units)
    limit = LIST_LIMIT + 1
    (mine, soon, late, control), unit_pages = await asyncio.gather(
        asyncio.gather(
            reads.my_tasks(platform, principal, OPEN, after=None, limit=limit),
            reads.due_soon(
                platform, principal, DUE_SOON_DAYS, None, after=None, limit=limit, today=today
            ),
            reads.overdue(platform, principal, None, after=None, limit=limit, today=today),
            reads.on_control(platform, principal, None, after=None, limit=limit),
        ),
        asyncio.gather(*(_unit_page(platform, principal, unit) for unit in units)),
    )
    lists = [TaskList("mine", _items(lang, mine.rows, today), mine.total)]
    for unit, page in zip(units, unit_pages, strict=True):
        if page is not None:
            lists.append(TaskList(f"unit:{unit}", _items(lang, page.rows, today), page.total))
    lists.append(TaskList("soon", _items(lang, soon.rows, today), soon.total))
    lists.append(TaskList("overdue", _items(lang, late.rows, today), late.total))
    return lists, control


async def inbox(request: Request) -> Response:
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    platform: Platform = request.app.state.platform
    today = today_in_baku()
    lists, control = await _task_lists(platform, principal, lang, today)
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
            # a link to the registration form for those who may register (registrars)
            "may_register": can(principal, REGISTER, Resource("Document")),
        },
    )
