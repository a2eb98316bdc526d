"""Sign-in pages and the session cookie against the real app, Neo4j and the EDMS test world:
the password grant's use case behind a form, revocation reaching the page principal, CSRF on
every form, the cookie's flags and the pages' security headers; /graphql stays bearer-only."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest

from asan.auth.service import AuthService
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.web.i18n import translate
from asan.web.session.cookies import SESSION_COOKIE, parse_session, session_value
from tests.edms.conftest import PASSWORD, World, make_world
from tests.web.session_support import browser, csrf_of, sign_in, web_app


@pytest.fixture(scope="module")
async def world(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    w = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("web-session"))
    yield w
    await w.client.aclose()


VIEWER = "{ viewer { subject } }"


async def test_the_form_has_labels_a_csrf_field_and_the_security_headers(world: World) -> None:
    async with browser(world) as client:
        page = await client.get("/az/signin")
    assert page.status_code == 200
    html = page.text
    assert translate("az", "signin.title") in html
    assert '<label for="username">' in html and '<label for="password">' in html
    assert len(csrf_of(html)) >= 32
    headers = page.headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp and headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "<script>" not in html  # no inline scripts for the CSP to allow


async def test_signing_in_sets_a_guarded_cookie_and_opens_the_workspace(world: World) -> None:
    async with browser(world) as client:
        response = await sign_in(client, "executor1")
        assert response.status_code == 303
        assert response.headers["location"] == "/en/workspace"
        cookie = next(
            c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)
        )
        flags = {part.strip().lower() for part in cookie.split(";")[1:]}
        assert {"httponly", "secure", "samesite=lax", "path=/"} <= flags
        inbox = await client.get("/en/workspace")
        assert inbox.status_code == 200
        name = world.principal("executor1").name
        assert name  # the display name the account was made with
        assert translate("en", "workspace.inbox.signed_in_as", name=name) in inbox.text
        assert inbox.headers["cache-control"] == "private, no-store"


async def test_a_wrong_password_says_so_in_the_pages_language(world: World) -> None:
    async with browser(world) as client:
        for lang in ("az", "en"):
            response = await sign_in(client, "executor2", "not the password", lang)
            assert response.status_code == 401
            assert translate(lang, "signin.error.credentials") in response.text  # type: ignore[arg-type]
            assert 'value="executor2"' in response.text  # the name is kept, the password not
            assert SESSION_COOKIE not in response.headers.get("set-cookie", "")


async def test_empty_fields_are_named_next_to_the_field(world: World) -> None:
    async with browser(world) as client:
        response = await sign_in(client, "", "", "ru")
    assert response.status_code == 400
    html = response.text
    assert 'id="username-error"' in html and 'id="password-error"' in html
    assert 'aria-describedby="username-error"' in html
    assert html.count(translate("ru", "signin.error.required")) == 2


async def test_a_form_without_its_csrf_token_is_refused(world: World) -> None:
    async with browser(world) as client:
        await client.get("/en/signin")  # has the CSRF cookie, but the form lacks the field
        refused = await client.post(
            "/en/signin", data={"username": "executor1", "password": "correct horse battery"}
        )
        assert refused.status_code == 403
        assert translate("en", "session.refused.title") in refused.text
        assert SESSION_COOKIE not in refused.headers.get("set-cookie", "")
        # signed in, a forged sign-out (another site's token) leaves the session alive
        await sign_in(client, "executor1")
        forged = await client.post("/az/signout", data={"csrf_token": "x" * 43})
        assert forged.status_code == 403
        assert translate("az", "session.refused.title") in forged.text
        assert (await client.get("/en/workspace")).status_code == 200


async def test_signing_out_revokes_the_session_everywhere(world: World) -> None:
    async with browser(world) as client:
        await sign_in(client, "head")
        value = client.cookies[SESSION_COOKIE]
        pair = parse_session(value)
        assert pair is not None
        access = pair[0]
        # the cookie's access token is a bearer token like any other
        ok = await world.client.post(
            "/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {access}"}
        )
        assert ok.json()["data"]["viewer"]["subject"] == world.users["head"]
        page = await client.get("/en/workspace")
        out = await client.post("/en/signout", data={"csrf_token": csrf_of(page.text)})
        assert out.status_code == 303 and out.headers["location"] == "/en/"
        assert SESSION_COOKIE not in client.cookies
    # the same cookie replayed (stolen before sign-out): anonymous, sent to sign in
    async with browser(world) as thief:
        thief.cookies.set(SESSION_COOKIE, value, domain="asan.test")
        again = await thief.get("/en/workspace")
        assert again.status_code == 303 and again.headers["location"].startswith("/en/signin")
    refused = await world.client.post(
        "/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {access}"}
    )
    assert refused.status_code == 401


async def test_the_cookie_does_not_act_on_graphql(world: World) -> None:
    async with browser(world) as client:
        await sign_in(client, "registrar")
        assert SESSION_COOKIE in client.cookies
        response = await client.post("/graphql", json={"query": VIEWER})
    assert response.status_code == 200
    assert response.json()["data"]["viewer"] is None  # anonymous: bearer tokens only


async def test_a_throttled_sign_in_says_when_to_retry(world: World) -> None:
    # its own address, so the lock-out touches no other test
    async with browser(world, address="10.9.8.7") as client:
        statuses = []
        for _ in range(world.auth.settings.login_lockout_threshold + 2):
            response = await sign_in(client, "outsider", "guess")
            statuses.append(response.status_code)
            if response.status_code == 429:
                break
        assert statuses[-1] == 429, statuses
        retry = int(response.headers["retry-after"])
        assert retry >= 1
        assert translate("en", "signin.error.throttled", seconds=retry) in response.text


async def test_an_expired_access_token_is_renewed_once_for_parallel_requests(
    world: World,
) -> None:
    # a sign-in an hour ago: its access token has expired, its refresh token has not
    earlier = AuthService(world.auth.settings, world.auth.keys, clock=lambda: time.time() - 3600)
    pair = await earlier.login(world.platform, "legal", PASSWORD)
    assert pair.refresh_token is not None
    old = session_value(pair.access_token, pair.refresh_token)
    renewed: list[str] = []
    app = web_app(world)  # one process
    for _ in range(2):  # two requests of one page, both with the old cookie
        async with browser(world, app=app) as client:
            client.cookies.set(SESSION_COOKIE, old, domain="asan.test")
            page = await client.get("/en/workspace")
            assert page.status_code == 200
            renewed.append(client.cookies[SESSION_COOKIE])
    assert renewed[0] != old and renewed[0] == renewed[1]
    # the renewed cookie is a live session of the same user
    fresh = parse_session(renewed[0])
    assert fresh is not None
    viewer = await world.client.post(
        "/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {fresh[0]}"}
    )
    assert viewer.json()["data"]["viewer"]["subject"] == world.users["legal"]


async def test_signing_in_returns_to_the_page_asked_for_and_never_off_site(world: World) -> None:
    async with browser(world) as client:
        asked = await client.get("/az/workspace")
        assert asked.status_code == 303
        form = await client.get(asked.headers["location"])  # /az/signin?next=/az/workspace
        assert 'name="next" value="/az/workspace"' in form.text
        back = await client.post(
            "/az/signin",
            data={
                "username": "sector2",
                "password": PASSWORD,
                "next": "/az/workspace",
                "csrf_token": csrf_of(form.text),
            },
        )
        assert back.status_code == 303 and back.headers["location"] == "/az/workspace"
    for elsewhere in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        async with browser(world) as client:
            form = await client.get(f"/en/signin?next={elsewhere}")
            response = await client.post(
                "/en/signin",
                data={
                    "username": "sector2",
                    "password": PASSWORD,
                    "next": elsewhere,
                    "csrf_token": csrf_of(form.text),
                },
            )
            assert response.headers["location"] == "/en/workspace", elsewhere
