"""Reports as downloads: CSV for spreadsheets, PDF (with bar charts) for people.

The PDF is drawn with fpdf2 in DejaVu Sans, which has every Azerbaijani letter (ə, ğ, ı, İ, ö,
ş, ü, ç); the bars are plain rectangles, so no plotting library is needed to read the figures
at a glance. CSV cells a spreadsheet would evaluate get a leading quote, as in the catalog's
exports.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from fpdf import FPDF

from asan.edms.reports.models import Chart, Table
from asan.edms.reports.settings import report_settings
from asan.registry.catalog.bulk.shapes import escape_formula

FONT = "DejaVu"
# one colour per series, distinguishable in greyscale print too
PALETTE: tuple[tuple[int, int, int], ...] = (
    (46, 125, 50),
    (249, 168, 37),
    (198, 40, 40),
    (120, 144, 156),
    (21, 101, 192),
    (106, 27, 154),
)
MAX_BARS = 25  # a chart shows the largest rows; the table below lists every row
MAX_COLUMN = 110.0  # mm: a longer cell is cut with an ellipsis (the CSV has it whole)


def to_csv(table: Table) -> bytes:
    """UTF-8 with a BOM (spreadsheets then read Azerbaijani letters right), one header line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for _, header in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(row.get(key)) for key, _ in table.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_cell(value: str | int | float | None) -> str:
    if value is None:
        return ""
    return escape_formula(value) if isinstance(value, str) else str(value)


def _text(value: str | int | float | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


class _Pdf(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        fonts = Path(report_settings().font_dir)
        self.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_creator("ASAN xidmət EDMS")
        self.set_auto_page_break(auto=False)
        self.set_margins(12, 12, 12)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FONT, "", 7)
        self.cell(0, 5, f"{self.page_no()}", align="R")


def to_pdf(table: Table) -> bytes:
    pdf = _Pdf(table.title)
    pdf.add_page()
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(0, 7, table.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(0, 5, table.subtitle, new_x="LMARGIN", new_y="NEXT")
    if table.generated is not None:
        pdf.multi_cell(
            0,
            5,
            f"Tarix / Generated: {table.generated.isoformat()}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(2)
    for chart in table.charts:
        _chart(pdf, table, chart)
    _rows(pdf, table)
    for note in table.notes:
        pdf.set_font(FONT, "", 8)
        pdf.multi_cell(0, 4, note, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _chart(pdf: _Pdf, table: Table, chart: Chart) -> None:
    source = chart.rows or (table.chart_rows if table.chart_rows is not None else table.rows)
    if chart.in_order:  # months in time, the empty ones too (a month without appeals is news)
        rows = list(source)[:MAX_BARS] if any(_total(r, chart) for r in source) else []
    else:
        rows = [r for r in source if _total(r, chart) > 0]
        rows = sorted(rows, key=lambda r: -_total(r, chart))[:MAX_BARS]
    bar, gap, label_w = 5.0, 1.5, 70.0
    needed = 14 + len(rows) * (bar + gap)
    if pdf.get_y() + needed > pdf.h - 15:
        pdf.add_page()
    pdf.set_font(FONT, "B", 10)
    pdf.cell(0, 6, chart.title, new_x="LMARGIN", new_y="NEXT")
    _legend(pdf, table, chart)
    if not rows:
        pdf.set_font(FONT, "", 9)
        pdf.cell(0, 6, "Məlumat yoxdur / No data", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        return
    width = pdf.w - pdf.l_margin - pdf.r_margin - label_w - 15
    top = max(_total(r, chart) for r in rows)
    y = pdf.get_y() + 1
    pdf.set_font(FONT, "", 7)
    for row in rows:
        x = pdf.l_margin
        pdf.set_xy(x, y)
        pdf.cell(label_w - 2, bar, _text(row.get(chart.label))[:48], align="R")
        x += label_w
        offset = 0.0
        for i, key in enumerate(chart.series):
            value = _number(row.get(key))
            length = width * value / top
            if length > 0:
                pdf.set_fill_color(*PALETTE[i % len(PALETTE)])
                pdf.rect(x + offset, y, length, bar, style="F")
            offset += length if chart.stacked else 0
        pdf.set_xy(x + offset + 1, y)
        total = _total(row, chart)
        pdf.cell(14, bar, _text(int(total) if total.is_integer() else total))
        y += bar + gap
    pdf.set_xy(pdf.l_margin, y + 2)


def _legend(pdf: _Pdf, table: Table, chart: Chart) -> None:
    headers = dict(table.columns)
    pdf.set_font(FONT, "", 8)
    x = pdf.l_margin
    y = pdf.get_y()
    for i, key in enumerate(chart.series):
        pdf.set_fill_color(*PALETTE[i % len(PALETTE)])
        pdf.rect(x, y + 1, 3, 3, style="F")
        label = headers.get(key, key)
        pdf.set_xy(x + 4, y)
        pdf.cell(pdf.get_string_width(label) + 2, 5, label)
        x += pdf.get_string_width(label) + 10
    pdf.set_xy(pdf.l_margin, y + 6)


def _widths(pdf: _Pdf, table: Table) -> list[float]:
    """Each column as wide as its longest cell (at most MAX_COLUMN), scaled to the page."""
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(FONT, "B", 7.5)
    wanted = [pdf.get_string_width(title) + 3 for _, title in table.columns]
    pdf.set_font(FONT, "", 7.5)
    for row in table.rows[:500]:
        for i, (key, _) in enumerate(table.columns):
            wanted[i] = max(wanted[i], pdf.get_string_width(_text(row.get(key))) + 3)
    wanted = [min(w, MAX_COLUMN) for w in wanted]
    scale = usable / sum(wanted)
    return [w * scale for w in wanted]


def _fit(pdf: _Pdf, text: str, width: float) -> str:
    if pdf.get_string_width(text) <= width - 2:
        return text
    while text and pdf.get_string_width(text + "…") > width - 2:
        text = text[:-1]
    return text + "…"


def _rows(pdf: _Pdf, table: Table) -> None:
    widths = _widths(pdf, table)

    def header() -> None:
        pdf.set_font(FONT, "B", 7.5)
        pdf.set_fill_color(230, 230, 230)
        for (_, title), w in zip(table.columns, widths, strict=True):
            pdf.cell(w, 6, _fit(pdf, title, w), border=1, fill=True)
        pdf.ln(6)
        pdf.set_font(FONT, "", 7.5)

    if pdf.get_y() + 20 > pdf.h - 15:
        pdf.add_page()
    header()
    for row in table.rows:
        if pdf.get_y() + 5 > pdf.h - 15:
            pdf.add_page()
            header()
        for (key, _), w in zip(table.columns, widths, strict=True):
            value = row.get(key)
            align = "R" if isinstance(value, int | float) else "L"
            pdf.cell(w, 5, _fit(pdf, _text(value), w), border=1, align=align)
        pdf.ln(5)
    pdf.ln(3)


def _number(value: str | int | float | None) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _total(row: dict[str, str | int | float | None], chart: Chart) -> float:
    values = [_number(row.get(key)) for key in chart.series]
    return sum(values) if chart.stacked else max(values, default=0.0)
