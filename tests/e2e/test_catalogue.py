"""The public catalogue in a real browser: a citizen on a phone types a service's name without
Azerbaijani letters, picks it from the suggestions and sees the centres that provide it; every
catalogue page is axe-clean and photographed at both sizes.

Expected names come from the sample registry file the server's data was loaded from.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

import pytest
from playwright.async_api import Page

from asan.core.platform import Platform
from asan.search.querying import suggest_competent_units
from asan.web.catalogue.helper import SHOWN
from asan.web.i18n import translate
from tests.e2e.browser import axe, shot, sideways_overflow

SAMPLE: Final = Path(__file__).resolve().parents[2] / "data" / "sample-registry.json"
CODE: Final = "DIN-001"  # "Şəxsiyyət vəsiqəsinin verilməsi"
TYPED: Final = "sexsiyyet vesiqesi"  # as typed on a keyboard without Azerbaijani letters


def _sample() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return data


def _service(code: str) -> dict[str, Any]:
    for services in _sample()["services"].values():
        for service in services:
            if service["code"] == code:
                found: dict[str, Any] = service
                return found
    raise AssertionError(f"{code} not in {SAMPLE}")


def _centre_names(codes: list[str]) -> set[str]:
    return {c["name"] for c in _sample()["asanCentres"] if c["code"] in codes}


@pytest.mark.parametrize("page", ["phone"], indirect=True)
async def test_phone_search_without_azerbaijani_letters_finds_the_service_and_centres(
    page: Page,
) -> None:
    service = _service(CODE)
    assert any(ch in service["nameAz"] for ch in "şə")  # the point: typed without these
    await page.goto("/az/services")
    box = page.get_by_role("searchbox")
    await box.tap()
    await box.press_sequentially(TYPED, delay=20)  # keystrokes: htmx suggests on keyup
    suggestion = page.locator("#suggestions a", has_text=service["nameAz"])
    await suggestion.wait_for()
    assert await suggestion.get_attribute("href") == f"/az/services/{CODE}"
    await shot(page, "catalogue-suggestions")

    # the full results, by submitting the form (works without JavaScript too)
    async with page.expect_navigation():
        await box.press("Enter")
    assert "q=sexsiyyet" in page.url
    result = page.locator(f'li.result[data-code="{CODE}"] h3 a')
    assert await result.inner_text() == service["nameAz"]
    await shot(page, "catalogue-results")

    async with page.expect_navigation():
        await result.tap()
    assert page.url.endswith(f"/az/services/{CODE}")
    assert await page.inner_text("h1") == service["nameAz"]
    shown = set(await page.locator("#centres li strong").all_inner_texts())
    assert shown == _centre_names(service["centres"]) and shown
    assert await sideways_overflow(page) <= 0  # no sideways scrolling on the phone


PAGES: Final = {
    "services": "/az/services",
    "services-search": "/en/services?q=seyyar",
    "service": f"/az/services/{CODE}",
    "service-ru": f"/ru/services/{CODE}",
    "centres": "/az/centres",
    "buses": "/az/buses",
    "helper": "/ru/helper",
}


@pytest.mark.parametrize("name", list(PAGES))
async def test_catalogue_page_is_accessible(page: Page, name: str) -> None:
    response = await page.goto(PAGES[name])
    assert response is not None and response.status == 200
    assert await page.locator("h1").count() == 1
    assert await sideways_overflow(page) <= 0  # usable at a phone's width
    await axe(page)
    await shot(page, f"catalogue-{name}")


MATTER: Final = "elektron senedlerin dovriyyesi sisteminde problem"  # no Azerbaijani letters


@pytest.mark.parametrize("page", ["phone"], indirect=True)
async def test_phone_helper_suggests_the_competent_unit_and_opens_its_regulation(
    page: Page, migrated_platform: Platform
) -> None:
    expected = await suggest_competent_units(migrated_platform, MATTER, SHOWN)
    assert expected  # the seed's regulations answer this matter
    await page.goto("/az/helper")
    await page.get_by_label(translate("az", "catalogue.helper.label")).fill(MATTER)
    async with page.expect_navigation():
        await page.get_by_role("button", name=translate("az", "catalogue.helper.submit")).tap()
    shown = await page.locator("ol.suggested-units > li").evaluate_all(
        "items => items.map(li => li.dataset.code)"
    )
    assert shown == [u.unit_code for u in expected]  # the use case's answer, in its order
    assert await sideways_overflow(page) <= 0
    await axe(page)
    await shot(page, "catalogue-helper-answer")

    first = page.locator("ol.suggested-units > li h3 a").first
    name = await first.inner_text()
    async with page.expect_navigation():
        await first.tap()
    assert await page.inner_text("h1") == name
    assert await page.locator("section.clauses li").count() > 0  # the unit's regulation
    assert await sideways_overflow(page) <= 0
    await axe(page)
    await shot(page, "catalogue-unit")


async def test_org_tree_is_accessible_and_links_every_unit(page: Page) -> None:
    response = await page.goto("/en/org")
    assert response is not None and response.status == 200
    links = page.locator("nav.org-tree a")
    assert await links.count() > 1
    assert await sideways_overflow(page) <= 0
    await axe(page)
    await shot(page, "catalogue-org")
