"""What a browser needs from the API: CORS, GraphiQL from our own files, OpenID discovery.

- CORS: only the origins in ``ASAN_CORS_ORIGINS`` may call the API from a page (none in
  production unless listed; the dev profile also allows http://localhost and 127.0.0.1 on any
  port). Tokens travel in the Authorization header, never in cookies, so credentials mode is
  off: a listed origin still needs the user's token.
- GraphiQL: the page and its scripts are served from ``asan/static/graphiql`` (vendored npm
  builds, see its README), so it works on a closed network; the page's Content-Security-Policy
  allows scripts, connections and frames from this origin only.
- ``/.well-known/openid-configuration``: where the JWKS and the token endpoint are and what the
  token endpoint really supports, so standard clients configure themselves.
"""

from __future__ import annotations

from pathlib import Path

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from asan.core.settings import Profile, Settings

GRAPHIQL_DIR = Path(__file__).parent / "static" / "graphiql"
GRAPHIQL_PATH = "/static/graphiql"
DISCOVERY_PATH = "/.well-known/openid-configuration"

# Scripts only from files of this origin (no inline script, no eval); styles from this origin,
# plus inline style elements, which GraphiQL's dialogs insert at run time; fonts are embedded in
# GraphiQL's CSS as data: URLs. Nothing may frame the page.
GRAPHIQL_CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "font-src 'self' data:",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
PAGE_HEADERS = {
    "Content-Security-Policy": GRAPHIQL_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
# the dev profile: pages served from the developer's own machine, any port
DEV_ORIGIN_REGEX = r"https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?"

GRANT_TYPES = ("password", "refresh_token", "client_credentials")


def graphiql_page() -> Response:
    html = (GRAPHIQL_DIR / "index.html").read_text(encoding="utf-8")
    return HTMLResponse(html, headers=PAGE_HEADERS)


class _StaticFiles(StaticFiles):
    """The vendored files, with nosniff (a script is only ever run as what it is)."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def graphiql_routes() -> list[BaseRoute]:
    return [Mount(GRAPHIQL_PATH, app=_StaticFiles(directory=GRAPHIQL_DIR), name="graphiql")]


def cors_middleware(settings: Settings) -> Middleware:
    """Answers preflights and adds the CORS headers for the configured origins only."""
    origins = settings.cors_origin_list
    regex = DEV_ORIGIN_REGEX if settings.profile is Profile.DEV and origins is None else None
    return Middleware(
        CORSMiddleware,
        allow_origins=list(origins or ()),
        allow_origin_regex=regex,
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
        expose_headers=["X-Request-ID", "Retry-After"],
        allow_credentials=False,
        max_age=600,
    )


def discovery_route(settings: Settings) -> Route:
    async def discovery(request: Request) -> Response:
        base = (settings.public_url or str(request.base_url)).rstrip("/")
        document = {
            # exactly the ``iss`` our tokens carry (ASAN_AUTH_ISSUER), so a client that checks
            # the issuer accepts them
            "issuer": settings.auth_issuer,
            "jwks_uri": f"{base}/.well-known/jwks.json",
            "token_endpoint": f"{base}/oauth/token",
            "grant_types_supported": list(GRANT_TYPES),
            # client_credentials: HTTP Basic or client_id/client_secret in the form
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            # access tokens are JWTs signed with this one asymmetric algorithm (never HS*/none)
            "access_token_signing_alg_values_supported": [settings.auth_algorithm],
            # no authorization endpoint: no browser redirect flows, so no response types
            "response_types_supported": [],
            "claims_supported": [
                *("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "kind", "sid", "scope")
            ],
        }
        return JSONResponse(document, headers={"Cache-Control": "public, max-age=300"})

    return Route(DISCOVERY_PATH, discovery, methods=["GET"])
