"""PDFs and images the processing tests make themselves, from known text.

Everything is generated with the same tools a sender would use (fpdf2 with DejaVu Sans,
poppler's pdftoppm for a "scan", pypdf for encryption), so the tests know exactly what the
text is and can compare what comes back.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
import zlib
from pathlib import Path

from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, StreamObject

from asan.edms.files.processing.settings import DEJAVU_SANS

LETTER = (
    "Azərbaycan Respublikasının Prezidenti yanında Vətəndaşlara Xidmət və Sosial "
    "İnnovasiyalar üzrə Dövlət Agentliyi müraciətinizə baxmış və qərar qəbul etmişdir. "
    "Şəhər, çay, göz, üzüm, ağac, İsmayıllı, ışıq, Gəncə, Şuşa."
)


A4 = (595.0, 842.0)
A5 = (420.0, 595.0)
A6 = (298.0, 420.0)


def text_pdf(pages: list[str], *, size: float = 14, paper: tuple[float, float] = A4) -> bytes:
    """A PDF with a real text layer in DejaVu Sans, one string per page."""
    pdf = FPDF(unit="pt", format=paper)
    pdf.add_font("DejaVuSans", fname=str(DEJAVU_SANS))
    pdf.set_font("DejaVuSans", size=size)
    for text in pages:
        pdf.add_page()
        pdf.set_xy(36, 48)
        pdf.multi_cell(pdf.w - 72, size * 1.5, text)
    return bytes(pdf.output())


def rasterise(pdf: bytes, *, dpi: int = 200) -> list[bytes]:
    """Every page as a grey PNG, as a scanner would deliver it."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), str(Path(tmp) / "p")],
            check=True,
        )
        return [path.read_bytes() for path in sorted(Path(tmp).glob("p-*.png"))]


def scanned_pdf(pages: list[str], *, dpi: int = 200, paper: tuple[float, float] = A4) -> bytes:
    """An image-only PDF (no text layer) of the given text, like a scan of a paper letter."""
    rendered = rasterise(text_pdf(pages, paper=paper), dpi=dpi)
    images = [Image.open(io.BytesIO(png)) for png in rendered]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


def merged(*pdfs: bytes) -> bytes:
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf(pdf: bytes, *, user_password: str, owner_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _page_with_content(writer: PdfWriter, content: bytes) -> None:
    page = writer.add_blank_page(595, 842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = StreamObject()
    stream._data = zlib.compress(content, 9)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)


def slow_pdf(pages: int = 6, operations: int = 60_000) -> bytes:
    """A small file whose text takes pypdf many seconds: thousands of text operators a page."""
    writer = PdfWriter()
    for _ in range(pages):
        _page_with_content(
            writer, b"BT /F1 12 Tf 10 10 Td " + b"(abc) Tj 0 1 Td " * operations + b"ET"
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def bomb_pdf(size: int = 70_000_000) -> bytes:
    """A 70 KB file whose content stream inflates to ``size`` bytes (under pypdf's own cap)."""
    writer = PdfWriter()
    _page_with_content(writer, b"BT /F1 12 Tf (a) Tj ET\n%" + b" " * size + b"\n")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdftotext(pdf: bytes) -> str:
    """Poppler's reading of a PDF: an independent check of what a viewer would copy out."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


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
