"""The home page in a real browser: each language, the language switch and the skip link by
keyboard, axe-core clean, a screenshot at a phone's and a desktop's width."""

from __future__ import annotations

import pytest
from playwright.async_api import Page

from asan.web.i18n import LANGS, Lang, translate
from tests.e2e.browser import axe, focused, shot, sideways_overflow, tab_to


@pytest.mark.parametrize("lang", LANGS)
async def test_home_page_in_each_language(page: Page, lang: Lang) -> None:
    response = await page.goto(f"/{lang}/")
    assert response is not None and response.status == 200
    assert await page.get_attribute("html", "lang") == lang
    assert await page.inner_text("h1") == translate(lang, "home.heading")
    # the stylesheet arrived and applies (the skip link is moved off-screen by it)
    box = await page.locator("a.skip").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 0
    # nothing wider than the screen (a phone must not scroll sideways)
    assert await sideways_overflow(page) <= 0
    await axe(page)
    await shot(page, f"home-{lang}")


async def test_language_switch_by_keyboard(page: Page) -> None:
    await page.goto("/az/")
    link = await tab_to(page, {"tag": "a", "hreflang": "en"})
    assert link["href"] == "/en/"
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert page.url.endswith("/en/")
    assert await page.get_attribute("html", "lang") == "en"
    assert await page.inner_text("h1") == translate("en", "home.heading")
    current = page.locator('nav.langs a[aria-current="true"]')
    assert await current.inner_text() == "EN"


async def test_skip_link_is_first_and_moves_focus_to_the_content(page: Page) -> None:
    await page.goto("/ru/")
    await page.keyboard.press("Tab")
    first = await focused(page)
    assert first["href"] == "#main" and first["text"] == translate("ru", "nav.skip")
    box = await page.locator("a.skip").bounding_box()  # visible while focused
    assert box is not None and box["x"] >= 0 and box["y"] >= 0
    await page.keyboard.press("Enter")
    assert (await focused(page))["id"] == "main"


@pytest.mark.parametrize("page", ["desktop"], indirect=True)
async def test_axe_check_fails_on_an_inaccessible_page(page: Page) -> None:
    """The helper is not a rubber stamp: an image without text and an unnamed button fail."""
    await page.goto("/en/")
    await page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
             '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button>')"""
    )
    with pytest.raises(AssertionError, match="image-alt") as failure:
        await axe(page)
    assert "button-name" in str(failure.value)
