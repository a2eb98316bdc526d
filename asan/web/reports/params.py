"""The reports' query parameters, checked before any read: a bad one is a message next to its
field in the page's language (400), never a 500 and never the domain's bilingual text.

The bounds are the reads' own (``asan.edms.reports.reads``): a year in MIN_YEAR..MAX_YEAR, a
period that runs forwards and spans at most MAX_PERIOD_DAYS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Final

from starlette.datastructures import QueryParams

from asan.edms.reports.reads import MAX_PERIOD_DAYS, MAX_YEAR, MIN_YEAR

MAX_PARAM_CHARS: Final = 32


@dataclass
class Params:
    """What a report page was asked for (the raw text kept to refill the form) and the
    errors found, as field -> message key."""

    raw: dict[str, str]
    start: date
    end: date
    year: int
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def query(self) -> dict[str, str]:
        """The checked values as the download links' query."""
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "year": str(self.year),
        }


def _raw(params: QueryParams, name: str) -> str | None:
    value = params.get(name)
    if value is None or not value.strip():
        return None
    return value.strip()


def _date(raw: str | None, default: date, name: str, errors: dict[str, str]) -> date:
    if raw is None:
        return default
    try:
        if len(raw) > MAX_PARAM_CHARS:
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = "reports.error.date"
        return default


def _year(raw: str | None, default: int, errors: dict[str, str]) -> int:
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
        errors["year"] = "reports.error.year_digits"
        return default
    year = int(raw)
    if not MIN_YEAR <= year <= MAX_YEAR:
        errors["year"] = "reports.error.year_range"
        return default
    return year


def checked(params: QueryParams, today: date) -> Params:
    """The period (default: this month so far) and the year (default: this one)."""
    raw = {name: params.get(name, "")[:MAX_PARAM_CHARS] for name in ("from", "to", "year")}
    errors: dict[str, str] = {}
    start = _date(_raw(params, "from"), today.replace(day=1), "from", errors)
    end = _date(_raw(params, "to"), today, "to", errors)
    if not errors:
        if end < start:
            errors["to"] = "reports.error.backwards"
        elif (end - start).days > MAX_PERIOD_DAYS:
            errors["to"] = "reports.error.too_long"
    year = _year(_raw(params, "year"), today.year, errors)
    return Params(raw, start, end, year, errors)


__all__ = ["MAX_YEAR", "MIN_YEAR", "Params", "checked"]
