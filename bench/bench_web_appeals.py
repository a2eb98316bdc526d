"""Server time of the appeal and reception pages on the sample data (issue 13, performance).

The seed (``asan.seeding.load_seed``: org, demo users, the sample appeals in every state and
the reception sitting) is loaded idempotently; the EDMS registrar signs in through the form,
and each page is requested in-process through the whole app (middleware, the page session,
the appeal reads, Jinja2) over httpx's ASGI transport, one at a time after a warm-up.
Run by name: ``.venv/bin/python -m bench bench_web_appeals`` (``ASAN_BENCH_WEB_REPEAT``).
"""

from __future__ import annotations

import re
from typing import Any, Final

from asan.core.platform import Platform
from bench.web_pages import measure, page_client, repeat, seeded_app

USER: Final = "demo.clerk"  # registrar: sees the visitors, may take every step
APPEAL_LINK: Final = re.compile(r'href="(/az/appeals/[0-9a-f-]{36})"')


async def run(platform: Platform) -> dict[str, Any]:
    times = repeat()
    app = await seeded_app(platform)
    async with page_client(app, USER) as client:
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
        return {"repeat": times, "user": USER, "pages": await measure(client, pages, times=times)}
