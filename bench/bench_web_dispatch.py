"""Server time of the dispatch pages on the sample data (issue 13, performance).

The seed (``asan.seeding.load_seed``, idempotent) holds dispatched sample letters and an order
(so the register has lines) and a certified copy; the records office's registrar (demo.clerk)
signs in through the form and the dispatch page (waiting list + register), a filtered register,
its CSV, a dispatched letter's dispatch page and the copies page are requested in-process
through the whole app over httpx's ASGI transport, one at a time after a warm-up.
Run by name: ``.venv/bin/python -m bench bench_web_dispatch`` (``ASAN_BENCH_WEB_REPEAT``).
"""

from __future__ import annotations

import re
from typing import Any, Final

from asan.core.platform import Platform
from bench.web_pages import measure, page_client, repeat, seeded_app

USER: Final = "demo.clerk"
DISPATCH_LINK: Final = re.compile(r'href="(/az/documents/[^"/]+/dispatch)#entry-')


async def run(platform: Platform) -> dict[str, Any]:
    times = repeat()
    app = await seeded_app(platform)
    async with page_client(app, USER) as client:
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
        return {"repeat": times, "user": USER, "pages": await measure(client, pages, times=times)}
