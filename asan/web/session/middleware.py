"""The page principal: who a page is rendered for, from the session cookie.

Runs for the pages only (paths under ``/az/``, ``/en/``, ``/ru/`` and ``/``); ``/graphql``
never reads the cookie and stays bearer-only, so a cross-site form cannot act there as the
user. The access token in the cookie goes through ``AuthService.authenticate`` exactly like a
bearer token (signature, expiry, revocation by ``sid``, the account's state); an expired one is
renewed with the refresh token through ``AuthService.refresh`` (rotation, reuse detection), and
the renewed pair is written back. The principal lands in ``scope["state"]`` under the key
``asan.auth.middleware.principal_of`` reads, so a page calls the domain's reads with it.

Every page also gets the security headers (a CSP without inline scripts, no framing, no
sniffing, a same-origin referrer) and, when the caller has none yet, a CSRF cookie.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from http.cookies import SimpleCookie
from typing import Final

from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from asan.auth.middleware import PRINCIPAL_KEY, client_address
from asan.auth.models import TokenPair
from asan.auth.principal import ANONYMOUS, Principal
from asan.auth.service import AuthService
from asan.core.errors import Unauthenticated
from asan.core.platform import Platform
from asan.edms.files.models import DOWNLOAD_PREFIX
from asan.web.i18n import LANGS
from asan.web.session import cookies

CSRF_KEY: Final = "csrf_token"
PENDING_KEY: Final = "web_cookies"  # responses to write, unless the page wrote its own
SECURITY_HEADERS: Final = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}
RENEWED_KEEP_SECONDS: Final = 30.0


def is_page(path: str) -> bool:
    """The pages, and the file downloads their links point at."""
    first = path.split("/", 2)[1] if path.startswith("/") else ""
    return path == "/" or first in LANGS or path.startswith(DOWNLOAD_PREFIX)


class PageSessionMiddleware:
    def __init__(self, app: ASGIApp, auth: AuthService) -> None:
        self.app = app
        self.auth = auth
        # refresh token -> (kept until, renewed pair): requests of one page that arrive
        # together with an expired access token renew it once, instead of the second one
        # presenting a spent refresh token (which ends the session as a suspected theft)
        self._renewed: OrderedDict[str, tuple[float, TokenPair]] = OrderedDict()
        self._lock = asyncio.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_page(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        jar = _cookies(scope)
        state = scope.setdefault("state", {})
        pending = Response()  # collects Set-Cookie headers
        principal, renewed = await self._principal(scope, jar.get(cookies.SESSION_COOKIE))
        if renewed is not None:
            cookies.set_session(pending, renewed, self.auth.settings.refresh_token_ttl_seconds)
        elif principal is None:
            cookies.clear_session(pending)
        csrf = jar.get(cookies.CSRF_COOKIE) or ""
        if len(csrf) < 32 or len(csrf) > 64:
            csrf = cookies.new_csrf_token()
            cookies.set_csrf(pending, csrf)
        state[PRINCIPAL_KEY] = principal or ANONYMOUS.from_source(client_address(scope))
        state[CSRF_KEY] = csrf
        state[PENDING_KEY] = pending

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if state[PRINCIPAL_KEY].is_authenticated:
                    headers["cache-control"] = "private, no-store"
                later = state.get(PENDING_KEY)
                if isinstance(later, Response):
                    for raw_name, raw_value in later.raw_headers:
                        if raw_name == b"set-cookie":
                            headers.append("set-cookie", raw_value.decode("latin-1"))
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _principal(
        self, scope: Scope, value: str | None
    ) -> tuple[Principal | None, str | None]:
        """(principal or None, a renewed cookie value or None); (None, None) clears a stale
        cookie; no cookie at all is (ANONYMOUS, None)."""
        if value is None:
            return ANONYMOUS.from_source(client_address(scope)), None
        pair = cookies.parse_session(value)
        if pair is None:
            return None, None
        access, refresh = pair
        platform: Platform = scope["app"].state.platform
        source = client_address(scope)
        try:
            return await self.auth.authenticate(platform, access, source), None
        except Unauthenticated:
            pass
        try:
            renewed = await self._renew(platform, refresh, source)
            principal = await self.auth.authenticate(platform, renewed.access_token, source)
        except Unauthenticated:
            return None, None
        assert renewed.refresh_token is not None
        return principal, cookies.session_value(renewed.access_token, renewed.refresh_token)

    async def _renew(self, platform: Platform, refresh: str, source: str | None) -> TokenPair:
        async with self._lock:
            now = self.auth.clock()
            while self._renewed and next(iter(self._renewed.values()))[0] < now:
                self._renewed.popitem(last=False)
            kept = self._renewed.get(refresh)
            if kept is not None:
                return kept[1]
            pair = await self.auth.refresh(platform, refresh, source)
            self._renewed[refresh] = (now + RENEWED_KEEP_SECONDS, pair)
            return pair


def _cookies(scope: Scope) -> dict[str, str]:
    header = dict(scope.get("headers") or []).get(b"cookie")
    if header is None:
        return {}
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header.decode("latin-1"))
    except Exception:  # a malformed cookie header is no session
        return {}
    return {key: morsel.value for key, morsel in jar.items()}
