"""What every registry page shares: signed-in first, the CSRF-checked form with its client
mutation id, the 404 and 403 pages, deadlines in words."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from asan.auth.principal import Principal
from asan.registry.catalog import flows
from asan.registry.catalog.models import RegistrationRequest
from asan.web.i18n import Lang
from asan.web.rendering import render
from asan.web.session.csrf import csrf_token, page_principal, posted_form
from asan.web.session.pages import page_lang
from asan.web.workspace.deadlines import Urgency, urgency
from asan.web.workspace.inbox import sign_in_redirect

MAX_CODE: Final = 64  # service codes (validation.CODE_MAX) and request ids are shorter
MAX_MUTATION_ID: Final = 64


@dataclass(frozen=True)
class Page:
    """A signed-in caller of a registry page."""

    lang: Lang
    principal: Principal


@dataclass(frozen=True)
class Posted:
    """A signed-in, CSRF-checked POST of a registry form."""

    lang: Lang
    principal: Principal
    form: FormData
    mutation_id: str | None


def signed_in(request: Request) -> Page | Response:
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    return Page(lang, principal)


async def posted(request: Request) -> Posted | Response:
    page = signed_in(request)
    if isinstance(page, Response):
        return page
    form = await posted_form(request, page.lang)
    if isinstance(form, Response):
        return form
    mutation_id = str(form.get("client_mutation_id") or "")[:MAX_MUTATION_ID] or None
    return Posted(page.lang, page.principal, form, mutation_id)


def context(request: Request, **values: Any) -> dict[str, Any]:
    """What the registry templates need besides their own values."""
    return {"csrf_token": csrf_token(request), "new_id": lambda: uuid.uuid4().hex, **values}


def not_found(request: Request, lang: Lang) -> Response:
    return render(request, lang, "workspace/not_found.html", context(request), status_code=404)


def refused(request: Request, lang: Lang) -> Response:
    """403: the policy refused this body's editor (or whoever) the service or the request."""
    return render(request, lang, "registry/refused.html", context(request), status_code=403)


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
