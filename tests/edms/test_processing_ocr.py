"""OCR in the pool: scans rendered from known Azerbaijani text come back as that text.

Real tesseract (``aze+eng``) and pdftoppm in real workers; the scans are made here from
DejaVu-rendered text, so the expected text is known exactly. The character error rate is
allowed a margin (tesseract is a model), the structure (pages, method, searchable copy) none.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator

import pytest
from PIL import Image

from asan.edms.files.processing import ExtractionPool, ProcessingSettings, models
from tests.edms.processing_support import (
    A5,
    A6,
    LETTER,
    levenshtein,
    merged,
    normalised,
    page_count,
    pdftotext,
    rasterise,
    scanned_pdf,
    text_pdf,
)

MAX_CER = 0.05
SECOND = "Cavab məktubu: ərizəniz qeydə alınıb, İcraçı: Şəfiqə Əliyeva."
THIRD = "Üçüncü vərəq: Göyçay, Ağdaş, Ucar; müddət 15 iş günü."


def cer(found: str, expected: str) -> float:
    return levenshtein(normalised(found), normalised(expected)) / len(normalised(expected))


@pytest.fixture(scope="module")
async def pool() -> AsyncIterator[ExtractionPool]:
    async with ExtractionPool(ProcessingSettings(workers=2, ocr_dpi=200)) as started:
        yield started


async def test_scans_and_images_are_ocred_into_text_and_a_searchable_pdf(
    pool: ExtractionPool,
) -> None:
    scan = scanned_pdf([LETTER, SECOND], paper=A5)
    assert normalised(pdftotext(scan)) == ""  # no text layer at all: a scan
    frames = [Image.open(io.BytesIO(png)) for png in rasterise(text_pdf([SECOND, THIRD], paper=A6))]
    tiff = io.BytesIO()
    frames[0].save(tiff, "TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw")
    from_pdf, from_tiff = await asyncio.gather(
        pool.extract(scan, "application/pdf"), pool.extract(tiff.getvalue(), "image/tiff")
    )

    assert from_pdf.refused is None and from_pdf.method == models.OCR
    assert from_pdf.pages == 2 and len(from_pdf.page_texts) == 2
    assert cer(from_pdf.page_texts[0], LETTER) <= MAX_CER, from_pdf.page_texts[0]
    assert cer(from_pdf.page_texts[1], SECOND) <= MAX_CER, from_pdf.page_texts[1]
    assert from_pdf.searchable_pdf is not None
    assert page_count(from_pdf.searchable_pdf) == 2
    searchable = normalised(pdftotext(from_pdf.searchable_pdf))
    for word in ("Azərbaycan", "İnnovasiyalar", "Şəfiqə"):
        assert word in searchable

    # a multi-page TIFF, as fax and scanner software send them: one page per frame
    assert from_tiff.method == models.OCR and from_tiff.pages == 2
    assert cer(from_tiff.page_texts[0], SECOND) <= MAX_CER, from_tiff.page_texts[0]
    assert cer(from_tiff.page_texts[1], THIRD) <= MAX_CER, from_tiff.page_texts[1]
    assert from_tiff.searchable_pdf is not None and page_count(from_tiff.searchable_pdf) == 2


async def test_only_pages_without_a_text_layer_are_ocred(pool: ExtractionPool) -> None:
    typed = "Birinci səhifə yazılıdır: qeydiyyat kartı, İ ı ə."
    mixed = merged(text_pdf([typed]), scanned_pdf([SECOND], paper=A6))
    result = await pool.extract(mixed, "application/pdf")
    assert result.method == models.MIXED
    assert result.page_texts[0] == typed  # the text layer, untouched by OCR
    assert cer(result.page_texts[1], SECOND) <= MAX_CER
    assert result.searchable_pdf is not None
    assert page_count(result.searchable_pdf) == 2
    copied = normalised(pdftotext(result.searchable_pdf))
    assert typed in copied and "Şəfiqə" in copied
