"""Report downloads: ``GET /edms/reports/{report}.{csv|pdf}`` with ``Authorization: Bearer``.

``execution-discipline.csv?from=2026-01-01&to=2026-03-31``, ``appeal-statistics.pdf?year=2026``,
``record-keeping.pdf?year=2026`` (year defaults to this one; the period to this month). The
same reads as the GraphQL queries (policy and visibility included) render the file; the PDF
is drawn in a worker thread, at most ``max_concurrent_downloads`` at once per process.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from typing import Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from asan.auth.middleware import client_address
from asan.auth.principal import Principal
from asan.core.errors import BadInput, DomainError, Forbidden, Unauthenticated
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.reports import reads
from asan.edms.reports.models import Table
from asan.edms.reports.render import to_csv, to_pdf
from asan.edms.reports.settings import report_settings
from asan.edms.reports.tables import appeals_table, discipline_table, summary_table

PREFIX: Final = "/edms/reports/"
MEDIA: Final = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}


def _error(status: int, message: str, code: str) -> Response:
    return JSONResponse(
        {"error": message, "errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status,
        headers={"www-authenticate": "Bearer"} if status == 401 else None,
    )


def _date(request: Request, name: str, default: date) -> date:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise BadInput(f"{name}: tarix YYYY-MM-DD / a date YYYY-MM-DD", field=name) from exc


def _year(request: Request, default: int) -> int:
    raw = request.query_params.get("year")
    if raw is None:
        return default
    if not raw.isdigit() or len(raw) != 4:
        raise BadInput("year: dörd rəqəm / four digits", field="year")
    return int(raw)


async def _table(platform: Platform, principal: Principal, report: str, request: Request) -> Table:
    today = today_in_baku()
    if report == "execution-discipline":
        start = _date(request, "from", today.replace(day=1))
        end = _date(request, "to", today)
        rows = await reads.execution_discipline(platform, principal, start, end)
        return discipline_table(rows, start, end, today)
    year = _year(request, today.year)
    if report == "appeal-statistics":
        return appeals_table(await reads.appeal_statistics(platform, principal, year), year, today)
    summary = await reads.record_keeping_summary(platform, principal, year)
    return summary_table(summary, today)


REPORTS: Final = ("execution-discipline", "appeal-statistics", "record-keeping")


def report_route() -> Route:
    turns = asyncio.Semaphore(report_settings().max_concurrent_downloads)

    async def download(request: Request) -> Response:
        platform: Platform = request.app.state.platform
        report, fmt = request.path_params["report"], request.path_params["fmt"]
        if report not in REPORTS or fmt not in MEDIA:
            return _error(404, f"belə hesabat yoxdur / no report {report}.{fmt}", "NOT_FOUND")
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return _error(
                401, "daxil olun / sign in required (Authorization: Bearer)", "UNAUTHENTICATED"
            )
        try:
            principal = await request.app.state.auth.authenticate(
                platform, token.strip(), client_address(request.scope)
            )
            table = await _table(platform, principal, report, request)
        except Unauthenticated as exc:
            return _error(401, exc.message, exc.code)
        except Forbidden as exc:
            return _error(403, exc.message, exc.code)
        except BadInput as exc:
            return _error(400, exc.message, exc.code)
        except DomainError as exc:
            return _error(400, exc.message, exc.code)
        render: Callable[[Table], bytes] = to_pdf if fmt == "pdf" else to_csv
        async with turns:
            data = await asyncio.to_thread(render, table)
        return Response(
            data,
            media_type=MEDIA[fmt],
            headers={
                "content-disposition": f'attachment; filename="{table.name}.{fmt}"',
                "cache-control": "private, no-store",
                "x-content-type-options": "nosniff",
            },
        )

    return Route(PREFIX + "{report}.{fmt}", download, methods=["GET"])


__all__ = ["PREFIX", "REPORTS", "report_route"]
