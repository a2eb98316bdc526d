"""OAuth2 token endpoint (RFC 6749: password, refresh_token, client_credentials) and the JWKS."""

from __future__ import annotations

import base64
import binascii
import json
import math
from typing import Any
from urllib.parse import parse_qs, unquote_plus

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from asan.auth.middleware import client_address
from asan.auth.models import TokenPair
from asan.auth.service import AuthService
from asan.core.errors import BadInput, RateLimited, Unauthenticated
from asan.core.text import has_control_chars, has_lone_surrogate

MAX_TOKEN_BODY = 16 * 1024
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _oauth_error(error: str, description: str, status: int = 400, **headers: str) -> Response:
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={**NO_STORE, **headers},
    )


async def _form(request: Request) -> dict[str, str]:
    body = await request.body()
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    parsed = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {key: values[0] for key, values in parsed.items()}


def _basic_client(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        raw = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = raw.partition(":")
    return (unquote_plus(client_id), unquote_plus(secret)) if sep else None


def _pair(pair: TokenPair) -> Response:
    body: dict[str, Any] = {
        "access_token": pair.access_token,
        "token_type": pair.token_type,
        "expires_in": pair.expires_in,
    }
    if pair.refresh_token:
        body["refresh_token"] = pair.refresh_token
    if pair.scope is not None:
        body["scope"] = pair.scope
    return JSONResponse(body, headers=NO_STORE)


MAX_FIELD_CHARS = 4096  # a refresh token or a client secret is far shorter
MAX_NAME_CHARS = 256  # usernames and client ids


def _form_problem(form: dict[str, str]) -> str | None:
    """What is wrong with a form field, named, before any of it reaches the graph."""
    for key, value in form.items():
        limit = MAX_NAME_CHARS if key in ("username", "client_id") else MAX_FIELD_CHARS
        if len(value) > limit:
            return f"{key} is longer than {limit} characters"
        if has_lone_surrogate(value):
            return f"{key} is not valid text (a lone surrogate)"
        if has_control_chars(value):
            return f"{key} contains control characters"
    return None


async def token_endpoint(request: Request) -> Response:
    auth: AuthService = request.app.state.auth
    platform = request.app.state.platform
    form = await _form(request)
    problem = _form_problem(form)
    if problem is not None:
        return _oauth_error("invalid_request", problem)
    grant = form.get("grant_type")
    source = client_address(request.scope)
    try:
        if grant == "password":
            if not form.get("username") or not form.get("password"):
                return _oauth_error("invalid_request", "username and password are required")
            return _pair(await auth.login(platform, form["username"], form["password"], source))
        if grant == "refresh_token":
            if not form.get("refresh_token"):
                return _oauth_error("invalid_request", "refresh_token is required")
            return _pair(await auth.refresh(platform, form["refresh_token"], source))
        if grant == "client_credentials":
            client = _basic_client(request) or (
                form.get("client_id", ""),
                form.get("client_secret", ""),
            )
            if not client[0] or not client[1]:
                return _oauth_error("invalid_client", "client authentication required", 401)
            scope = form.get("scope")
            scopes = frozenset(scope.split()) if scope else None
            return _pair(await auth.client_credentials(platform, *client, scopes, source))
    except RateLimited as exc:
        retry = str(max(1, math.ceil(exc.retry_after)))
        return _oauth_error("slow_down", exc.message, 429, **{"Retry-After": retry})
    except Unauthenticated as exc:
        if grant == "client_credentials":
            return _oauth_error("invalid_client", exc.message, 401)
        return _oauth_error("invalid_grant", exc.message)
    except BadInput as exc:
        return _oauth_error(
            "invalid_scope" if exc.field == "scope" else "invalid_request", exc.message
        )
    return _oauth_error(
        "unsupported_grant_type", "use password, refresh_token or client_credentials"
    )


async def jwks_endpoint(request: Request) -> Response:
    auth: AuthService = request.app.state.auth
    return JSONResponse(auth.keys.jwks(), headers={"Cache-Control": "public, max-age=300"})
