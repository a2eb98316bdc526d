"""What every archive page shares: the signed-in first step, the page render with the
session's CSRF token, the refusal page for a caller the policy turns away, form values.

The pages call the archive's own use cases and reads with the page principal; the policy
raises ``Forbidden`` and the pages only turn it into the 403 page, never decide themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from asan.auth.principal import Principal
from asan.core.errors import ValidationFailed
from asan.web.i18n import Lang, translate
from asan.web.rendering import render
from asan.web.session.csrf import csrf_token, page_principal, posted_form
from asan.web.session.pages import page_lang
from asan.web.workspace.inbox import sign_in_redirect

MAX_ID_CHARS: Final = 128
MAX_MUTATION_ID: Final = 64
MAX_FILTER_CHARS: Final = 64


@dataclass(frozen=True)
class Caller:
    lang: Lang
    principal: Principal


@dataclass(frozen=True)
class Posted:
    lang: Lang
    principal: Principal
    form: FormData
    mutation_id: str | None

    def text(self, name: str) -> str:
        return str(self.form.get(name) or "")


def caller(request: Request) -> Caller | Response:
    """The page's language and a signed-in principal, or the sign-in redirect."""
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    return Caller(lang, principal)


async def posted(request: Request) -> Posted | Response:
    """Signed in and CSRF-checked, with the form's client mutation id (a double submit runs
    the use case once), or the page to answer with instead."""
    who = caller(request)
    if isinstance(who, Response):
        return who
    form = await posted_form(request, who.lang)
    if isinstance(form, Response):
        return form
    mutation_id = str(form.get("client_mutation_id") or "")[:MAX_MUTATION_ID] or None
    return Posted(who.lang, who.principal, form, mutation_id)


def page(
    request: Request,
    lang: Lang,
    template: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        lang,
        template,
        {
            "csrf_token": csrf_token(request),
            "principal": page_principal(request),
            "new_id": lambda: uuid.uuid4().hex,
            **context,
        },
        status_code=status_code,
    )


def refused(request: Request, lang: Lang) -> Response:
    """403: the policy does not let this caller see or do it."""
    return page(request, lang, "archive/refused.html", {}, status_code=403)


def not_found(request: Request, lang: Lang) -> Response:
    return page(request, lang, "archive/not_found.html", {}, status_code=404)


def field_errors(
    lang: Lang, exc: ValidationFailed, fields: Mapping[str, str], fallback: str
) -> dict[str, str]:
    """Use-case field errors keyed by the form's field names (``fields``: use-case field ->
    form field); an unknown field goes next to ``fallback``."""
    errors: dict[str, str] = {}
    for error in exc.errors:
        name = fields.get(error.field or "", fallback)
        errors.setdefault(name, translate(lang, "archive.error", problem=error.message))
    return errors


def query_text(request: Request, name: str) -> str | None:
    value = request.query_params.get(name, "").strip()
    return value[:MAX_FILTER_CHARS] or None


def query_int(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "").strip()
    return int(value) if value.isdigit() and len(value) <= 6 else None


def bounded_id(value: str) -> str | None:
    return value if value and len(value) <= MAX_ID_CHARS else None
