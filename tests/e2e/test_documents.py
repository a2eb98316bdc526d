"""A registrar registers an incoming document in the browser with its scan (chosen in the
ordinary file input), then drops a second file on the document's page (a DataTransfer drop, the
XHR progress bar reaching 100 %, the list refreshed in place); the head writes a resolution on
a document registered the same way. axe-clean, screenshots."""

from __future__ import annotations

import base64
import uuid
from pathlib import Path
from typing import Final

import pytest
from playwright.async_api import Page

from asan.auth.demo import DEMO_PASSWORD
from asan.web.i18n import translate
from tests.e2e.browser import axe, shot, sideways_overflow
from tests.edms.files_support import pdf_with_text

REGISTRAR: Final = "demo.clerk"
HEAD: Final = "demo.head"  # head of DEPT-IT
EXECUTOR: Final = "demo.it1"

DROP: Final = """async ([data, name]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const files = new DataTransfer();
  files.items.add(new File([bytes], name, { type: "application/pdf" }));
  const zone = document.querySelector("#upload-form [data-dropzone]");
  const drop = { dataTransfer: files, bubbles: true, cancelable: true };
  zone.dispatchEvent(new DragEvent("drop", drop));
}"""
UPLOADED: Final = """(name) => {
  const bar = document.getElementById("upload-file-progress");
  const list = document.getElementById("files-list");
  return bar !== null && bar.value === 100 && list !== null && list.textContent.includes(name);
}"""


def t(key: str, **values: object) -> str:
    return translate("en", key, **values)


async def sign_in(page: Page, username: str, then: str) -> None:
    await page.goto(f"/en/signin?next={then}")
    await page.get_by_label(t("signin.username")).fill(username)
    await page.get_by_label(t("signin.password")).fill(DEMO_PASSWORD)
    async with page.expect_navigation():
        await page.get_by_label(t("signin.password")).press("Enter")
    assert page.url.endswith(then)


async def register(page: Page, subject: str, scan: Path | None = None) -> str:
    """Fill the card (and choose the scan) on /en/documents/new; the document page's path."""
    await page.get_by_label(t("documents.field.subject"), exact=True).fill(subject)
    await page.get_by_label(t("documents.field.unit"), exact=True).fill("DEPT-IT")
    await page.get_by_label(t("documents.field.channel"), exact=True).select_option("mail")
    await page.get_by_label(t("documents.field.correspondentKind"), exact=True).select_option(
        "organisation"
    )
    await page.get_by_label(t("documents.field.correspondentName"), exact=True).fill("Nümunə MMC")
    await page.get_by_label(t("documents.field.pages"), exact=True).fill("2")
    if scan is not None:
        await page.get_by_label(t("documents.upload.label")).set_input_files(str(scan))
    async with page.expect_navigation(url="**/en/documents/*"):
        await page.get_by_role("button", name=t("documents.new.submit")).click()
    return page.url


async def test_a_registrar_registers_a_document_and_drops_a_file(
    page: Page, tmp_path: Path
) -> None:
    await sign_in(page, REGISTRAR, "/en/documents/new")
    assert await page.inner_text("h1") == t("documents.new.title")
    assert await sideways_overflow(page) <= 0
    await axe(page)
    await shot(page, "documents-new")

    scan = tmp_path / "skan-məktub.pdf"
    scan.write_bytes(pdf_with_text("scan"))
    subject = f"Sorğu məktubu {uuid.uuid4().hex[:8]}"
    await register(page, subject, scan)
    main = await page.inner_text("main")
    assert subject in main and "skan-məktub.pdf" in main

    dropped = f"əlavə-{uuid.uuid4().hex[:6]}.pdf"
    data = base64.b64encode(pdf_with_text("attachment", padding=200_000)).decode()
    # over the page's limit (lowered here to 100 KB): refused in the browser, nothing sent
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    limit = await page.get_attribute("#upload-form", "data-max-bytes")
    await page.eval_on_selector("#upload-form", "f => f.setAttribute('data-max-bytes', '100000')")
    await page.evaluate(DROP, [data, dropped])
    assert await page.is_visible("#upload-form [data-too-large]")
    assert sent == [] and dropped not in await page.inner_text("#files-list")
    await page.eval_on_selector(
        "#upload-form", "(f, limit) => f.setAttribute('data-max-bytes', limit)", limit
    )
    await page.evaluate(DROP, [data, dropped])
    await page.wait_for_function(UPLOADED, arg=dropped, timeout=15_000)
    assert t("documents.upload.done") in await page.inner_text("#upload-form")
    assert not await page.is_visible("#upload-form [data-too-large]")
    await page.reload()  # the file is stored, not only shown
    assert dropped in await page.inner_text("#files-list")
    assert await sideways_overflow(page) <= 0
    await axe(page)
    await shot(page, "documents-document")


@pytest.mark.parametrize("page", ["desktop"], indirect=True)
async def test_the_head_writes_a_resolution(page: Page) -> None:
    await sign_in(page, REGISTRAR, "/en/documents/new")
    subject = f"Dərkənar üçün məktub {uuid.uuid4().hex[:8]}"
    document = await register(page, subject)

    await page.context.clear_cookies()  # the head at their own desk
    path = document.split("://", 1)[-1].split("/", 1)[-1]
    await sign_in(page, HEAD, f"/{path}")
    form = page.locator("#resolution-form")
    await axe(page)  # the document's page with the resolution form
    await form.get_by_label(t("documents.resolution.mainExecutor")).fill(EXECUTOR)
    instruction = "Araşdırın və cavab layihəsi hazırlayın."
    await form.get_by_label(t("documents.resolution.instruction")).fill(instruction)
    await form.get_by_label(t("documents.resolution.workingDays")).fill("3")
    async with page.expect_navigation():
        await form.get_by_role("button", name=t("documents.resolution.submit")).click()
    resolutions = await page.inner_text("main")
    assert instruction in resolutions
    assert await page.locator("#resolution-form").count() == 0  # in execution now
    await axe(page)
    await shot(page, "documents-resolution")
