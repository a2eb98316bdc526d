"""What the web pages' benches share: the seeded app in-process, a client signed in through the
sign-in form, and the timing of a list of pages against the same run's floor.

Each page is requested through the whole app (middleware, the page session resolved from the
cookie, the use cases' reads, Jinja2) over httpx's ASGI transport, one at a time after a
warm-up. The floor is the home page for the same client (the layout and the session, no
domain read), measured first: a page's ``ratio_p50`` says what its own reads and template add
on this machine, which stays comparable when the machine is busy and the milliseconds are not.
``ASAN_BENCH_WEB_REPEAT`` sets the repeats (100).
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any, Final

import httpx
from starlette.applications import Starlette

from asan.app import create_app
from asan.auth.demo import DEMO_PASSWORD
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.seeding import load_seed
from bench.stats import summarize, timed

CSRF: Final = re.compile(r'name="csrf_token" value="([^"]+)"')
FLOOR: Final = ("floor: home page", "/az/")
Pages = Sequence[tuple[str, str]]


def repeat() -> int:
    return int(os.environ.get("ASAN_BENCH_WEB_REPEAT", "100"))


async def seeded_app(platform: Platform, settings: Settings | None = None) -> Starlette:
    """The app on the seed's data (registry, org, demo users, appeals, documents, archive)."""
    for line in await load_seed(platform):
        print(f"  {line}", flush=True)
    app = create_app(settings or platform.settings, platform)
    app.state.platform = platform  # ASGITransport runs no lifespan
    return app


@asynccontextmanager
async def page_client(
    app: Starlette, username: str | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app, signed in as ``username`` through the sign-in form when given."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://bench", timeout=60
    ) as client:
        if username is not None:
            form = await client.get("/az/signin")
            found = CSRF.search(form.text)
            assert found is not None
            answer = await client.post(
                "/az/signin",
                data={
                    "username": username,
                    "password": DEMO_PASSWORD,
                    "csrf_token": found.group(1),
                },
            )
            if answer.status_code != 303:
                raise RuntimeError(f"sign-in of {username}: {answer.status_code}")
        yield client


async def measure(
    client: httpx.AsyncClient,
    pages: Pages,
    *,
    times: int,
    label: str = "",
    times_of: Callable[[str], int] | None = None,
) -> dict[str, dict[str, Any]]:
    """p50/p95 of each page (200 required) and its p50 as a multiple of the floor's."""
    result: dict[str, dict[str, Any]] = {}
    floor_p50 = 0.0
    for name, path in (FLOOR, *pages):

        async def get(path: str = path) -> None:
            answer = await client.get(path)
            if answer.status_code != 200:
                raise RuntimeError(f"{path}: {answer.status_code}")

        count = times_of(name) if times_of is not None else times
        figures = summarize(await timed(get, count, warmup=min(10, count)))
        floor_p50 = floor_p50 or figures["p50_ms"]
        ratio = figures["p50_ms"] / floor_p50 if floor_p50 else 0.0
        key = f"{name} ({label})" if label else name
        result[key] = {"path": path, **figures, "ratio_p50": round(ratio, 2)}
        print(
            f"  {key:34} p50 {figures['p50_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms"
            f"  ×{ratio:5.1f} floor",
            flush=True,
        )
    return result
