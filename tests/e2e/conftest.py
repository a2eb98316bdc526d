"""The browser tests' fixtures: the real system (`asan serve` on the test services with the
seed's data), Debian's Chromium driven by Playwright, and a page per viewport.

Data: tests elsewhere reset the graph per test, so this package loads its data once, after a
reset and before the server starts, and its tests do not use ``clean_platform`` (which would
wipe it). The pages under test read the org structure, the sample registry, the demo users and
the sample documents (with the appeals they follow) and the archive's sample (its pages).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, Response, async_playwright

from asan.archive.sample.loader import load_sample_archive
from asan.auth.demo import load_demo_users
from asan.core.platform import Platform
from asan.edms.appeals.sample import load_sample_appeals
from asan.edms.sample.loader import load_sample_documents
from asan.registry.catalog.sample import load_sample_registry
from asan.seeding import REFERENCE_LOADERS, Loader
from tests.conftest import reset_graph
from tests.e2e.browser import CHROMIUM, VIEWPORTS, artifacts_dir
from tests.e2e.server import Server, serving

LOADERS: list[Loader] = [
    *REFERENCE_LOADERS,
    load_sample_registry,
    load_demo_users,
    load_sample_appeals,  # the sample documents come after the appeals (asan/seeding.py)
    load_sample_documents,
    load_sample_archive,  # files the sample documents into this year's cases
]
TIMEOUT_MS = 15_000  # one step in a page (a shared, busy 2-core machine)


@pytest.fixture(scope="package")
async def server(migrated_platform: Platform) -> AsyncIterator[Server]:
    """`asan serve` on a graph holding the seed's data (loaded while the server starts)."""
    await reset_graph(migrated_platform)
    with serving(artifacts_dir() / "server.log") as running:
        for loader in LOADERS:
            await loader(migrated_platform)
        await asyncio.to_thread(running.wait_ready)
        yield running


@pytest.fixture(scope="package")
async def browser() -> AsyncIterator[Browser]:
    assert CHROMIUM.is_file(), f"{CHROMIUM} missing: `make install` installs Debian's chromium"
    async with async_playwright() as pw:
        launched = await pw.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield launched
        await launched.close()


@pytest.fixture(params=list(VIEWPORTS))
async def page(
    request: pytest.FixtureRequest, server: Server, browser: Browser
) -> AsyncIterator[Page]:
    """A fresh page (own cookies) at a phone's and at a desktop's size, on the served app.

    The test fails if the page throws a script error or a file it loads (CSS, script, image,
    htmx fragment) fails: a broken page can look fine in a screenshot.
    """
    context = await browser.new_context(
        base_url=server.url, bypass_csp=True, **VIEWPORTS[request.param]
    )
    context.set_default_timeout(TIMEOUT_MS)
    opened = await context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(f"script error: {error}"))

    def on_response(response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"{response.status} {response.request.method} {response.url}")

    opened.on("response", on_response)
    opened.on("requestfailed", lambda req: problems.append(f"failed {req.url}: {req.failure}"))
    try:
        yield opened
    finally:
        await context.close()
    assert problems == [], problems
