"""Text extraction in the worker pool: real pypdf in real worker processes, real limits.

The 93 damaged PDFs of qpdf's test suite (tests/data/pdf-malformed) all go through one pool
at once; each must end in a clear outcome (refused with a reason, or kept with text or with
a warning), and the pool must still work afterwards. The limits are exercised with inputs
that really exceed them (a file pypdf needs many seconds for, an inflating content stream),
not with a stand-in.
"""

from __future__ import annotations

import ast
import asyncio
import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from asan.edms.files import processing
from asan.edms.files.processing import ExtractionPool, ProcessingSettings, models
from tests.edms.processing_support import (
    LETTER,
    bomb_pdf,
    encrypted_pdf,
    scanned_pdf,
    slow_pdf,
    text_pdf,
)

MALFORMED = Path(__file__).resolve().parents[1] / "data" / "pdf-malformed"
BILINGUAL = " / "


@pytest.fixture(scope="module")
async def pool() -> AsyncIterator[ExtractionPool]:
    # small limits keep the corpus fast; OCR at a low resolution still runs for pages
    # without text, as in production
    settings = ProcessingSettings(workers=2, timeout_seconds=20, ocr_dpi=50, memory_mb=512)
    async with ExtractionPool(settings) as started:
        yield started


async def test_every_malformed_pdf_ends_refused_with_a_reason_or_kept_with_text_or_a_warning(
    pool: ExtractionPool,
) -> None:
    files = sorted(MALFORMED.glob("*.pdf"))
    assert len(files) == 93
    workers_before = len(pool.pids)
    outcomes = await asyncio.gather(
        *(pool.extract(f.read_bytes(), "application/pdf") for f in files)
    )
    refused = {f.name: o.refused for f, o in zip(files, outcomes, strict=True) if o.refused}
    kept = {f.name: o for f, o in zip(files, outcomes, strict=True) if not o.refused}
    for name, reason in refused.items():
        assert BILINGUAL in reason and len(reason) > 20, name
    for name, outcome in kept.items():
        assert outcome.pages >= 1, name
        if not outcome.has_text:
            assert outcome.warnings, f"{name}: kept without text and without a warning"
            assert outcome.method == models.NONE
        else:
            assert outcome.method != models.NONE
    # the corpus has both kinds: a header-less file is refused, a repairable one is kept
    assert refused["bad1.pdf"] == models.not_a_pdf()
    assert "potato" in kept["bad13.pdf"].text.lower()
    assert any(w.startswith("PDF zədələnib") for w in kept["bad13.pdf"].warnings)
    # pypdf reads bad10.pdf without a word; qpdf --check names the damage
    (note,) = kept["bad10.pdf"].warnings
    assert note.startswith("PDF zədələnib") and "/Size key" in note
    assert "FileNotDecrypted" not in str(refused)
    assert len(pool.pids) == workers_before
    after = await pool.extract(text_pdf(["İşlək hovuz"]), "application/pdf")
    assert "İşlək hovuz" in after.text


async def test_text_of_an_azerbaijani_pdf_comes_from_its_text_layer(pool: ExtractionPool) -> None:
    pages = [LETTER, "İkinci səhifə: ğ ı İ ö ü ş ç ə"]
    data = text_pdf(pages)
    digest = hashlib.sha256(data).hexdigest()
    result = await pool.extract(data, "application/pdf")
    assert result.refused is None
    assert result.method == models.PYPDF
    assert result.pages == 2
    assert result.searchable_pdf is None
    assert " ".join(result.page_texts[0].split()) == LETTER
    assert result.page_texts[1] == pages[1]
    assert result.text.split("\f") == list(result.page_texts)
    assert hashlib.sha256(data).hexdigest() == digest


