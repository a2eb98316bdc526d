"""Shared steps of the session and workspace page tests: the EDMS test world behind an https
client (the cookies are Secure), signing in through the form, the CSRF token of a page."""

from __future__ import annotations

import re

import httpx
from starlette.applications import Starlette

from asan.app import create_app
from tests.edms.conftest import PASSWORD, World

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def web_app(world: World) -> Starlette:
    app = create_app(world.auth.settings, world.platform, world.auth)
    app.state.platform = world.platform  # ASGITransport does not run the lifespan
    return app


def browser(
    world: World, address: str = "127.0.0.1", app: Starlette | None = None
) -> httpx.AsyncClient:
    """A client like a browser on https: keeps cookies, does not follow redirects."""
    app = app or web_app(world)
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url="https://asan.test")


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found is not None, "the page has no CSRF field"
    return found.group(1)


async def sign_in(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD, lang: str = "en"
) -> httpx.Response:
    page = await client.get(f"/{lang}/signin")
    return await client.post(
        f"/{lang}/signin",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
    )
