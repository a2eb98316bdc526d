"""The registration stamp: a rendered copy of a PDF with a box of text lines in one corner.

The box is drawn by fpdf2 on an overlay page of the target page's size, in DejaVu Sans
embedded as a subset with its ToUnicode map, so every Azerbaijani letter (ə ı İ ş ç ğ ö ü)
both shows and copies out exactly (pdftotext reads it back). pypdf merges the overlay onto a
copy; the original bytes are never modified. Runs in a pool worker like extraction: the
input is an uploaded, possibly hostile PDF.
"""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter, Transformation

from asan.edms.files.processing.extract import Refused, detail, open_pdf, pypdf_notes
from asan.edms.files.processing.models import CORNERS, Corner, ProcessingFailed

MARGIN_PT = 18.0
PADDING_PT = 4.0
LINE_HEIGHT = 1.35  # times the font size
MAX_LINES = 12
MAX_LINE_CHARS = 200
INK = (0, 51, 153)  # the dark blue of a registration stamp


def check_lines(lines: list[str], corner: str) -> list[str]:
    """The stamp's text, cleaned; ProcessingFailed says what is wrong with it."""
    if corner not in CORNERS:
        raise ProcessingFailed(
            f"naməlum künc / unknown corner: {corner} (one of {', '.join(CORNERS)})"
        )
    cleaned = [" ".join(line.split()) for line in lines]
    cleaned = [line for line in cleaned if line]
    if not cleaned or len(cleaned) > MAX_LINES:
        raise ProcessingFailed(
            f"ştampda 1-{MAX_LINES} sətir olmalıdır / a stamp has 1 to {MAX_LINES} lines"
        )
    if any(len(line) > MAX_LINE_CHARS for line in cleaned):
        raise ProcessingFailed(
            f"ştamp sətri {MAX_LINE_CHARS} simvoldan uzundur / a stamp line is longer than "
            f"{MAX_LINE_CHARS} characters"
        )
    return cleaned


def overlay(
    width: float, height: float, lines: list[str], corner: Corner, font: Path, size: float
) -> bytes:
    """A one-page PDF of the given size, empty but for the stamp box in the corner."""
    pdf = FPDF(unit="pt", format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.add_font("DejaVuSans", fname=str(font))
    pdf.set_font("DejaVuSans", size=size)
    pdf.add_page()
    step = size * LINE_HEIGHT
    box_w = max(pdf.get_string_width(line) for line in lines) + 2 * PADDING_PT
    box_h = step * len(lines) + 2 * PADDING_PT - (step - size)
    box_w = min(box_w, width - 2 * MARGIN_PT) if width > 2 * MARGIN_PT + 10 else box_w
    left = MARGIN_PT if corner.endswith("left") else width - MARGIN_PT - box_w
    top = MARGIN_PT if corner.startswith("top") else height - MARGIN_PT - box_h
    pdf.set_draw_color(*INK)
    pdf.set_text_color(*INK)
    pdf.set_line_width(0.8)
    pdf.rect(left, top, box_w, box_h)
    for number, line in enumerate(lines):
        baseline = top + PADDING_PT + size * 0.8 + number * step
        pdf.text(left + PADDING_PT, baseline, line)
    return bytes(pdf.output())


def stamp(
    data: bytes,
    lines: list[str],
    corner: Corner,
    *,
    all_pages: bool,
    font: Path,
    size: float,
) -> bytes:
    cleaned = check_lines(lines, corner)
    with pypdf_notes():
        try:
            reader, _ = open_pdf(data)
        except Refused as refusal:
            raise ProcessingFailed(refusal.message) from refusal
        try:
            writer = PdfWriter(clone_from=reader)
            overlays: dict[tuple[float, float], PdfReader] = {}
            targets = writer.pages if all_pages else writer.pages[:1]
            for page in targets:
                if page.rotation % 360:
                    page.transfer_rotation_to_content()
                box = page.cropbox
                key = (round(float(box.width), 2), round(float(box.height), 2))
                if key not in overlays:
                    rendered = overlay(key[0], key[1], cleaned, corner, font, size)
                    overlays[key] = PdfReader(io.BytesIO(rendered))
                move = Transformation().translate(float(box.left), float(box.bottom))
                page.merge_transformed_page(overlays[key].pages[0], move)
            out = io.BytesIO()
            writer.write(out)
        except (ProcessingFailed, MemoryError):
            raise
        except Exception as error:
            raise ProcessingFailed(
                f"ştamp vurula bilmədi / the stamp could not be made: {detail(error)}"
            ) from error
    return out.getvalue()
