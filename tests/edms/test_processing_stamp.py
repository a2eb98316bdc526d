"""The registration stamp: a rendered copy whose text poppler reads back letter for letter.

``pdftotext`` (an independent reader, not the library that wrote the stamp) must return every
Azerbaijani letter of the stamp exactly; the original bytes stay as they were.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from asan.edms.files.processing import (
    CORNERS,
    ExtractionPool,
    ProcessingFailed,
    ProcessingSettings,
    models,
)
from tests.edms.processing_support import LETTER, encrypted_pdf, pdftotext, text_pdf

MALFORMED = Path(__file__).resolve().parents[1] / "data" / "pdf-malformed"
LINES = [
    "ASAN xidmət · Qeydiyyat № INC-2026/000123",
    "Tarix: 30.11.2026, daxil olan sənədlər jurnalı",
    "Hərflər: ə ı İ ş ç ğ ö ü Ə I Ş Ç Ğ Ö Ü",
]


@pytest.fixture(scope="module")
async def pool() -> AsyncIterator[ExtractionPool]:
    async with ExtractionPool(ProcessingSettings(workers=2, timeout_seconds=20)) as started:
        yield started


def words_with_boxes(pdf: bytes) -> list[tuple[str, float, float, float, float]]:
    """(word, x, y, page width, page height) of the first page, y from the top."""
    done = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    html = done.stdout.decode("utf-8")
    page = html.split("<page ", 1)[1]
    width = float(page.split('width="', 1)[1].split('"', 1)[0])
    height = float(page.split('height="', 1)[1].split('"', 1)[0])
    found = []
    for chunk in html.split("<word ")[1:]:
        x = float(chunk.split('xMin="', 1)[1].split('"', 1)[0])
        y = float(chunk.split('yMin="', 1)[1].split('"', 1)[0])
        word = chunk.split(">", 1)[1].split("</word>", 1)[0]
        found.append((word, x, y, width, height))
    return found


async def test_the_stamp_reads_back_exactly_and_the_original_is_untouched(
    pool: ExtractionPool,
) -> None:
    original = text_pdf([LETTER, "İkinci səhifə"])
    digest = hashlib.sha256(original).hexdigest()
    stamped = await pool.stamp(original, LINES, corner="top-right")
    assert hashlib.sha256(original).hexdigest() == digest
    assert stamped != original
    first, second = (
        pdftotext(stamped).split("\f")[0],
        pdftotext(stamped).split("\f")[1],
    )
    for line in LINES:
        assert line in first, (line, first)
        assert line not in second  # the first page only, unless asked
    assert "İkinci səhifə" in second
    assert " ".join(LETTER.split()[:4]) in " ".join(first.split())
    assert len(PdfReader(io.BytesIO(stamped)).pages) == 2


async def test_every_corner_and_every_page(pool: ExtractionPool) -> None:
    original = text_pdf(["Künclər"])
    stamps = await asyncio.gather(
        *(pool.stamp(original, ["Qeydiyyat № 7"], corner=corner) for corner in CORNERS)
    )
    for corner, stamped in zip(CORNERS, stamps, strict=True):
        (box,) = [w for w in words_with_boxes(stamped) if w[0] == "Qeydiyyat"]
        _, x, y, width, height = box
        assert (x > width / 2) == corner.endswith("right"), corner
        assert (y < height / 2) == corner.startswith("top"), corner
    everywhere = await pool.stamp(text_pdf(["1", "2", "3"]), LINES[:1], all_pages=True)
    assert [LINES[0] in page for page in pdftotext(everywhere).split("\f")[:3]] == [True] * 3


async def test_rotated_and_offset_pages_get_the_stamp_in_their_visible_corner(
    pool: ExtractionPool,
) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(["Döndərilmiş səhifə"]))))
    writer.pages[0].rotate(90)
    out = io.BytesIO()
    writer.write(out)
    stamped = await pool.stamp(out.getvalue(), ["Qeydiyyat № 9"], corner="top-right")
    (box,) = [w for w in words_with_boxes(stamped) if w[0] == "Qeydiyyat"]
    _, x, y, width, height = box
    assert width > height  # the page shows in landscape
    assert x > width / 2 and y < height / 2


async def test_what_cannot_be_stamped_says_why(pool: ExtractionPool) -> None:
    plain = text_pdf(["Məxfi"])
    locked = encrypted_pdf(plain, user_password="parol", owner_password="sahib")
    with pytest.raises(ProcessingFailed) as refused:
        await pool.stamp(locked, LINES)
    assert refused.value.message == models.encrypted()
    with pytest.raises(ProcessingFailed) as not_pdf:
        await pool.stamp(b"MZ\x90\x00 not a pdf", LINES)
    assert not_pdf.value.message == models.not_a_pdf()
    with pytest.raises(ProcessingFailed, match="unknown corner"):
        await pool.stamp(plain, LINES, corner="middle")  # type: ignore[arg-type]
    with pytest.raises(ProcessingFailed, match="1 to 12 lines"):
        await pool.stamp(plain, ["   "])


async def test_every_malformed_pdf_is_stamped_or_refused_with_a_reason(
    pool: ExtractionPool,
) -> None:
    files = {path.name: path.read_bytes() for path in sorted(MALFORMED.glob("*.pdf"))}

    async def attempt(name: str, data: bytes) -> str | None:
        try:
            stamped = await pool.stamp(data, ["Qeydiyyat № 1"])
        except ProcessingFailed as failure:
            assert " / " in failure.message, name
            return None
        assert "Qeydiyyat" in pdftotext(stamped), name
        return name

    outcomes = await asyncio.gather(*(attempt(name, data) for name, data in files.items()))
    stamped = [name for name in outcomes if name]
    assert "bad13.pdf" in stamped  # a repairable file gets its stamp
    assert "bad1.pdf" not in stamped  # "oops\n" is no PDF
