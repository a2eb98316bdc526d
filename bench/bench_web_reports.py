"""Server time of the reports' pages and downloads on the sample data (issue 13, point 3).

The seed (``asan.seeding.load_seed``) is loaded idempotently; the IT head (their units) and the
EDMS registrar (every unit) sign in through the form, and each report page, the CSV and the PDF
of execution discipline are requested in-process through the whole app (middleware, the page
session, the EDMS reads, the chart, Jinja2; fpdf2 for the PDF) over httpx's ASGI transport, one
at a time after a warm-up. Run by name: ``.venv/bin/python -m bench bench_web_reports``
(``ASAN_BENCH_WEB_REPEAT``; the PDF is requested a fifth as often, at least 5 times).
"""

from __future__ import annotations

import os
from typing import Any, Final

import httpx

from asan.app import create_app
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.seeding import load_seed
from bench.bench_web_workspace import _signed_in
from bench.stats import summarize, timed

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
    repeat = int(os.environ.get("ASAN_BENCH_WEB_REPEAT", "100"))
    for line in await load_seed(platform):
        print(f"  {line}", flush=True)
    app = create_app(platform.settings, platform)
    app.state.platform = platform
    result: dict[str, Any] = {"repeat": repeat, "pages": {}}
    for username in USERS:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="https://bench", timeout=60
        ) as client:
            await _signed_in(client, username)
            for name, path in _pages():

                async def get(path: str = path) -> None:
                    answer = await client.get(path)
                    if answer.status_code != 200:
                        raise RuntimeError(f"{path}: {answer.status_code}")

                times = max(5, repeat // 5) if name.endswith(".pdf") else repeat
                figures = summarize(await timed(get, times, warmup=3))
                key = f"{name} ({username})"
                result["pages"][key] = {"path": path, **figures}
                print(
                    f"  {key:32} p50 {figures['p50_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms"
                )
    return result
