"""What every registry page shares beyond asan.web.forms: the 403 page, deadlines in words."""

from __future__ import annotations

from datetime import date
from typing import Final

from starlette.requests import Request
from starlette.responses import Response

from asan.registry.catalog import flows
from asan.registry.catalog.models import RegistrationRequest
from asan.web.forms import page_context
from asan.web.i18n import Lang
from asan.web.rendering import render
from asan.web.workspace.deadlines import Urgency, urgency

MAX_CODE: Final = 64  # service codes (validation.CODE_MAX) and request ids are shorter


def refused(request: Request, lang: Lang) -> Response:
    """403: the policy refused this body's editor (or whoever) the service or the request."""
    return render(request, lang, "registry/refused.html", page_context(request), status_code=403)


def deadline_of(request: RegistrationRequest) -> date | None:
    """The deadline running now: the agency's review while submitted, the body's fix while
    returned, none once registered."""
    if request.status == flows.REQUEST_SUBMITTED:
        return request.review_due
    if request.status == flows.REQUEST_RETURNED:
        return request.fix_due
    return None


def deadline_words(lang: Lang, request: RegistrationRequest, today: date) -> Urgency | None:
    due = deadline_of(request)
    return urgency(lang, due, today) if due is not None else None