async def test_encrypted_pdfs(pool: ExtractionPool) -> None:
    plain = text_pdf(["Məxfi sənəd"])
    locked = encrypted_pdf(plain, user_password="gizli-parol", owner_password="sahib")
    refused = await pool.extract(locked, "application/pdf")
    assert refused.refused == models.encrypted()
    assert refused.text == ""
    # only an owner password: any viewer opens it, so the text is kept, with a note
    owner_only = encrypted_pdf(plain, user_password="", owner_password="sahib")
    opened = await pool.extract(owner_only, "application/pdf")
    assert opened.refused is None
    assert "Məxfi sənəd" in opened.text
    assert models.empty_password() in opened.warnings


async def test_disguised_and_other_types(pool: ExtractionPool) -> None:
    executable = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run"
    disguised = await pool.extract(executable, "application/pdf")
    assert disguised.refused == models.not_a_pdf()
    text = await pool.extract("Salam, dünya! İ ı".encode(), "text/plain; charset=utf-8")
    assert (text.text, text.method) == ("Salam, dünya! İ ı", models.PLAIN)
    other = await pool.extract(b"PK\x03\x04rest", "application/zip")
    assert other.refused is None and other.text == ""
    assert other.warnings == (models.unsupported("application/zip"),)
    broken_image = await pool.extract(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png")
    assert broken_image.refused is not None
    assert broken_image.refused.startswith("şəkil oxuna bilmir")


@pytest.fixture(scope="module")
async def limited() -> AsyncIterator[ExtractionPool]:
    settings = ProcessingSettings(workers=1, timeout_seconds=3, memory_mb=48, ocr_enabled=False)
    async with ExtractionPool(settings) as started:
        yield started


async def test_a_file_over_the_time_limit_costs_one_worker_which_is_replaced(
    limited: ExtractionPool,
) -> None:
    (first,) = limited.pids
    replaced = limited.replaced
    result = await limited.extract(slow_pdf(), "application/pdf")  # ~15 s of pypdf here
    assert result.refused == models.timed_out(3)
    assert limited.replaced == replaced + 1
    after = await limited.extract(text_pdf(["Yenə işləyir"]), "application/pdf")
    assert "Yenə işləyir" in after.text
    (second,) = limited.pids
    assert second != first
    with pytest.raises(ProcessLookupError):
        os.kill(first, 0)  # killed and reaped, not left running


async def test_a_file_over_the_memory_limit_is_refused_and_the_worker_replaced(
    limited: ExtractionPool,
) -> None:
    (first,) = limited.pids
    replaced = limited.replaced
    result = await limited.extract(bomb_pdf(40_000_000), "application/pdf")
    assert result.refused == models.out_of_memory(48)
    assert limited.replaced == replaced + 1
    after = await limited.extract(text_pdf(["Yaddaş yenidən boşdur"]), "application/pdf")
    assert "Yaddaş yenidən boşdur" in after.text
    assert limited.pids != [first]


async def test_without_ocr_a_scan_is_kept_without_text_and_says_why(
    limited: ExtractionPool,
) -> None:
    result = await limited.extract(
        scanned_pdf(["Skan, mətn qatı yoxdur"], dpi=72), "application/pdf"
    )
    assert result.refused is None and result.text == "" and result.pages == 1
    assert result.warnings == (models.ocr_disabled(), models.no_text())


def test_the_processing_package_imports_nothing_else_from_asan() -> None:
    """Workers import only this package (pool.BOOTSTRAP): anything more would fail there."""
    package = Path(processing.__file__).parent
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                if name.startswith("asan"):
                    assert name.startswith("asan.edms.files.processing"), (path.name, name)


async def test_a_caller_cancelled_mid_job_costs_its_worker_not_the_pool(
    limited: ExtractionPool,
) -> None:
    replaced = limited.replaced
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(limited.extract(slow_pdf(), "application/pdf"), 0.5)
    assert limited.replaced == replaced + 1
    after = await limited.extract(text_pdf(["Ləğv edildi, hovuz işləyir"]), "application/pdf")
    assert "Ləğv edildi, hovuz işləyir" in after.text
