"""The two cookies of a page session and how they are written.

``asan_session`` holds the same token pair ``/oauth/token``'s password grant returns (access
token ``~`` refresh token): the page principal is then resolved, refreshed and revoked by the
very code that serves bearer tokens, with no second session store. ``asan_csrf`` is a random
token the server also renders into every form (double submit); a new one is made at sign-in
and sign-out, so it is per session. Both are HttpOnly, Secure and Path=/; the session cookie is
SameSite=Lax (a link from a mail opens the inbox signed in), the CSRF cookie SameSite=Strict.
Secure holds on http://localhost and 127.0.0.1 too: browsers treat loopback as secure.
"""

from __future__ import annotations

import secrets
from typing import Final

from starlette.responses import Response

SESSION_COOKIE: Final = "asan_session"
CSRF_COOKIE: Final = "asan_csrf"
CSRF_FIELD: Final = "csrf_token"
SEPARATOR: Final = "~"  # in neither a JWT (base64url and dots) nor a refresh token (urlsafe)
MAX_COOKIE_CHARS: Final = 4000


def session_value(access_token: str, refresh_token: str) -> str:
    return f"{access_token}{SEPARATOR}{refresh_token}"


def parse_session(value: str | None) -> tuple[str, str] | None:
    """(access token, refresh token) of a cookie, or None when it is not one of ours."""
    if not value or len(value) > MAX_COOKIE_CHARS:
        return None
    access, sep, refresh = value.partition(SEPARATOR)
    if not sep or not access or not refresh or SEPARATOR in refresh:
        return None
    return access, refresh


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def set_session(response: Response, value: str, max_age: int) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=max_age,
        path="/",
        secure=True,
        httponly=True,
        samesite="lax",
    )


def set_csrf(response: Response, token: str) -> None:
    response.set_cookie(CSRF_COOKIE, token, path="/", secure=True, httponly=True, samesite="strict")


def clear_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="lax")
