"""The reports in a real browser: the IT head signs in and opens each report; each shows its
chart (an SVG image with a title and a description) and its table, only the head's own units
in execution discipline, a download link that answers with the file under the page session;
axe-clean at both sizes, screenshots. Nothing is changed, so no data is made here: the seed's
sample documents and appeals are what the reports count."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from playwright.async_api import Page

from asan.auth.demo import DEMO_PASSWORD
from asan.core.workdays import today_in_baku
from asan.web.i18n import translate
from tests.e2e.browser import axe, shot, sideways_overflow

HEAD: Final = "demo.head"  # leads DEPT-IT and its sectors


async def test_the_head_opens_each_report(page: Page) -> None:
    today = today_in_baku()
    start, end = today - timedelta(days=365), today + timedelta(days=365)
    await page.goto("/en/reports")
    assert "/en/signin" in page.url
    await page.get_by_label(translate("en", "signin.username")).fill(HEAD)
    await page.get_by_label(translate("en", "signin.password")).fill(DEMO_PASSWORD)
    async with page.expect_navigation():
        await page.get_by_label(translate("en", "signin.password")).press("Enter")
    assert page.url.endswith("/en/reports")
    assert await page.inner_text("h1") == translate("en", "reports.index.title")
    await axe(page)
    await shot(page, "reports-index")

    pages = {
        "execution-discipline": f"from={start.isoformat()}&to={end.isoformat()}",
        "appeal-statistics": f"year={today.year}",
        "record-keeping": f"year={today.year}",
    }
    for slug, query in pages.items():
        response = await page.goto(f"/en/reports/{slug}?{query}")
        assert response is not None and response.status == 200, slug
        table = page.locator("table.report-table")
        if await table.count():
            charts = page.locator('svg.chart[role="img"]')
            # the appeal statistics: the year per centre, then the months in time
            assert await charts.count() == (2 if slug == "appeal-statistics" else 1)
            for chart in await charts.all():  # each names itself and says its figures
                title = await chart.locator("title").first.text_content()
                assert title and title.strip()
                assert (await chart.locator("desc").text_content() or "").strip()
        else:  # nothing counted: the page says so in words
            assert await page.get_by_text(translate("en", "reports.empty")).count() == 1
        if slug == "execution-discipline":
            units = await page.locator("table.report-table tbody th").all_inner_texts()
            assert all(u.startswith("DEPT-IT") for u in units), units  # the head's units only
        assert await sideways_overflow(page) <= 0, slug
        await axe(page)
        await shot(page, f"reports-{slug}")

    # the CSV link of the last page answers with the file under the page's session
    link = page.get_by_role("link", name=translate("en", "reports.download.csv"))
    href = await link.get_attribute("href")
    assert href is not None
    download = await page.request.get(href)
    assert download.status == 200
    assert (await download.body()).startswith("\ufeff".encode())
