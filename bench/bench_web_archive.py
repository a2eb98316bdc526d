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

import re
from typing import Any, Final

from asan.core.platform import Platform
from bench.web_pages import measure, page_client, repeat, seeded_app

ARCHIVIST: Final = "demo.archivist"
CASE_LINK: Final = re.compile(r'href="(/az/archive/cases/[^"]+)"')
PAGES: Final = (
    ("nomenclature", "/az/archive/nomenclature"),
    ("cases", "/az/archive/cases"),
    ("cases due", "/az/archive/cases?due=1"),
    ("transfers", "/az/archive/transfers"),
    ("disposal", "/az/archive/disposal"),
)


async def run(platform: Platform) -> dict[str, Any]:
    times = repeat()
    app = await seeded_app(platform)
    async with page_client(app, ARCHIVIST) as client:
        pages = list(PAGES)
        due = await client.get("/az/archive/cases?due=1")
        link = CASE_LINK.search(due.text)
        if link is not None:
            pages.append(("case", link.group(1)))
        return {"repeat": times, "pages": await measure(client, pages, times=times)}
