"""The reports' pages (``/{lang}/reports``, one page per report) and their downloads.

A page reads with the page principal through the same functions as GraphQL, so the policy
decides what it shows (a head: the units they lead; registrars and auditors: every unit).
The downloads (``/{lang}/reports/<report>.csv|pdf``) are page routes beside the bearer-only
``/edms/reports/`` ones: the same table rendered by the same ``to_csv`` / ``to_pdf``, with
the session cookie instead of a token (a link in a page cannot send a bearer token).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from asan.core.errors import BadInput, Forbidden
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.reports.models import Table
from asan.edms.reports.render import to_csv, to_pdf
from asan.edms.reports.settings import report_settings
from asan.web.forms import sign_in_redirect
from asan.web.i18n import Lang, translate
from asan.web.rendering import render
from asan.web.reports.charts import bar_chart
from asan.web.reports.params import MAX_YEAR, MIN_YEAR, Params, checked
from asan.web.reports.reports import REPORTS, Report, cell_text
from asan.web.session.csrf import csrf_token, page_principal
from asan.web.session.pages import page_lang

MEDIA = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}
TURNS_KEY = "web_report_turns"


def _turns(request: Request) -> asyncio.Semaphore:
    """At most ``max_concurrent_downloads`` renders at once per app, as the API's downloads."""
    turns = getattr(request.app.state, TURNS_KEY, None)
    if not isinstance(turns, asyncio.Semaphore):
        turns = asyncio.Semaphore(report_settings().max_concurrent_downloads)
        setattr(request.app.state, TURNS_KEY, turns)
    return turns


async def index(request: Request) -> Response:
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    return render(
        request,
        lang,
        "reports/index.html",
        {"csrf_token": csrf_token(request), "reports": list(REPORTS.values())},
    )


def _page(
    request: Request,
    lang: Lang,
    report: Report,
    params: Params,
    *,
    errors: dict[str, str],
    table: Table | None = None,
    status_code: int = 200,
) -> Response:
    def text(value: str | int | float | None) -> str:
        return cell_text(value, lang)

    def series(key: str) -> str:
        return translate(lang, f"reports.col.{key}")

    charts = []
    if table is not None and (table.chart_rows or table.rows):
        charts = [
            bar_chart(
                f"chart-{report.key}{'-' + str(n) if n else ''}",
                table,
                chart,
                title=translate(lang, f"reports.{report.key}.chart{n or ''}"),
                series_label=series,
                cell_text=text,
            )
            for n, chart in enumerate(table.charts)
        ]
    query = urlencode({k: v for k, v in params.query.items() if k in report.fields})
    return render(
        request,
        lang,
        "reports/report.html",
        {
            "csrf_token": csrf_token(request),
            "report": report,
            "raw": params.raw,
            "params": params,
            "errors": errors,
            "min_year": MIN_YEAR,
            "max_year": MAX_YEAR,
            "table": table,
            "charts": charts,
            "columns": [(key, series(key)) for key, _ in table.columns] if table else [],
            "rows": [[text(row.get(key)) for key, _ in table.columns] for row in table.rows]
            if table
            else [],
            "downloads": {fmt: f"/{lang}/reports/{report.slug}.{fmt}?{query}" for fmt in MEDIA}
            if table is not None
            else {},
        },
        status_code=status_code,
    )


async def _answer(
    request: Request,
    report: Report,
    render_file: Callable[[Request, Table], Awaitable[Response]] | None,
) -> Response:
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    today = today_in_baku()
    params = checked(request.query_params, today)
    errors = {
        name: translate(lang, key) for name, key in params.errors.items() if name in report.fields
    }
    if errors:
        return _page(request, lang, report, params, errors=errors, status_code=400)
    platform: Platform = request.app.state.platform
    try:
        table = await report.build(platform, principal, params, today)
    except Forbidden:
        return render(
            request,
            lang,
            "reports/forbidden.html",
            {"csrf_token": csrf_token(request)},
            status_code=403,
        )
    except BadInput as exc:  # the reads' own bounds, already checked above: kept as a guard
        field = exc.field if exc.field in report.fields else report.fields[-1]
        message = translate(lang, "reports.error.invalid")
        return _page(request, lang, report, params, errors={field: message}, status_code=400)
    if render_file is not None:
        return await render_file(request, table)
    return _page(request, lang, report, params, errors={}, table=table)


def report_page(report: Report) -> Callable[[Request], Awaitable[Response]]:
    async def page(request: Request) -> Response:
        return await _answer(request, report, None)

    return page


async def _file(request: Request, table: Table) -> Response:
    fmt = request.path_params["fmt"]
    render_bytes: Callable[[Table], bytes] = to_pdf if fmt == "pdf" else to_csv
    async with _turns(request):
        data = await asyncio.to_thread(render_bytes, table)
    return Response(
        data,
        media_type=MEDIA[fmt],
        headers={
            "content-disposition": f'attachment; filename="{table.name}.{fmt}"',
            "cache-control": "private, no-store",
        },
    )


def download(report: Report) -> Callable[[Request], Awaitable[Response]]:
    async def file(request: Request) -> Response:
        if request.path_params["fmt"] not in MEDIA:
            page_lang(request)
            raise HTTPException(404)
        return await _answer(request, report, _file)

    return file


ROUTES: list[BaseRoute] = [
    Route("/{lang}/reports", index, methods=["GET"]),
    *(
        Route(f"/{{lang}}/reports/{r.slug}", report_page(r), methods=["GET"])
        for r in REPORTS.values()
    ),
    *(
        Route(f"/{{lang}}/reports/{r.slug}.{{fmt}}", download(r), methods=["GET"])
        for r in REPORTS.values()
    ),
]
