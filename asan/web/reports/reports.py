"""The three reports as the pages show them: the same reads and tables as GraphQL and the
downloads (``asan.edms.reports``), with headers, series and titles in the page's language.

The domain's tables carry "Azerbaijani / English" texts (row names of the annual summary,
channel names); a page shows the half in its language, and the Azerbaijani half on Russian
pages (the domain has no Russian text; Azerbaijani is the record's language).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Final

from asan.auth.principal import Principal
from asan.core.platform import Platform
from asan.edms.reports import reads
from asan.edms.reports.models import Table
from asan.edms.reports.tables import appeals_table, discipline_table, summary_table
from asan.web.forms import in_lang
from asan.web.i18n import Lang, translate
from asan.web.reports.params import Params

Cell = str | int | float | None
Build = Callable[[Platform, Principal, Params, date], Awaitable[Table]]


async def _discipline(platform: Platform, principal: Principal, p: Params, today: date) -> Table:
    rows = await reads.execution_discipline(platform, principal, p.start, p.end)
    return discipline_table(rows, p.start, p.end, today)


async def _appeals(platform: Platform, principal: Principal, p: Params, today: date) -> Table:
    rows = await reads.appeal_statistics(platform, principal, p.year)
    return appeals_table(rows, p.year, today)


async def _summary(platform: Platform, principal: Principal, p: Params, today: date) -> Table:
    return summary_table(await reads.record_keeping_summary(platform, principal, p.year), today)


@dataclass(frozen=True)
class Report:
    slug: str  # the URL's name, as the downloads under /edms/reports/
    key: str  # message key part
    fields: tuple[str, ...]  # the query parameters it takes
    build: Build


REPORTS: Final = {
    r.slug: r
    for r in (
        Report("execution-discipline", "discipline", ("from", "to"), _discipline),
        Report("appeal-statistics", "appeals", ("year",), _appeals),
        Report("record-keeping", "summary", ("year",), _summary),
    )
}


MONTH: Final = re.compile(r"^(\d{4})-(\d{2}) ")  # "2026-03 Mart", as tables.appeals_table


def cell_text(value: Cell, lang: Lang) -> str:
    if isinstance(value, str) and (month := MONTH.match(value)):
        return f"{month.group(1)}-{month.group(2)} " + translate(
            lang, f"reports.month.{month.group(2)}"
        )
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, int):
        return str(value)
    return in_lang(lang, value)


__all__ = ["REPORTS", "Report", "cell_text"]
