"""Browser access (issue 9, point 7): CORS for configured origins only, GraphiQL from the
project's own files under a same-origin CSP, and an OpenID discovery document that tells the
truth about the token endpoint."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from jose import jwt

from asan.auth.keys import KeyStore
from asan.auth.service import AuthService
from asan.core.platform import Platform
from asan.core.settings import Profile, Settings
from tests.auth.support import PASSWORD, add_user, asgi_client

PORTAL = "https://portal.example.az"
STRANGER = "https://evil.example.com"


@pytest.fixture
def auth(settings: Settings, tmp_path: Path) -> AuthService:
    s = settings.model_copy(update={"data_dir": tmp_path})
    return AuthService(s, KeyStore.open(tmp_path, s.auth_algorithm))


def preflight(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }


QUERY = {"query": "{ __typename }"}


async def test_cors_allows_only_the_configured_origins(
    settings: Settings, clean_platform: Platform, auth: AuthService
) -> None:
    own = settings.model_copy(update={"cors_origins": f"{PORTAL}, https://dev.example.az"})
    async with asgi_client(own, clean_platform, auth) as client:
        ok = await client.options("/graphql", headers=preflight(PORTAL))
        refused = await client.options("/graphql", headers=preflight(STRANGER))
        simple = await client.post("/graphql", json=QUERY, headers={"Origin": PORTAL})
        foreign = await client.post("/graphql", json=QUERY, headers={"Origin": STRANGER})
        # an error response (a bad token: 401) still carries the header, so the page can read it
        unauthorised = await client.post(
            "/graphql",
            json=QUERY,
            headers={"Origin": PORTAL, "Authorization": "Bearer not-a-token"},
        )
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == PORTAL
    assert "POST" in ok.headers["access-control-allow-methods"]
    allowed_headers = ok.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed_headers and "content-type" in allowed_headers
    assert "access-control-allow-credentials" not in ok.headers  # tokens, never cookies
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    assert simple.status_code == 200 and simple.headers["access-control-allow-origin"] == PORTAL
    assert "x-request-id" in simple.headers["access-control-expose-headers"].lower()
    assert foreign.status_code == 200  # served (CORS is the browser's check) but not shared
    assert "access-control-allow-origin" not in foreign.headers
    assert unauthorised.status_code == 401
    assert unauthorised.headers["access-control-allow-origin"] == PORTAL


@pytest.mark.parametrize(
    ("profile", "origins", "origin", "shared"),
    [
        (Profile.TEST, None, "http://localhost:5173", False),  # unset outside dev: none
        (Profile.DEV, None, "http://localhost:5173", True),  # dev: the developer's machine
        (Profile.DEV, None, "http://127.0.0.1:3000", True),
        (Profile.DEV, None, "http://localhost.evil.example.com", False),
        (Profile.DEV, None, STRANGER, False),
        (Profile.DEV, "", "http://localhost:5173", False),  # set empty: none at all
    ],
)
async def test_cors_defaults_by_profile(
    settings: Settings,
    clean_platform: Platform,
    auth: AuthService,
    profile: Profile,
    origins: str | None,
    origin: str,
    shared: bool,
) -> None:
    own = settings.model_copy(update={"profile": profile, "cors_origins": origins})
    async with asgi_client(own, clean_platform, auth) as client:
        response = await client.options("/graphql", headers=preflight(origin))
    assert (response.headers.get("access-control-allow-origin") == origin) is shared
    assert (response.status_code == 200) is shared


@pytest.mark.parametrize("value", ["*", "https://portal.example.az/app", "portal.example.az"])
def test_an_origin_setting_that_is_not_an_origin_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="ASAN_CORS_ORIGINS"):
        Settings(cors_origins=value)


EXTERNAL_URL = re.compile(r"""(?:https?:)?//[^\s"'<>)]+""")


async def test_graphiql_is_served_from_our_own_files_under_a_strict_csp(
    settings: Settings, clean_platform: Platform, auth: AuthService
) -> None:
    async with asgi_client(settings, clean_platform, auth) as client:
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 200
        html = page.text
        assert EXTERNAL_URL.findall(html) == []  # no CDN, no other host: works offline
        scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
        styles = re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"', html)
        assert {Path(s).name for s in scripts} >= {
            "react.production.min.js",
            "react-dom.production.min.js",
            "graphiql.min.js",
        }
        assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None  # no inline script
        assert "style=" not in html and "<style" not in html
        served: dict[str, httpx.Response] = {}
        for url in scripts + styles:
            assert url.startswith("/static/graphiql/")
            served[url] = await client.get(url)
        missing = await client.get("/static/graphiql/../../app.py")
    csp = dict(
        part.strip().split(" ", 1) for part in page.headers["content-security-policy"].split(";")
    )
    assert csp["script-src"] == "'self'"  # no inline script, no eval, no other host
    assert csp["connect-src"] == "'self'" and csp["default-src"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"
    for url, response in served.items():
        assert response.status_code == 200, url
        assert response.headers["x-content-type-options"] == "nosniff"
        expected = "javascript" if url.endswith(".js") else "text/css"
        assert expected in response.headers["content-type"], url
        assert len(response.content) > 100
    assert missing.status_code == 404


async def test_openid_discovery_describes_the_real_token_endpoint(
    settings: Settings, clean_platform: Platform, auth: AuthService
) -> None:
    await add_user(clean_platform, "browser.user")
    async with asgi_client(settings, clean_platform, auth) as client:
        response = await client.get("/.well-known/openid-configuration")
        assert response.status_code == 200
        doc: dict[str, Any] = response.json()
        base = "http://asan.test"
        assert doc["jwks_uri"] == f"{base}/.well-known/jwks.json"
        assert doc["token_endpoint"] == f"{base}/oauth/token"
        jwks = (await client.get(doc["jwks_uri"].removeprefix(base))).json()
        granted = await client.post(
            doc["token_endpoint"].removeprefix(base),
            data={"grant_type": "password", "username": "browser.user", "password": PASSWORD},
        )
        unsupported = await client.post(
            doc["token_endpoint"].removeprefix(base), data={"grant_type": "implicit"}
        )
        refreshed = await client.post(
            doc["token_endpoint"].removeprefix(base),
            data={"grant_type": "refresh_token", "refresh_token": granted.json()["refresh_token"]},
        )
    assert set(doc["grant_types_supported"]) == {"password", "refresh_token", "client_credentials"}
    assert unsupported.json()["error"] == "unsupported_grant_type"
    assert granted.status_code == 200 and refreshed.status_code == 200
    token = granted.json()["access_token"]
    header = jwt.get_unverified_header(token)
    assert header["alg"] in doc["access_token_signing_alg_values_supported"]
    assert header["kid"] in {key["kid"] for key in jwks["keys"]}
    claims = jwt.get_unverified_claims(token)
    assert claims["iss"] == doc["issuer"]  # a client checking the issuer accepts our tokens
    assert set(claims) <= set(doc["claims_supported"])
    assert doc["response_types_supported"] == []  # no authorization endpoint, no redirects
    assert "authorization_endpoint" not in doc


async def test_discovery_names_the_configured_public_url(
    settings: Settings, clean_platform: Platform, auth: AuthService
) -> None:
    own = settings.model_copy(update={"public_url": "https://registry.example.az/"})
    async with asgi_client(own, clean_platform, auth) as client:
        doc = (await client.get("/.well-known/openid-configuration")).json()
    assert doc["token_endpoint"] == "https://registry.example.az/oauth/token"
    assert doc["jwks_uri"] == "https://registry.example.az/.well-known/jwks.json"
