"""Server time of the reports' pages and downloads on the sample data (issue 13, point 3).

The seed (``asan.seeding.load_seed``) is loaded idempotently; the IT head (their units) and the
EDMS registrar (every unit) sign in through the form, and each report page, the CSV and the PDF
of execution discipline are requested in-process through the whole app (middleware, the page
session, the EDMS reads, the chart, Jinja2; fpdf2 for the PDF) over httpx's ASGI transport, one
at a time after a warm-up. Run by name: ``.venv/bin/python -m bench bench_web_reports``
(``ASAN_BENCH_WEB_REPEAT``; the PDF is requested a fifth as often, at least 5 times).
"""

from __future__ import annotations

from typing import Any, Final

from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from bench.web_pages import measure, page_client, repeat, seeded_app

USERS: Final = ("demo.head", "demo.clerk")


def _pages() -> list[tuple[str, str]]:
    today = today_in_baku()
    period = f"from={today.replace(day=1, month=1).isoformat()}&to={today.isoformat()}"
    return [
        ("index", "/az/reports"),
        ("discipline", f"/az/reports/execution-discipline?{period}"),
        ("appeals", f"/az/reports/appeal-statistics?year={today.year}"),
        ("summary", f"/az/reports/record-keeping?year={today.year}"),
        ("discipline.csv", f"/az/reports/execution-discipline.csv?{period}"),
        ("discipline.pdf", f"/az/reports/execution-discipline.pdf?{period}"),
    ]


async def run(platform: Platform) -> dict[str, Any]:
    times = repeat()
    app = await seeded_app(platform)
    result: dict[str, Any] = {"repeat": times, "pages": {}}
    for username in USERS:
        async with page_client(app, username) as client:
            result["pages"] |= await measure(
                client,
                _pages(),
                times=times,
                label=username,
                times_of=lambda name: max(5, times // 5) if name.endswith(".pdf") else times,
            )
    return result
