"""Report rows as plain values, and the table shape every download (CSV, PDF) is made from.

A GraphQL query returns the rows; the HTTP downloads render the same rows through ``Table``,
so a CSV, a PDF and the API never disagree about a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class DisciplineRow:
    """Execution discipline of one unit: its execution tasks due in the period."""

    unit: str
    unit_name: str | None
    total: int
    on_time: int  # reported on or before the deadline
    late: int  # reported after the deadline
    overdue: int  # not reported and the deadline has passed
    pending: int  # not reported, deadline still ahead

    @property
    def on_time_percent(self) -> float:
        done = self.on_time + self.late + self.overdue
        return round(100.0 * self.on_time / done, 1) if done else 100.0


@dataclass(frozen=True)
class AppealMonthRow:
    """Incoming appeals of one month through one ASAN centre (or one other channel)."""

    month: int
    channel: str
    centre: str | None  # AsanCentre code, for channel asan_centre
    centre_name: str | None
    proposals: int
    applications: int
    complaints: int

    @property
    def total(self) -> int:
        return self.proposals + self.applications + self.complaints


@dataclass(frozen=True)
class JournalSummaryRow:
    journal: str
    name_az: str
    registered: int


@dataclass(frozen=True)
class AnnualSummary:
    """The year's record keeping: registrations per journal, control and appeal outcomes."""

    year: int
    journals: list[JournalSummaryRow]
    tasks: DisciplineRow  # every unit together
    appeals_received: int
    appeals_answered: int
    appeals_answered_late: int
    appeals_forwarded: int
    appeals_left_unconsidered: int
    appeals_open: int
    appeals_overdue: int


@dataclass(frozen=True)
class Chart:
    """A bar chart of some numeric columns per row (stacked when ``stacked``)."""

    title: str
    label: str  # column whose value names the bar
    series: tuple[str, ...]  # numeric columns, one colour each
    stacked: bool = True
    # what this chart draws when not the table's chart rows (the year's months), and whether
    # in that order (months in time) rather than largest first
    rows: tuple[dict[str, str | int | float | None], ...] | None = None
    in_order: bool = False


@dataclass(frozen=True)
class Table:
    """One report as rows of cells; ``columns`` are (key, header) pairs."""

    name: str  # file name without extension, ASCII
    title: str  # Azerbaijani / English
    subtitle: str
    columns: tuple[tuple[str, str], ...]
    rows: list[dict[str, str | int | float | None]]
    charts: tuple[Chart, ...] = ()
    generated: date | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    # what the charts draw when it is not the rows themselves (a year's totals per centre)
    chart_rows: tuple[dict[str, str | int | float | None], ...] | None = None
