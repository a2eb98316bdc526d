"""The clerks' side in a real browser: sign-in through the page's form (CSRF token, session in
an HttpOnly Secure cookie that Chromium keeps on loopback), the inbox, sign-out; a wrong
password answered next to the form in the page's language. axe-clean, screenshots."""

from __future__ import annotations

from typing import Final

import pytest
from playwright.async_api import Page

from asan.auth.demo import DEMO_PASSWORD
from asan.web.i18n import Lang, translate
from asan.web.session.cookies import CSRF_COOKIE, SESSION_COOKIE
from tests.e2e.browser import axe, shot, sideways_overflow

CLERK: Final = "demo.clerk"


async def _sign_in_form(page: Page, lang: Lang, username: str, password: str) -> None:
    await page.get_by_label(translate(lang, "signin.username")).fill(username)
    await page.get_by_label(translate(lang, "signin.password")).fill(password)
    async with page.expect_navigation():
        await page.get_by_label(translate(lang, "signin.password")).press("Enter")


async def test_clerk_signs_in_to_the_inbox_and_signs_out(page: Page) -> None:
    await page.goto("/az/workspace")
    assert "/az/signin" in page.url  # no session: the sign-in page, coming back afterwards
    assert await sideways_overflow(page) <= 0
    await axe(page)
    await shot(page, "signin")

    await _sign_in_form(page, "az", CLERK, DEMO_PASSWORD)
    assert page.url.endswith("/az/workspace")
    assert await page.inner_text("h1") == translate("az", "workspace.inbox.title")
    cookies = {c["name"]: c for c in await page.context.cookies()}
    session = cookies[SESSION_COOKIE]
    assert session["httpOnly"] and session["secure"] and session["sameSite"] == "Lax"
    assert cookies[CSRF_COOKIE]["httpOnly"]
    assert await page.evaluate("() => document.cookie") == ""  # nothing readable by scripts
    assert await sideways_overflow(page) <= 0
    await axe(page)
    await shot(page, "workspace-inbox")

    async with page.expect_navigation():
        await page.get_by_role("button", name=translate("az", "nav.signout")).click()
    assert SESSION_COOKIE not in {c["name"] for c in await page.context.cookies()}
    await page.goto("/az/workspace")
    assert "/az/signin" in page.url  # the session is over


@pytest.mark.parametrize("page", ["phone"], indirect=True)
async def test_wrong_password_is_answered_in_the_pages_language(page: Page) -> None:
    await page.goto("/en/signin")
    await _sign_in_form(page, "en", CLERK, "not-the-password")
    assert "/en/signin" in page.url
    alert = page.get_by_role("alert")
    assert await alert.inner_text() == translate("en", "signin.error.credentials")
    assert await page.get_by_label(translate("en", "signin.username")).input_value() == CLERK
    assert SESSION_COOKIE not in {c["name"] for c in await page.context.cookies()}
    await axe(page)
    await shot(page, "signin-error")
