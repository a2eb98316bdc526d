"""What every archive page shares beyond asan.web.forms: the page render with the
session's CSRF token, the refusal page for a caller the policy turns away, form values.

The pages call the archive's own use cases and reads with the page principal; the policy
raises ``Forbidden`` and the pages only turn it into the 403 page, never decide themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response

from asan.core.errors import ValidationFailed
from asan.web.forms import MAX_ID_CHARS, page_context
from asan.web.i18n import Lang, translate
from asan.web.rendering import render

MAX_FILTER_CHARS: Final = 64


def page(
    request: Request,
    lang: Lang,
    template: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
) -> Response:
    return render(
        request, lang, template, page_context(request, **context), status_code=status_code
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
