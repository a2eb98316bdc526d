"""The archive's pages in a real browser with the archive's sample: an archivist opens the
cases due for disposal, places a hold on a sample case through the form (the reason typed,
the hold shown on the case's page) and lifts it again; the nomenclature, transfer inventories
and the disposal calendar open for the archivist. axe-clean on every archive page, no page
wider than a phone, screenshots."""

from __future__ import annotations

import uuid
from typing import Final

import pytest
from playwright.async_api import Page

from asan.auth.demo import DEMO_PASSWORD
from asan.core.platform import Platform
from asan.web.i18n import Lang, translate
from tests.e2e.browser import axe, shot, sideways_overflow

ARCHIVIST: Final = "demo.archivist"
PAGES: Final = ("nomenclature", "cases", "transfers", "disposal")


async def _sign_in(page: Page, lang: Lang, next_path: str) -> None:
    await page.goto(next_path)
    assert f"/{lang}/signin" in page.url
    await page.get_by_label(translate(lang, "signin.username")).fill(ARCHIVIST)
    await page.get_by_label(translate(lang, "signin.password")).fill(DEMO_PASSWORD)
    async with page.expect_navigation():
        await page.get_by_label(translate(lang, "signin.password")).press("Enter")
    assert page.url.endswith(next_path)


async def test_every_archive_page_opens_accessible_for_the_archivist(page: Page) -> None:
    await _sign_in(page, "az", "/az/archive/cases")
    await page.goto("/az/archive/cases?due=1")
    # the sample's six-year-old cases are due: listed with the words, not a colour alone
    assert await page.get_by_text(translate("az", "archive.case.due")).count() > 0
    for name in PAGES:
        await page.goto(f"/az/archive/{name}")
        assert await page.inner_text("h1")
        assert await sideways_overflow(page) <= 0
        await axe(page)
        await shot(page, f"archive-{name}")
    # the calendar lists the sample's due cases by month
    await page.goto("/az/archive/disposal")
    assert await page.locator("table.archive-table tbody tr").count() > 0


@pytest.mark.parametrize("page", ["desktop"], indirect=True)
async def test_an_archivist_places_a_hold_in_the_browser_and_lifts_it(
    page: Page, migrated_platform: Platform
) -> None:
    rows = await migrated_platform.db.read(
        "MATCH (c:Case {sample: true}) WHERE c.status IN ['closed', 'unit_archive'] "
        "AND NOT EXISTS { MATCH (:ArchiveHold {caseId: c.id, active: true}) } "
        "RETURN c.id AS id, c.index AS index ORDER BY c.year, c.index LIMIT 1"
    )
    assert rows, "the archive sample has no closed case without a hold"
    case_url = f"/en/archive/cases/{rows[0]['id']}"
    await _sign_in(page, "en", case_url)
    reason = f"Court claim {uuid.uuid4().hex[:8]}"  # this run's own hold
    await page.get_by_label(translate("en", "archive.hold.kind")).select_option("litigation")
    await page.get_by_label(translate("en", "archive.hold.reason")).fill(reason)
    async with page.expect_navigation():
        await page.get_by_role("button", name=translate("en", "archive.hold.place_submit")).click()
    hold = page.locator("li.hold", has_text=reason)
    assert await hold.count() == 1
    assert translate("en", "archive.hold.active") in await hold.inner_text()
    await axe(page)
    await shot(page, "archive-case-held")
    await hold.get_by_label(translate("en", "archive.hold.lift_reason")).fill("Claim withdrawn")
    async with page.expect_navigation():
        await hold.get_by_role("button", name=translate("en", "archive.hold.lift")).click()
    hold = page.locator("li.hold", has_text=reason)
    assert translate("en", "archive.hold.lifted") in await hold.inner_text()
