"""Server time of the registry work pages on the sample data (issue 13, performance).

The seed (``asan.seeding.load_seed``) is loaded idempotently; DIN's editor (demo.editor) and
the registry's reviewer (demo.reviewer) sign in through the form, and each page is requested
in-process through the whole app (middleware, page session, the registry's reads, Jinja2)
over httpx's ASGI transport, one at a time after a warm-up: the body's registry page, the
service form of one of its published services, the new-draft form, the reviewer's queue and
(when the sample holds one) a request's page with its diff. Read-only: nothing is submitted.
Run by name: ``.venv/bin/python -m bench bench_web_registry`` (``ASAN_BENCH_WEB_REPEAT``).
"""

from __future__ import annotations

import re
from typing import Any, Final

import httpx

from asan.core.platform import Platform
from bench.web_pages import measure, page_client, repeat, seeded_app

EDIT_LINK: Final = re.compile(r'href="(/az/registry/services/[^"/]+/edit)"')
REQUEST_LINK: Final = re.compile(r'href="(/az/registry/requests/[^"/]+)"')


async def _pages(client: httpx.AsyncClient, username: str) -> list[tuple[str, str]]:
    home = await client.get("/az/registry")
    pages = [("registry", "/az/registry")]
    if username == "demo.editor":
        edit = EDIT_LINK.search(home.text)
        if edit is not None:
            pages.append(("service form", edit.group(1)))
        pages.append(("new draft", "/az/registry/services/new"))
    else:
        request = REQUEST_LINK.search(home.text)
        if request is not None:
            pages.append(("request", request.group(1)))
    return pages


async def run(platform: Platform) -> dict[str, Any]:
    times = repeat()
    app = await seeded_app(platform)
    result: dict[str, Any] = {"repeat": times, "pages": {}}
    for username in ("demo.editor", "demo.reviewer"):
        async with page_client(app, username) as client:
            pages = await _pages(client, username)
            result["pages"] |= await measure(client, pages, times=times, label=username)
    return result
