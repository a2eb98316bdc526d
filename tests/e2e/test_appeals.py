"""An appeal's whole way to its answer in a real browser: the EDMS registrar signs in,
registers a citizen's complaint through the form (its number in the complaints' journal, its
legal term in words), answers it from the appeal's page and sees it answered; the appeals list
and the reception schedule (the sample's sitting) are axe-clean, fit a phone's width, and are
kept as screenshots."""

from __future__ import annotations

from typing import Final

from playwright.async_api import Page

from asan.auth.demo import DEMO_PASSWORD
from asan.web.i18n import translate
from tests.e2e.browser import axe, shot, sideways_overflow, viewport_name

CLERK: Final = "demo.clerk"  # registrar of the EDMS department
SAMPLE_PLACE: Final = "Agentlik, 3-cü mərtəbə, 305"  # the sample reception sitting


def t(key: str, **values: object) -> str:
    return translate("az", key, **values)


async def _sign_in(page: Page, next_path: str) -> None:
    await page.goto(f"/az/signin?next={next_path}")
    await page.get_by_label(t("signin.username")).fill(CLERK)
    await page.get_by_label(t("signin.password")).fill(DEMO_PASSWORD)
    async with page.expect_navigation():
        await page.get_by_label(t("signin.password")).press("Enter")
    assert page.url.endswith(next_path)


async def test_a_registrar_registers_an_appeal_and_answers_it(page: Page) -> None:
    subject = f"Sənədin gecikməsi ({viewport_name(page)})"
    await _sign_in(page, "/az/appeals/new")
    assert await page.inner_text("h1") == t("appeals.new.title")
    await page.get_by_label(t("appeals.field.type")).select_option("complaint")
    await page.get_by_label(t("appeals.field.channel")).select_option("mail")
    await page.get_by_label(t("appeals.field.unit")).fill("DEPT-IT")
    await page.get_by_label(t("appeals.field.subject")).fill(subject)
    await page.get_by_label(t("appeals.field.name")).fill("Leyla Əhmədova")
    await page.get_by_label(t("appeals.field.address")).fill("Bakı, Füzuli küç. 9")
    assert await sideways_overflow(page) <= 0
    await axe(page)
    await shot(page, "appeals-new")
    async with page.expect_navigation():
        await page.get_by_role("button", name=t("appeals.new.submit")).click()
    assert "/az/appeals/" in page.url and not page.url.endswith("/new")
    heading = await page.inner_text("h1")
    assert heading.startswith("Ş-") and subject in heading  # the complaints' journal
    assert await page.inner_text("#appeal-status") == t("appeals.status.registered")
    assert t("appeals.term.days", days=15) in await page.inner_text("main")
    assert await sideways_overflow(page) <= 0
    await axe(page)
    await shot(page, "appeals-appeal")

    answer = "Sənədiniz hazırdır, ASAN mərkəzindən ala bilərsiniz."
    await page.get_by_label(t("appeals.field.answer")).fill(answer)
    async with page.expect_navigation():
        await page.get_by_role("button", name=t("appeals.steps.answer.submit")).click()
    assert await page.inner_text("#appeal-status") == t("appeals.status.answered")
    assert answer in await page.inner_text("main")
    assert await page.locator("#step-answer").count() == 0  # nothing more to answer
    await shot(page, "appeals-answered")


async def test_the_appeals_list_and_the_reception_schedule(page: Page) -> None:
    await _sign_in(page, "/az/appeals")
    assert await page.inner_text("h1") == t("appeals.list.title")
    rows = page.locator("table.appeals tbody tr")
    assert await rows.count() >= 5  # the sample's appeals in every state
    assert await page.locator("table.appeals .deadline").count() >= 1  # terms in words
    assert await sideways_overflow(page) <= 0
    await axe(page)
    await shot(page, "appeals-list")
    # filtering updates the results in place (htmx) and the address stays shareable
    await page.evaluate("() => { window.sameDocument = true; }")  # gone on a page load
    await page.get_by_label(t("appeals.field.status")).select_option("answered")
    await page.get_by_role("button", name=t("appeals.filter.submit")).click()
    await page.wait_for_url("**status=answered**")
    statuses = await page.locator("table.appeals tbody tr td:nth-child(4)").all_inner_texts()
    assert statuses and set(statuses) == {t("appeals.status.answered")}
    assert await page.evaluate("() => window.sameDocument === true")

    await page.goto("/az/reception")
    assert await page.inner_text("h1") == t("appeals.reception.title")
    schedule = await page.inner_text("table.reception")
    assert SAMPLE_PLACE in schedule and "Nərmin Səfərova" in schedule  # a registrar sees them
    assert await sideways_overflow(page) <= 0
    await axe(page)
    await shot(page, "appeals-reception")
