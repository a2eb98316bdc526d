"""Server time of the archive's pages on the sample data (issue 13, performance): the
nomenclature, the cases (all and due for disposal), a case's page, transfer inventories and
the disposal calendar with its acts.

The seed (``asan.seeding.load_seed``, the archive's sample included) is loaded idempotently;
demo.archivist signs in through the sign-in form and each page is requested in-process through
the whole app (middleware, the page session from the cookie, the archive's reads, Jinja2) over
httpx's ASGI transport, one at a time after a warm-up.
Run by name: ``.venv/bin/python -m bench bench_web_archive`` (``ASAN_BENCH_WEB_REPEAT``).
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

ARCHIVIST: Final = "demo.archivist"
CSRF: Final = re.compile(r'name="csrf_token" value="([^"]+)"')
CASE_LINK: Final = re.compile(r'href="(/az/archive/cases/[^"]+)"')
PAGES: Final = (
    ("nomenclature", "/az/archive/nomenclature"),
    ("cases", "/az/archive/cases"),
    ("cases due", "/az/archive/cases?due=1"),
    ("transfers", "/az/archive/transfers"),
    ("disposal", "/az/archive/disposal"),
)


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


async def run(platform: Platform) -> dict[str, Any]:
    repeat = int(os.environ.get("ASAN_BENCH_WEB_REPEAT", "100"))
    for line in await load_seed(platform):
        print(f"  {line}", flush=True)
    app = create_app(platform.settings, platform)
    app.state.platform = platform
    result: dict[str, Any] = {"repeat": repeat, "pages": {}}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://bench", timeout=60
    ) as client:
        await _signed_in(client, ARCHIVIST)
        pages = list(PAGES)
        due = await client.get("/az/archive/cases?due=1")
        link = CASE_LINK.search(due.text)
        if link is not None:
            pages.append(("case", link.group(1)))
        for name, path in pages:

            async def get(path: str = path) -> None:
                answer = await client.get(path)
                if answer.status_code != 200:
                    raise RuntimeError(f"{path}: {answer.status_code}")

            figures = summarize(await timed(get, repeat, warmup=10))
            result["pages"][name] = {"path": path, **figures}
            print(f"  {name:14} p50 {figures['p50_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms")
    return result
