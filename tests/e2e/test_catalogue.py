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
    # a searchbox with a list of suggestions
    box = page.get_by_role("combobox", name=translate("az", "catalogue.search.label"))
    await box.tap()
    await box.press_sequentially(TYPED, delay=20)  # keystrokes: htmx suggests on keyup
    suggestion = page.locator("#suggestions [role=option]", has_text=service["nameAz"])
    await suggestion.wait_for()
    assert await suggestion.get_attribute("data-href") == f"/az/services/{CODE}"
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


@pytest.mark.parametrize("page", ["desktop"], indirect=True)
async def test_suggestions_are_a_combobox_chosen_with_the_keyboard(page: Page) -> None:
    service = _service(CODE)
    await page.goto("/en/services")
    box = page.get_by_role("combobox", name=translate("en", "catalogue.search.label"))
    await box.focus()
    assert await box.get_attribute("aria-expanded") == "false"
    await box.press_sequentially(TYPED, delay=20)
    listbox = page.get_by_role("listbox")
    await listbox.wait_for()
    assert await box.get_attribute("aria-expanded") == "true"
    assert await box.get_attribute("aria-controls") == await listbox.get_attribute("id")
    options = listbox.get_by_role("option")
    count = await options.count()
    assert count > 0
    texts = await options.all_inner_texts()
    wanted = next(i for i, text in enumerate(texts) if text.strip() == service["nameEn"])
    for _ in range(wanted + 1):
        await box.press("ArrowDown")
    chosen = options.nth(wanted)
    assert await box.get_attribute("aria-activedescendant") == await chosen.get_attribute("id")
    assert await chosen.get_attribute("aria-selected") == "true"
    assert await page.evaluate("() => document.activeElement.id") == "q"  # focus stays in the box
    status = await page.locator("#q-status").inner_text()
    assert status == translate("en", "combobox.count", count=count)
    await axe(page)  # with the list open
    await shot(page, "catalogue-combobox")

    await box.press("Escape")  # closes the list, keeps the text
    assert await box.get_attribute("aria-expanded") == "false"
    assert await box.get_attribute("aria-activedescendant") is None
    assert await box.input_value() == TYPED
    await box.press("ArrowDown")  # opens it again on the first option
    assert await box.get_attribute("aria-expanded") == "true"
    for _ in range(wanted):
        await box.press("ArrowDown")
    async with page.expect_navigation():
        await box.press("Enter")  # opens the active option, not the form's search
    assert page.url.endswith(f"/en/services/{CODE}")
