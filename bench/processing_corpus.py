"""Known Azerbaijani text for the processing benchmarks, rendered the way senders do.

The text is the agency's own regulations (``data/asan-regulations.az.txt``): real
Azerbaijani with every letter of the alphabet, legal vocabulary and numbers. Pages are laid
out by fpdf2 in DejaVu Sans and, for scans, rasterised by poppler's pdftoppm.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

from fpdf import FPDF
from PIL import Image

from asan.core.settings import PROJECT_ROOT
from asan.edms.files.processing.settings import DEJAVU_SANS

SOURCE = PROJECT_ROOT / "data" / "asan-regulations.az.txt"
A4 = (595.0, 842.0)


def paragraphs() -> list[str]:
    text = SOURCE.read_text(encoding="utf-8").replace("**", "")
    return [" ".join(p.split()) for p in text.split("\n\n") if len(p.split()) >= 8]


def page_texts(count: int, chars: int, offset: int = 0) -> list[str]:
    """``count`` page texts of about ``chars`` characters each, from consecutive paragraphs."""
    source = paragraphs()
    pages: list[str] = []
    index = offset
    while len(pages) < count:
        page = ""
        while len(page) < chars:
            page += ("\n" if page else "") + source[index % len(source)]
            index += 1
        pages.append(page[: chars + 200])
    return pages


def text_pdf(pages: list[str], *, size: float = 11) -> bytes:
    pdf = FPDF(unit="pt", format=A4)
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVuSans", fname=str(DEJAVU_SANS))
    pdf.set_font("DejaVuSans", size=size)
    for text in pages:
        pdf.add_page()
        pdf.set_xy(56, 56)
        pdf.multi_cell(A4[0] - 112, size * 1.4, text)
    return bytes(pdf.output())


def rasterise(pdf: bytes, dpi: int) -> list[bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), str(Path(tmp) / "p")],
            check=True,
        )
        return [path.read_bytes() for path in sorted(Path(tmp).glob("p-*.png"))]


def scanned_pdf(pages: list[str], *, dpi: int, size: float = 11) -> bytes:
    """An image-only PDF: what a scanner at ``dpi`` makes of the typed pages."""
    images = [Image.open(io.BytesIO(png)) for png in rasterise(text_pdf(pages, size=size), dpi)]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def normalised(text: str) -> str:
    return " ".join(text.split())
