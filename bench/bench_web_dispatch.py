"""Server time of the dispatch pages on the sample data (issue 13, performance).

The seed (``asan.seeding.load_seed``, idempotent) holds dispatched sample letters and an order
(so the register has lines) and a certified copy; the records office's registrar (demo.clerk)
signs in through the form and the dispatch page (waiting list + register), a filtered register,
its CSV, a dispatched letter's dispatch page and the copies page are requested in-process
through the whole app over httpx's ASGI transport, one at a time after a warm-up.
Run by name: ``.venv/bin/python -m bench bench_web_dispatch`` (``ASAN_BENCH_WEB_REPEAT``).
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

USER: Final = "demo.clerk"
CSRF: Final = re.compile(r'name="csrf_token" value="([^"]+)"')
DISPATCH_LINK: Final = re.compile(r'href="(/az/documents/[^"/]+/dispatch)#entry-')


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
        form = await client.get("/az/signin")
        found = CSRF.search(form.text)
        assert found is not None
        answer = await client.post(
            "/az/signin",
            data={"username": USER, "password": DEMO_PASSWORD, "csrf_token": found.group(1)},
        )
        if answer.status_code != 303:
            raise RuntimeError(f"sign-in of {USER}: {answer.status_code}")
        overview = await client.get("/az/dispatch")
        link = DISPATCH_LINK.search(overview.text)
        pages = [
            ("dispatch", "/az/dispatch"),
            ("register filtered", "/az/dispatch?method=post&status=sent"),
            ("register csv", "/az/dispatch/register.csv"),
            ("copies", "/az/copies?q=Kiber"),
        ]
        if link is not None:
            pages.append(("document dispatch", link.group(1)))
        for name, path in pages:

            async def get(path: str = path) -> None:
                got = await client.get(path)
                if got.status_code != 200:
                    raise RuntimeError(f"{path}: {got.status_code}")

            figures = summarize(await timed(get, repeat, warmup=10))
            result["pages"][name] = {"path": path, **figures}
            print(f"  {name:20} p50 {figures['p50_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms")
    return result
