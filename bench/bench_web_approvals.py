"""Server time of the approval pages on the sample data (issue 13, performance): the visa and
signature queue and a draft's page, for a head (visas), the registrar (form checks) and the
chairman (signatures).

The seed (``asan.seeding.load_seed``) is loaded idempotently; demo users sign in through the
sign-in form and each page is requested in-process through the whole app over httpx's ASGI
transport, one at a time after a warm-up, as ``bench_web_workspace`` does.
Run by name: ``.venv/bin/python -m bench bench_web_approvals`` (``ASAN_BENCH_WEB_REPEAT``).
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

USERS: Final = ("demo.head", "demo.clerk", "demo.chairman")
DRAFT_LINK: Final = re.compile(r'href="(/az/drafts/(?!new)[^"#]+)')


async def run(platform: Platform) -> dict[str, Any]:
    repeat = int(os.environ.get("ASAN_BENCH_WEB_REPEAT", "100"))
    for line in await load_seed(platform):
        print(f"  {line}", flush=True)
    app = create_app(platform.settings, platform)
    app.state.platform = platform
    result: dict[str, Any] = {"repeat": repeat, "pages": {}}
    for username in USERS:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="https://bench", timeout=60
        ) as client:
            await _signed_in(client, username)
            queue = await client.get("/az/approvals")
            link = DRAFT_LINK.search(queue.text)
            pages = [("queue", "/az/approvals")]
            if link is not None:
                pages.append(("draft", link.group(1)))
            for name, path in pages:

                async def get(path: str = path) -> None:
                    answer = await client.get(path)
                    if answer.status_code != 200:
                        raise RuntimeError(f"{path}: {answer.status_code}")

                figures = summarize(await timed(get, repeat, warmup=10))
                key = f"{name} ({username})"
                result["pages"][key] = {"path": path, **figures}
                print(
                    f"  {key:28} p50 {figures['p50_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms"
                )
    return result
