"""The clerks' side in a real browser: sign-in through the page's form (CSRF token, session in
an HttpOnly Secure cookie that Chromium keeps on loopback), the inbox, sign-out; a wrong
password answered next to the form in the page's language; the sample's service-secret letter
opened by its cleared executor from the inbox and refused to a colleague of the same unit
without clearance. axe-clean, screenshots."""

from __future__ import annotations

from typing import Final

import pytest
from playwright.async_api import Page

from asan.auth.demo import DEMO_CLEARANCES, DEMO_PASSWORD
from asan.core.platform import Platform
from asan.web.i18n import Lang, translate
from asan.web.session.cookies import CSRF_COOKIE, SESSION_COOKIE
from tests.e2e.browser import axe, shot, sideways_overflow

CLERK: Final = "demo.clerk"
CLEARED: Final = "demo.it1"  # the secret letter's executor, cleared for service secrets
UNCLEARED: Final = "demo.it2"  # same unit (DEPT-IT-STAFF), no clearance


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


@pytest.mark.parametrize("page", ["desktop"], indirect=True)
async def test_secret_letter_opens_for_the_cleared_executor_and_is_refused_without_clearance(
    page: Page, migrated_platform: Platform
) -> None:
    assert DEMO_CLEARANCES.get(CLEARED) == "service_secret" and UNCLEARED not in DEMO_CLEARANCES
    rows = await migrated_platform.db.read(
        "MATCH (d:Document {classification: $c}) RETURN d.id AS id, d.regNumber AS number, "
        "d.subject AS subject",
        {"c": "service_secret"},
    )
    assert len(rows) == 1
    secret = rows[0]

    await page.goto("/az/signin")
    await _sign_in_form(page, "az", CLEARED, DEMO_PASSWORD)
    link = page.get_by_role("link", name=secret["number"]).first
    async with page.expect_navigation():
        await link.click()
    assert page.url.endswith(f"/az/documents/{secret['id']}")
    assert secret["subject"] in await page.inner_text("main")
    await axe(page)
    await shot(page, "workspace-document")

    await page.context.clear_cookies()  # another person at another desk
    await page.goto("/az/signin")
    await _sign_in_form(page, "az", UNCLEARED, DEMO_PASSWORD)
    response = await page.goto(f"/az/documents/{secret['id']}")
    assert response is not None and response.status == 404
    assert await page.inner_text("h1") == translate("az", "workspace.not_found.title")
    assert secret["subject"] not in await page.content()
    await axe(page)
    await shot(page, "workspace-refused")
