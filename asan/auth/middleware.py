"""HTTP edge of auth: bearer token -> Principal, per-identity rate limit, request timeout.

A request that presents a token that fails verification is refused with 401 (never served as
anonymous); one without a token is anonymous. The Principal is resolved once per request
(one graph query for a signed-in caller) and handed to GraphQL through ``scope["state"]``.
"""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import Collection

from starlette.types import ASGIApp, Receive, Scope, Send

from asan.auth.principal import ANONYMOUS, Principal
from asan.auth.ratelimit import RateLimits
from asan.auth.service import AuthService
from asan.core.asgi import TrackedSend
from asan.core.errors import Unauthenticated

PRINCIPAL_KEY = "principal"


def client_address(scope: Scope) -> str | None:
    client = scope.get("client")
    return str(client[0]) if client else None


async def send_json(
    send: Send, status: int, body: object, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    payload = json.dumps(body, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


def graphql_error(message: str, code: str, **extensions: object) -> dict[str, object]:
    return {
        "data": None,
        "errors": [{"message": message, "extensions": {"code": code, **extensions}}],
    }


class AuthMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        auth: AuthService,
        limits: RateLimits,
        timeout_seconds: float,
        paths: Collection[str] = ("/graphql", "/oauth/token"),
    ) -> None:
        self.app = app
        self.auth = auth
        self.limits = limits
        self.timeout = timeout_seconds
        self.paths = frozenset(paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") not in self.paths:
            await self.app(scope, receive, send)
            return
        source = client_address(scope)
        principal = ANONYMOUS.from_source(source)
        authorization = dict(scope.get("headers") or []).get(b"authorization")
        # the token endpoint authenticates clients itself (HTTP Basic), so only /graphql here
        if authorization is not None and scope.get("path") == "/graphql":
            scheme, _, token = authorization.decode("latin-1").partition(" ")
            try:
                if scheme.lower() != "bearer" or not token.strip():
                    raise Unauthenticated(
                        "Authorization başlığı 'Bearer <token>' olmalıdır / "
                        "Authorization header must be 'Bearer <token>'"
                    )
                platform = scope["app"].state.platform
                principal = await self.auth.authenticate(platform, token.strip(), source)
            except Unauthenticated as exc:
                await send_json(
                    send,
                    401,
                    graphql_error(exc.message, "UNAUTHENTICATED"),
                    [(b"www-authenticate", b'Bearer error="invalid_token"')],
                )
                return
        wait = self.limits.check(principal.subject if principal.is_authenticated else None, source)
        if wait > 0:
            retry = max(1, math.ceil(wait))
            await send_json(
                send,
                429,
                graphql_error(
                    f"çox sayda sorğu, {retry} saniyə sonra yenidən cəhd edin / "
                    f"too many requests, retry in {retry} s",
                    "RATE_LIMITED",
                    retryAfter=retry,
                ),
                [(b"retry-after", str(retry).encode())],
            )
            return
        scope.setdefault("state", {})[PRINCIPAL_KEY] = principal
        await self._with_timeout(scope, receive, send)

    async def _with_timeout(self, scope: Scope, receive: Receive, send: Send) -> None:

        tracking_send = TrackedSend(send)

        try:
            async with asyncio.timeout(self.timeout):
                await self.app(scope, receive, tracking_send)
        except TimeoutError:
            if tracking_send.started:
                raise
            await send_json(
                send,
                503,
                graphql_error(
                    f"sorğu {self.timeout:g} saniyədə bitmədi / "
                    f"request did not finish within {self.timeout:g} s",
                    "TIMEOUT",
                ),
            )


def principal_of(state: object) -> Principal:
    principal = getattr(state, PRINCIPAL_KEY, None)
    return principal if isinstance(principal, Principal) else ANONYMOUS
