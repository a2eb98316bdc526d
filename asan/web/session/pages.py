"""Sign-in and sign-out pages: the password grant of ``/oauth/token`` behind a form.

``AuthService.login`` is the one sign-in use case (throttling, argon2, the audit trail, a
refresh family in Neo4j); the page only turns its answers into messages next to the fields, in
the page's language, and its token pair into the session cookie. Signing out is
``AuthService.logout``: the refresh family and, through ``sid``, the access token end at once.
"""

from __future__ import annotations

import math
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from asan.auth.middleware import client_address
from asan.auth.service import AuthService
from asan.core.errors import RateLimited, Unauthenticated
from asan.core.text import has_control_chars, has_lone_surrogate
from asan.web.i18n import LANGS, Lang, lang_of, translate
from asan.web.rendering import render
from asan.web.session import cookies
from asan.web.session.csrf import csrf_token, posted_form
from asan.web.session.middleware import PENDING_KEY

MAX_USERNAME = 256
MAX_PASSWORD = 1024


def page_lang(request: Request) -> Lang:
    lang = request.path_params["lang"]
    if lang not in LANGS:
        raise HTTPException(404)
    return lang_of(lang)


def safe_next(lang: Lang, value: object) -> str:
    """Where to go after signing in: a path of these pages only (never another site)."""
    default = f"/{lang}/workspace"
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return default
    if "\\" in value or has_control_chars(value) or len(value) > 512:
        return default
    return value


def _form_page(
    request: Request,
    lang: Lang,
    *,
    username: str = "",
    next_path: str = "",
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        lang,
        "session/signin.html",
        {
            "csrf_token": csrf_token(request),
            "username": username,
            "next_path": next_path,
            "errors": errors or {},
        },
        status_code=status_code,
        headers=headers,
    )


async def signin_form(request: Request) -> Response:
    lang = page_lang(request)
    return _form_page(request, lang, next_path=safe_next(lang, request.query_params.get("next")))


def _field_errors(username: str, password: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, value, limit in (
        ("username", username, MAX_USERNAME),
        ("password", password, MAX_PASSWORD),
    ):
        if not value.strip():
            errors[name] = "signin.error.required"
        elif len(value) > limit:
            errors[name] = "signin.error.too_long"
        elif has_lone_surrogate(value) or has_control_chars(value):
            errors[name] = "signin.error.invalid"
    return errors


async def signin(request: Request) -> Response:
    lang = page_lang(request)
    form = await posted_form(request, lang)
    if isinstance(form, Response):
        return form
    username = str(form.get("username") or "")
    password = str(form.get("password") or "")
    next_path = safe_next(lang, form.get("next"))
    keep: dict[str, Any] = {"username": username[:MAX_USERNAME], "next_path": next_path}
    errors = {k: translate(lang, v) for k, v in _field_errors(username, password).items()}
    if errors:
        return _form_page(request, lang, **keep, errors=errors, status_code=400)
    auth: AuthService = request.app.state.auth
    try:
        pair = await auth.login(
            request.app.state.platform, username, password, client_address(request.scope)
        )
    except RateLimited as exc:
        retry = max(1, math.ceil(exc.retry_after))
        return _form_page(
            request,
            lang,
            **keep,
            errors={"form": translate(lang, "signin.error.throttled", seconds=retry)},
            status_code=429,
            headers={"retry-after": str(retry)},
        )
    except Unauthenticated:
        return _form_page(
            request,
            lang,
            **keep,
            errors={"form": translate(lang, "signin.error.credentials")},
            status_code=401,
        )
    assert pair.refresh_token is not None
    response = RedirectResponse(next_path, status_code=303)
    value = cookies.session_value(pair.access_token, pair.refresh_token)
    cookies.set_session(response, value, auth.settings.refresh_token_ttl_seconds)
    cookies.set_csrf(response, cookies.new_csrf_token())  # a new session, a new token
    setattr(request.state, PENDING_KEY, None)  # this response writes its own cookies
    return response


async def signout(request: Request) -> Response:
    lang = page_lang(request)
    refused = await posted_form(request, lang)
    if isinstance(refused, Response):
        return refused
    pair = cookies.parse_session(request.cookies.get(cookies.SESSION_COOKIE))
    if pair is not None:
        await request.app.state.auth.logout(
            request.app.state.platform, pair[1], client_address(request.scope)
        )
    response = RedirectResponse(f"/{lang}/", status_code=303)
    cookies.clear_session(response)
    cookies.set_csrf(response, cookies.new_csrf_token())
    setattr(request.state, PENDING_KEY, None)  # this response writes its own cookies
    return response


ROUTES: list[BaseRoute] = [
    Route("/{lang}/signin", signin_form, methods=["GET"]),
    Route("/{lang}/signin", signin, methods=["POST"]),
    Route("/{lang}/signout", signout, methods=["POST"]),
]
