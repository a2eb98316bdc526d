"""Small PDFs with a text layer for the sample documents, in DejaVu Sans (every Azerbaijani
letter), so extraction, stamps and signatures have something real to work on."""

from __future__ import annotations

from fpdf import FPDF

from asan.edms.files.processing.settings import DEJAVU_SANS


def letter_pdf(title: str, *lines: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.add_font("DejaVuSans", fname=str(DEJAVU_SANS))
    pdf.set_font("DejaVuSans", size=14)
    pdf.multi_cell(0, 8, title)
    pdf.ln(6)
    pdf.set_font("DejaVuSans", size=11)
    for line in lines:
        pdf.multi_cell(0, 6, line)
        pdf.ln(2)
    return bytes(pdf.output())
