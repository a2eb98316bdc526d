"""Dispatch in a real browser: the records office's registrar (demo.clerk) opens a signed
letter's dispatch page (signing in on the way), writes its mailing list, dispatches it and
finds it in the dispatch register. The letter is made by the test itself (one per viewport),
through the real use cases and state machine, so no other test's data is touched. axe-clean,
screenshots of the mailing list, the register, the dispatch page, the certified copies page
and the public copy check."""

from __future__ import annotations

import uuid
from typing import Final

from playwright.async_api import Page

from asan.auth.demo import DEMO_PASSWORD
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import SYSTEM
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.documents import flows, numbering
from asan.edms.documents import repository as documents_repo
from asan.edms.documents.models import DocumentCard
from asan.edms.documents.use_cases import create_document_in_unit
from asan.edms.files.use_cases import store_file_in_unit
from asan.web.i18n import translate
from tests.e2e.browser import axe, shot, sideways_overflow
from tests.edms.files_support import pdf_with_text

REGISTRAR: Final = "demo.clerk"  # registrar of the document circulation department


async def signed_letter(platform: Platform, subject: str) -> tuple[str, str]:
    """An outgoing letter in status ``signed`` with its file; (id, registration number)."""

    async def work(m: Mutation) -> list[str]:
        card = DocumentCard(kind="outgoing", subject=subject, unit="DEPT-IT")
        doc = await create_document_in_unit(m, card, status="draft")
        for step in ("send_to_visa", "visas_complete", "form_accepted", "sign"):
            await flows.advance(m.tx, doc, step)
        on = today_in_baku()
        number = await numbering.assign_number(m.tx, "OUT", on, unit="DEPT-IT")
        await documents_repo.set_registration(m.tx, doc, "OUT", number, on)
        await store_file_in_unit(
            m,
            doc,
            pdf_with_text("Reply letter"),
            filename="məktub.pdf",
            content_type="application/pdf",
            role="draft",
        )
        return [doc, number.number]

    done = await run_mutation(
        platform, SYSTEM, "edms.document.register", Resource("Document"), work
    )
    return done[0], done[1]


async def test_registrar_dispatches_a_signed_letter_and_finds_it_in_the_register(
    page: Page, migrated_platform: Platform
) -> None:
    subject = f"Məlumat sorğusuna cavab {uuid.uuid4().hex[:6]}"
    doc, number = await signed_letter(migrated_platform, subject)

    await page.goto(f"/en/documents/{doc}/dispatch")
    assert "/en/signin" in page.url
    await page.get_by_label(translate("en", "signin.username")).fill(REGISTRAR)
    await page.get_by_label(translate("en", "signin.password")).fill(DEMO_PASSWORD)
    async with page.expect_navigation():
        await page.get_by_label(translate("en", "signin.password")).press("Enter")
    assert page.url.endswith(f"/en/documents/{doc}/dispatch")
    assert number in await page.inner_text("h1")

    first = page.locator("#line-0")
    await first.get_by_label(translate("en", "dispatch.field.kind"), exact=True).select_option(
        "person"
    )
    await first.get_by_label(translate("en", "dispatch.field.addressee"), exact=True).fill(
        "Əli Həsənov"
    )
    await first.get_by_label(translate("en", "dispatch.field.method"), exact=True).select_option(
        "post"
    )
    await first.get_by_label(translate("en", "dispatch.field.address"), exact=True).fill(
        "Bakı, Nizami 5"
    )
    assert await sideways_overflow(page) <= 0
    await axe(page)
    await shot(page, "dispatch-mailing-list")
    async with page.expect_navigation():
        await page.get_by_role("button", name=translate("en", "dispatch.mailing.save")).click()
    assert await page.locator("#addressee-0").input_value() == "Əli Həsənov"

    async with page.expect_navigation():
        await page.get_by_role("button", name=translate("en", "dispatch.send.submit")).click()
    register = page.locator("#register")
    assert translate("en", "dispatch.status.sent") in await register.inner_text()
    assert (
        await page.get_by_role("button", name=translate("en", "dispatch.send.submit")).count() == 0
    )
    await axe(page)
    await shot(page, "dispatch-document-register")

    await page.goto("/en/dispatch?method=post")
    row = page.get_by_role("row").filter(has_text=number)
    assert await row.count() == 1
    assert "Əli Həsənov" in await row.inner_text()
    assert await sideways_overflow(page) <= 0
    await axe(page)
    await shot(page, "dispatch-register")

    await page.goto(f"/en/copies?q={number}")
    assert (
        await page.get_by_role(
            "button", name=translate("en", "dispatch.copies.certify", name="məktub.pdf")
        ).count()
        == 1
    )
    assert await sideways_overflow(page) <= 0
    await axe(page)
    await shot(page, "dispatch-copies")
    await page.goto("/en/copies/verify?code=SC-AAAA-BBBB-CCCC-DDDD")
    assert translate("en", "dispatch.verify.invalid") in await page.inner_text("main")
    await axe(page)
    await shot(page, "dispatch-copy-check")
