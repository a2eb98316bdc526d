"""Server time of the appeal and reception pages on the sample data (issue 13, performance).

The seed (``asan.seeding.load_seed``: org, demo users, the sample appeals in every state and
the reception sitting) is loaded idempotently; the EDMS registrar signs in through the form,
and each page is requested in-process through the whole app (middleware, the page session,
the appeal reads, Jinja2) over httpx's ASGI transport, one at a time after a warm-up.
Run by name: ``.venv/bin/python -m bench bench_web_appeals`` (``ASAN_BENCH_WEB_REPEAT``).
"""

from __future__ import annotations

import os
import re
from typing import Any, Final

import httpx

from asan.app import create_app
from asan.core.platform import Platform
from asan.seeding import load_seed
from bench.bench_web_workspace import _signed_in
from bench.stats import summarize, timed

USER: Final = "demo.clerk"  # registrar: sees the visitors, may take every step
APPEAL_LINK: Final = re.compile(r'href="(/az/appeals/[0-9a-f-]{36})"')


async def run(platform: Platform) -> dict[str, Any]:
    repeat = int(os.environ.get("ASAN_BENCH_WEB_REPEAT", "100"))
    for line in await load_seed(platform):
        print(f"  {line}", flush=True)
    app = create_app(platform.settings, platform)
    app.state.platform = platform
    result: dict[str, Any] = {"repeat": repeat, "user": USER, "pages": {}}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://bench", timeout=60
    ) as client:
        await _signed_in(client, USER)
        listing = await client.get("/az/appeals")
        pages = [
            ("appeals", "/az/appeals"),
            ("appeals, overdue filter", "/az/appeals?overdue=1&q=quliyeva"),
            ("reception", "/az/reception"),
            ("new appeal form", "/az/appeals/new"),
        ]
        links = APPEAL_LINK.findall(listing.text)
        if links:
            pages.append(("appeal", links[-1]))  # the oldest on the page: a repeat chain's end
        for name, path in pages:

            async def get(path: str = path) -> None:
                answer = await client.get(path)
                if answer.status_code != 200:
                    raise RuntimeError(f"{path}: {answer.status_code}")

            figures = summarize(await timed(get, repeat, warmup=10))
            result["pages"][name] = {"path": path, **figures}
            print(f"  {name:26} p50 {figures['p50_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms")
    return result
