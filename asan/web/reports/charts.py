"""A report's bar chart as geometry for a server-rendered SVG (no script, no chart library).

Horizontal bars, one per row (stacked by series), so long unit and centre names fit on a
phone: the name is written above its bar. Each series has a colour AND a pattern (plain,
stripes, dots, cross-hatch), the legend names it in words, every segment carries its number
in a ``<title>``, and ``description`` says every bar's figures in one sentence for a screen
reader; the table under the chart has the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from asan.edms.reports.models import Chart, Table

WIDTH: Final = 400  # viewBox units; the SVG scales to its container (CSS caps it)
LABEL_WIDTH: Final = 0  # names sit above the bars, so the bars take the whole width
BAR_AREA: Final = 350  # the longest bar; its total is written after it
ROW_HEIGHT: Final = 42
BAR_HEIGHT: Final = 18
LABEL_BASELINE: Final = 14
MAX_BARS: Final = 25  # as the PDF: the largest rows; the table lists every row
MAX_LABEL_CHARS: Final = 52
# colour (AA against white text and against the page) and pattern per series, in order
STYLES: Final = (
    ("#1e6b2f", "solid"),
    ("#8a5a00", "stripes"),
    ("#a4161a", "dots"),
    ("#4a4a4a", "hatch"),
    ("#0b4f8a", "solid"),
    ("#6a1b9a", "stripes"),
)

Cell = str | int | float | None


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str
    pattern: str
    fill: str  # the SVG fill: a colour or url(#pattern)


@dataclass(frozen=True)
class Segment:
    series: Series
    value: int | float
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    label: str
    total: int | float
    y: int  # top of the bar's row (the name's line)
    segments: tuple[Segment, ...]
    end: float  # where the total is written


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    series: tuple[Series, ...]
    bars: tuple[Bar, ...]
    height: int
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT
    label_baseline: int = LABEL_BASELINE


def _number(value: Cell) -> int | float:
    return value if isinstance(value, int | float) else 0


def _shown(value: int | float) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _cut(text: str) -> str:
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1] + "…"


def bar_chart(
    chart_id: str,
    table: Table,
    chart: Chart,
    *,
    title: str,
    series_label: Callable[[str], str],
    cell_text: Callable[[Cell], str],
) -> BarChart:
    """The chart of ``table`` (the chart's own rows, else the table's ``chart_rows`` when it
    has them, else its rows), largest rows first unless the chart keeps its order (months)."""
    rows: Sequence[dict[str, Cell]] = chart.rows or (
        table.chart_rows if table.chart_rows is not None else table.rows
    )
    series = tuple(
        Series(
            key,
            series_label(key),
            colour,
            pattern,
            colour if pattern == "solid" else f"url(#{chart_id}-{key})",
        )
        for key, (colour, pattern) in zip(chart.series, STYLES, strict=False)
    )

    def total(row: dict[str, Cell]) -> int | float:
        return sum(_number(row.get(s.key)) for s in series)

    largest = list(rows if chart.in_order else sorted(rows, key=total, reverse=True))[:MAX_BARS]
    peak = max((total(r) for r in largest), default=0) or 1
    bars: list[Bar] = []
    for index, row in enumerate(largest):
        x = float(LABEL_WIDTH)
        segments: list[Segment] = []
        for s in series:
            value = _number(row.get(s.key))
            width = BAR_AREA * value / peak
            if value:
                segments.append(Segment(s, value, round(x, 2), round(width, 2)))
            x += width
        label = _cut(cell_text(row.get(chart.label)))
        bars.append(Bar(label, total(row), index * ROW_HEIGHT, tuple(segments), round(x, 2)))
    description = "; ".join(
        f"{bar.label}: "
        + ", ".join(f"{seg.series.label} {_shown(seg.value)}" for seg in bar.segments)
        if bar.segments
        else f"{bar.label}: 0"
        for bar in bars
    )
    return BarChart(
        chart_id,
        title,
        description,
        series,
        tuple(bars),
        height=max(1, len(bars)) * ROW_HEIGHT + 4,
    )


__all__ = ["Bar", "BarChart", "Segment", "Series", "bar_chart"]
