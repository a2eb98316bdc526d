"""Server time of the approval pages on the sample data (issue 13, performance): the visa and
signature queue and a draft's page, for a head (visas), the registrar (form checks) and the
chairman (signatures).

The seed (``asan.seeding.load_seed``) is loaded idempotently; demo users sign in through the
sign-in form and each page is requested in-process through the whole app over httpx's ASGI
transport, one at a time after a warm-up, as ``bench_web_workspace`` does.
Run by name: ``.venv/bin/python -m bench bench_web_approvals`` (``ASAN_BENCH_WEB_REPEAT``).
"""

from __future__ import annotations

import re
from typing import Any, Final

from asan.core.platform import Platform
from bench.web_pages import measure, page_client, repeat, seeded_app

USERS: Final = ("demo.head", "demo.clerk", "demo.chairman")
DRAFT_LINK: Final = re.compile(r'href="(/az/drafts/(?!new)[^"#]+)')


async def run(platform: Platform) -> dict[str, Any]:
    times = repeat()
    app = await seeded_app(platform)
    result: dict[str, Any] = {"repeat": times, "pages": {}}
    for username in USERS:
        async with page_client(app, username) as client:
            queue = await client.get("/az/approvals")
            link = DRAFT_LINK.search(queue.text)
            pages = [("queue", "/az/approvals")]
            if link is not None:
                pages.append(("draft", link.group(1)))
            result["pages"] |= await measure(client, pages, times=times, label=username)
    return result
