"""Registry work in a real browser: a state body's editor (demo.editor, DIN) proposes a change
of the body's published service through the form, the registry's reviewer (demo.reviewer)
sees the field-by-field diff and approves it, and the catalogue then shows the new fee.
Each run publishes its own service first (the e2e server's graph is shared). axe-clean,
no sideways scrolling at a phone's width, screenshots of each page."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Final

from playwright.async_api import Page

from asan.auth.demo import DEMO_PASSWORD
from asan.auth.principal import Principal
from asan.core.platform import Platform
from asan.registry.catalog import service as catalog
from asan.registry.catalog.models import Evidence, ServiceInput
from asan.web.i18n import translate
from tests.e2e.browser import axe, shot, sideways_overflow

EDITOR: Final = "demo.editor"  # state_body_editor of DIN (asan/auth/demo.py)
REVIEWER: Final = "demo.reviewer"
EDITOR_DIN: Final = Principal(
    subject="e2e-editor", kind="user", roles=frozenset({"state_body_editor"}), state_body="DIN"
)
AGENCY: Final = Principal(
    subject="e2e-reviewer", kind="user", roles=frozenset({"registry_reviewer"})
)


async def _published_service(platform: Platform) -> str:
    code = f"DIN-E2E-{uuid.uuid4().hex[:6].upper()}"
    content = ServiceInput(
        code=code,
        name_az="Arayışın verilməsi (sınaq)",
        name_en="Issuing a certificate (test)",
        provider="DIN",
        fee_amount=Decimal("3.00"),
        processing_days=5,
        channels=("ASAN_CENTRE",),
        requirements=(Evidence("ID-CARD-E2E", "Şəxsiyyət vəsiqəsi", "Identity card"),),
    )
    await catalog.create_service(platform, EDITOR_DIN, content)
    request = await catalog.submit_service(platform, EDITOR_DIN, code)
    await catalog.register_request(platform, AGENCY, request.id)
    return code


async def _sign_in(page: Page, username: str) -> None:
    await page.goto("/en/signin?next=/en/registry")
    await page.get_by_label(translate("en", "signin.username")).fill(username)
    await page.get_by_label(translate("en", "signin.password")).fill(DEMO_PASSWORD)
    async with page.expect_navigation():
        await page.get_by_label(translate("en", "signin.password")).press("Enter")
    assert page.url.endswith("/en/registry"), page.url


async def _checked(page: Page, name: str) -> None:
    assert await sideways_overflow(page) <= 0
    await axe(page)
    await shot(page, name)


async def test_an_editor_proposes_a_change_and_the_reviewer_approves_it_from_the_diff(
    page: Page, migrated_platform: Platform
) -> None:
    code = await _published_service(migrated_platform)
    await _sign_in(page, EDITOR)
    assert await page.inner_text("h1") == translate("en", "registry.home.title")
    await _checked(page, "registry-home")

    await page.goto(f"/en/registry/services/{code}/edit")
    fee = page.get_by_label(translate("en", "registry.field.feeAmount"), exact=True)
    assert await fee.input_value() == "3.00"
    await fee.fill("4.50")
    await page.get_by_label(translate("en", "registry.field.summary"), exact=True).fill(
        "The state fee was raised"
    )
    await _checked(page, "registry-change-form")
    async with page.expect_navigation():
        await page.click("#save")
    assert "/en/registry/requests/" in page.url
    request_url = page.url
    async with page.expect_navigation():
        await page.get_by_role("button", name=translate("en", "nav.signout")).click()

    await _sign_in(page, REVIEWER)
    await page.goto(request_url)
    row = page.locator('tr[data-field="feeAmount"]')
    assert await row.locator("th").inner_text() == translate("en", "registry.field.feeAmount")
    assert await row.locator("td.old").inner_text() == "3.00"
    assert await row.locator("td.new").inner_text() == "4.50"
    await _checked(page, "registry-request-diff")
    async with page.expect_navigation():
        await page.click("#approve")
    status = page.locator("article.registration-request")
    assert await status.get_attribute("data-status") == "registered"

    await page.goto(f"/en/services/{code}")
    assert "4.50" in await page.inner_text("main")
