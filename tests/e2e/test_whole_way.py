"""A letter's whole way through the pages, no GraphiQL and no use case called by the test: the
registrar registers it with its scan, the department head writes a resolution, the executor
drafts the answer from the letter's page and sends it to visa, the head approves it from the
visa queue, the registrar checks the form, the chairman signs with the certificate, the
registrar dispatches the answer (to the letter's sender, taken over from the card) and finds
it in the register, and the executor reports the letter done. Each actor signs in at their own
desk (fresh cookies)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Final

import pytest
from playwright.async_api import Page

from asan.web.i18n import translate
from tests.e2e.browser import axe, shot
from tests.e2e.test_documents import register, sign_in
from tests.edms.files_support import pdf_with_text

REGISTRAR: Final = "demo.clerk"
HEAD: Final = "demo.head"  # DEPT-IT-HEAD
EXECUTOR: Final = "demo.it1"
SIGNATORY: Final = "demo.chairman"  # AGENCY-CHAIRMAN


def t(key: str, **values: object) -> str:
    return translate("en", key, **values)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[-1].split("/", 1)[-1].split("#", 1)[0]


async def at_desk(page: Page, username: str, target: str) -> None:
    await page.context.clear_cookies()
    await sign_in(page, username, target)


async def click(page: Page, name: str) -> None:
    async with page.expect_navigation():
        await page.get_by_role("button", name=name, exact=True).click()


@pytest.mark.parametrize("page", ["desktop"], indirect=True)
async def test_a_letter_from_registration_to_the_dispatched_answer(
    page: Page, tmp_path: Path
) -> None:
    token = uuid.uuid4().hex[:8]
    subject = f"Xidmət haqqında sorğu {token}"
    scan = tmp_path / "sorğu.pdf"
    scan.write_bytes(pdf_with_text("incoming letter"))
    answer = tmp_path / "cavab.pdf"
    answer.write_bytes(pdf_with_text("answer"))

    # 1. the registrar registers the letter with its scan
    await sign_in(page, REGISTRAR, "/en/documents/new")
    letter = path_of(await register(page, subject, scan))
    card = await page.inner_text("main")
    assert "sorğu.pdf" in card and t("document.state.registered") in card

    # 2. the department head writes the resolution
    await at_desk(page, HEAD, letter)
    form = page.locator("#resolution-form")
    await form.get_by_label(t("documents.resolution.mainExecutor")).fill(EXECUTOR)
    await form.get_by_label(t("documents.resolution.instruction")).fill("Cavab hazırlayın.")
    await form.get_by_label(t("documents.resolution.workingDays")).fill("5")
    await click(page, t("documents.resolution.submit"))
    assert t("document.state.in_execution") in await page.inner_text("main")

    # 3. the executor finds it in the inbox and drafts the answer from the letter's page
    await at_desk(page, EXECUTOR, "/en/workspace")
    row = page.locator("tr").filter(has_text=subject).first
    async with page.expect_navigation():
        await row.get_by_role("link").first.click()
    assert path_of(page.url) == letter
    async with page.expect_navigation():
        await page.get_by_role("link", name=t("document.related.answer")).click()
    draft_form = page.locator("form.draft-new")
    assert await draft_form.get_by_label(t("approvals.new.subject")).input_value() == subject
    name_field = draft_form.get_by_label(t("approvals.addressee.name", n=1))
    assert await name_field.input_value() == "Nümunə MMC"  # the letter's sender
    await draft_form.get_by_label(t("approvals.addressee.address", n=1)).fill(
        "Bakı, Nizami küçəsi 1"
    )
    await draft_form.get_by_label(t("approvals.file")).set_input_files(str(answer))
    await draft_form.get_by_label(t("approvals.route.role", n=1)).select_option("department_head")
    await draft_form.get_by_label(t("approvals.route.position", n=1)).fill("DEPT-IT-HEAD")
    await draft_form.get_by_label(t("approvals.route.signatory")).fill("AGENCY-CHAIRMAN")
    await click(page, t("approvals.new.submit"))
    draft = path_of(page.url)
    assert draft.startswith("/en/drafts/")
    await click(page, t("approvals.send.submit"))
    assert t("document.state.on_visa") in await page.inner_text(".status")

    # 4. the head approves it from the visa queue
    await at_desk(page, HEAD, "/en/approvals")
    item = page.locator(".queue-item").filter(has_text=subject)
    async with page.expect_navigation():
        await item.get_by_role("button", name=t("approvals.decision.approve"), exact=True).click()

    # 5. the registrar checks the form, 6. the chairman signs
    await at_desk(page, REGISTRAR, draft)
    await click(page, t("approvals.form.accept"))
    await at_desk(page, SIGNATORY, draft)
    await click(page, t("approvals.sign.submit"))
    assert t("approvals.verify.ok") in await page.inner_text(".verification")

    # 7. the registrar dispatches the answer from its page and finds it in the register
    document = draft.replace("/drafts/", "/documents/")
    await at_desk(page, REGISTRAR, document)
    async with page.expect_navigation():
        await page.get_by_role("link", name=t("document.related.dispatch")).click()
    await click(page, t("dispatch.send.submit"))
    register_text = await page.inner_text("#register")
    assert "Nümunə MMC" in register_text and t("dispatch.status.sent") in register_text
    await axe(page)
    await shot(page, "whole-way-dispatched")
    await page.goto("/en/dispatch")
    assert subject in await page.inner_text("#register")

    # 8. the executor reports the letter done: it leaves execution
    await at_desk(page, EXECUTOR, letter)
    await page.get_by_label(t("workspace.report.label")).fill("Cavab göndərildi.")
    await click(page, t("workspace.report.submit"))
    main = await page.inner_text("main")
    assert "Cavab göndərildi." in main
    assert t("document.state.executed") in main
    await page.goto(document)
    assert t("document.state.dispatched") in await page.inner_text("main")
    await shot(page, "whole-way-letter-done")
