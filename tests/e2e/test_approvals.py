"""Visas and signing in a real browser: a draft of the IT Department (made here through the
drafts use cases, routed to the department head and the chairman, sent to visa) is approved
with remarks by the head from the visa queue, passes the registrar's form check on its page,
and is signed by the chairman with the certificate; the page then shows the verification.
axe-clean queue, new-draft form and draft page, screenshots."""

from __future__ import annotations

import uuid
from typing import Final

from playwright.async_api import Page

from asan.auth.demo import DEMO_PASSWORD
from asan.auth.principal import Principal
from asan.auth.resolve import resolve_user
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.drafts.models import Addressee, DraftInput, RouteSpec, StepSpec
from asan.edms.drafts.use_cases import DraftFile, create_draft, send_to_visa
from asan.web.i18n import translate
from tests.e2e.browser import axe, shot, sideways_overflow, viewport_name
from tests.edms.files_support import pdf_with_text

AUTHOR: Final = "demo.it1"
HEAD: Final = "demo.head"  # DEPT-IT-HEAD
REGISTRAR: Final = "demo.clerk"
SIGNATORY: Final = "demo.chairman"  # AGENCY-CHAIRMAN


async def _principal(platform: Platform, username: str) -> Principal:
    rows = await platform.db.read(
        "MATCH (u:User {username: $u}) RETURN u.id AS id", {"u": username}
    )
    found = await resolve_user(platform, rows[0]["id"], today_in_baku().isoformat())
    assert found is not None
    return found


async def _draft_on_visa(platform: Platform, subject: str) -> str:
    author = await _principal(platform, AUTHOR)
    unit = sorted(author.org_units)[0]
    draft = DraftInput(
        kind="outgoing",
        subject=subject,
        unit=unit,
        addressees=(Addressee(kind="org_unit", org_unit=unit),),
        route=RouteSpec(
            steps=(StepSpec(1, "department_head", None, "DEPT-IT-HEAD"),),
            signatory_position="AGENCY-CHAIRMAN",
        ),
    )
    document_id = await create_draft(
        platform,
        author,
        draft,
        file=DraftFile(pdf_with_text("answer"), "answer.pdf", "application/pdf"),
    )
    await send_to_visa(platform, author, document_id)
    return document_id


async def _sign_in_as(page: Page, username: str, target: str) -> None:
    await page.context.clear_cookies()
    await page.goto(f"/en/signin?next={target}")
    await page.get_by_label(translate("en", "signin.username")).fill(username)
    await page.get_by_label(translate("en", "signin.password")).fill(DEMO_PASSWORD)
    async with page.expect_navigation():
        await page.get_by_label(translate("en", "signin.password")).press("Enter")
    assert page.url.endswith(target)


async def test_the_head_approves_with_remarks_from_the_queue_and_the_chairman_signs(
    page: Page, migrated_platform: Platform
) -> None:
    subject = f"Answer draft {viewport_name(page)} {uuid.uuid4().hex[:6]}"
    document_id = await _draft_on_visa(migrated_platform, subject)

    await _sign_in_as(page, HEAD, "/en/approvals")
    item = page.locator(".queue-item").filter(has_text=subject)
    await item.get_by_label(translate("en", "approvals.visa.remarks")).fill("Check the dates.")
    assert await sideways_overflow(page) <= 0
    await axe(page)
    await shot(page, "approvals-queue")
    name = translate("en", "approvals.decision.approve_with_remarks")
    async with page.expect_navigation():
        await item.get_by_role("button", name=name, exact=True).click()
    assert page.url.endswith("/en/approvals")
    assert await page.locator(".queue-item").filter(has_text=subject).count() == 0

    await _sign_in_as(page, REGISTRAR, f"/en/drafts/{document_id}")
    assert "Check the dates." in await page.inner_text("#visas")
    async with page.expect_navigation():
        await page.get_by_role("button", name=translate("en", "approvals.form.accept")).click()
    await page.goto("/en/drafts/new")  # the new-draft form: labels on every row's fields
    assert await sideways_overflow(page) <= 0
    await axe(page)
    await shot(page, "approvals-new-draft")

    await _sign_in_as(page, SIGNATORY, "/en/approvals")
    async with page.expect_navigation():
        await page.get_by_role("link", name=subject).click()
    assert "answer.pdf" in await page.inner_text("#signature")  # what is going to be signed
    assert await sideways_overflow(page) <= 0
    await axe(page)
    async with page.expect_navigation():
        await page.get_by_role("button", name=translate("en", "approvals.sign.submit")).click()
    status = page.locator(".verification")
    assert translate("en", "approvals.verify.ok") in await status.inner_text()
    await axe(page)
    await shot(page, "approvals-draft-signed")
