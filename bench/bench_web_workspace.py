"""Server time of the clerks' workspace pages on the sample data (issue 13, performance:
target p95 under 150 ms for the inbox).

The seed (``asan.seeding.load_seed``: registry, org, demo users, appeals, sample documents,
archive) is loaded idempotently; demo users sign in through the sign-in form, and each page is
requested in-process through the whole app (middleware, the page session resolved from the
cookie, the EDMS reads, Jinja2) over httpx's ASGI transport, one at a time after a warm-up.
Run by name: ``.venv/bin/python -m bench bench_web_workspace`` (``ASAN_BENCH_WEB_REPEAT``).
"""

from __future__ import annotations

import re
from typing import Any, Final

from asan.core.platform import Platform
from bench.web_pages import measure, page_client, repeat, seeded_app

USERS: Final = ("demo.clerk", "demo.head", "demo.it1")
REGISTRAR: Final = "demo.clerk"
DOCUMENT_LINK: Final = re.compile(r'href="(/az/documents/(?!new")[^"/]+)"')


async def run(platform: Platform) -> dict[str, Any]:
    times = repeat()
    app = await seeded_app(platform)
    result: dict[str, Any] = {"repeat": times, "pages": {}}
    for username in USERS:
        async with page_client(app, username) as client:
            inbox = await client.get("/az/workspace")
            link = DOCUMENT_LINK.search(inbox.text)
            pages = [("inbox", "/az/workspace")]
            if link is not None:
                pages.append(("document", link.group(1)))
            if username == REGISTRAR:  # the registration form (card, drop zone)
                pages.append(("new document", "/az/documents/new"))
            result["pages"] |= await measure(client, pages, times=times, label=username)
    return result
