"""Server time of the registry work pages on the sample data (issue 13, performance).

The seed (``asan.seeding.load_seed``) is loaded idempotently; DIN's editor (demo.editor) and
the registry's reviewer (demo.reviewer) sign in through the form, and each page is requested
in-process through the whole app (middleware, page session, the registry's reads, Jinja2)
over httpx's ASGI transport, one at a time after a warm-up: the body's registry page, the
service form of one of its published services, the new-draft form, the reviewer's queue and
(when the sample holds one) a request's page with its diff. Read-only: nothing is submitted.
Run by name: ``.venv/bin/python -m bench bench_web_registry`` (``ASAN_BENCH_WEB_REPEAT``).
"""

from __future__ import annotations

import os
import re
from typing import Any, Final

import httpx

from asan.app import create_app
from asan.auth.demo import DEMO_PASSWORD
from asan.core.platform import Platform
from asan.seeding import load_seed
from bench.stats import summarize, timed

CSRF: Final = re.compile(r'name="csrf_token" value="([^"]+)"')
EDIT_LINK: Final = re.compile(r'href="(/az/registry/services/[^"/]+/edit)"')
REQUEST_LINK: Final = re.compile(r'href="(/az/registry/requests/[^"/]+)"')


async def _signed_in(client: httpx.AsyncClient, username: str) -> None:
    form = await client.get("/az/signin")
    found = CSRF.search(form.text)
    assert found is not None
    answer = await client.post(
        "/az/signin",
        data={"username": username, "password": DEMO_PASSWORD, "csrf_token": found.group(1)},
    )
    if answer.status_code != 303:
        raise RuntimeError(f"sign-in of {username}: {answer.status_code}")


async def _pages(client: httpx.AsyncClient, username: str) -> list[tuple[str, str]]:
    home = await client.get("/az/registry")
    pages = [("registry", "/az/registry")]
    if username == "demo.editor":
        edit = EDIT_LINK.search(home.text)
        if edit is not None:
            pages.append(("service form", edit.group(1)))
        pages.append(("new draft", "/az/registry/services/new"))
    else:
        request = REQUEST_LINK.search(home.text)
        if request is not None:
            pages.append(("request", request.group(1)))
    return pages


async def run(platform: Platform) -> dict[str, Any]:
    repeat = int(os.environ.get("ASAN_BENCH_WEB_REPEAT", "100"))
    for line in await load_seed(platform):
        print(f"  {line}", flush=True)
    app = create_app(platform.settings, platform)
    app.state.platform = platform
    result: dict[str, Any] = {"repeat": repeat, "pages": {}}
    for username in ("demo.editor", "demo.reviewer"):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="https://bench", timeout=60
        ) as client:
            await _signed_in(client, username)
            for name, path in await _pages(client, username):

                async def get(path: str = path) -> None:
                    answer = await client.get(path)
                    if answer.status_code != 200:
                        raise RuntimeError(f"{path}: {answer.status_code}")

                figures = summarize(await timed(get, repeat, warmup=10))
                key = f"{name} ({username})"
                result["pages"][key] = {"path": path, **figures}
                print(
                    f"  {key:30} p50 {figures['p50_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms"
                )
    return result
