"""CSRF: every form carries the caller's CSRF token; every page POST checks it first.

The token is the ``asan_csrf`` cookie's value (the middleware makes one when missing), echoed
in a hidden field; a cross-site page can make the browser send the cookie but cannot read it,
so it cannot fill the field. A refusal is a 403 page in the page's language.
"""

from __future__ import annotations

import hmac
from urllib.parse import parse_qsl

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from asan.auth.middleware import principal_of
from asan.auth.principal import Principal
from asan.web.i18n import Lang
from asan.web.rendering import render
from asan.web.session.cookies import CSRF_FIELD
from asan.web.session.middleware import CSRF_KEY

MAX_FORM_FIELDS = 50
MAX_FORM_BYTES = 64 * 1024


def csrf_token(request: Request) -> str:
    token = getattr(request.state, CSRF_KEY, "")
    return token if isinstance(token, str) else ""


def page_principal(request: Request) -> Principal:
    """Who the page is for (anonymous without a live session)."""
    return principal_of(request.state)


class CsrfRefused(Exception):
    pass


class FormTooLarge(Exception):
    pass


async def _urlencoded(request: Request) -> FormData:
    """The form's fields, read at most ``MAX_FORM_BYTES`` far (the pages' forms are small)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
        raise FormTooLarge
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_FORM_BYTES:
            raise FormTooLarge
    fields = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    return FormData([(k, v) for k, v in fields[:MAX_FORM_FIELDS]])


async def checked_form(request: Request) -> FormData:
    """The posted form, once its CSRF token matches the caller's; CsrfRefused otherwise
    (FormTooLarge beyond ``MAX_FORM_BYTES``)."""
    form = await _urlencoded(request)
    sent = form.get(CSRF_FIELD)
    expected = csrf_token(request)
    if (
        not isinstance(sent, str)
        or not expected
        or not hmac.compare_digest(sent.encode(), expected.encode())
    ):
        raise CsrfRefused
    return form


async def posted_form(request: Request, lang: Lang) -> FormData | Response:
    """The posted form once its CSRF token checks out, or the refusal page to answer with:
    the first step of every page POST."""
    try:
        return await checked_form(request)
    except CsrfRefused:
        return refusal(request, lang)
    except FormTooLarge:
        return refusal(request, lang, too_large=True)


def refusal(request: Request, lang: Lang, *, too_large: bool = False) -> Response:
    """403 page for a missing or wrong CSRF token; 413 for an oversized form."""
    if too_large:
        return render(request, lang, "session/too_large.html", {}, status_code=413)
    return render(request, lang, "session/refused.html", {}, status_code=403)
