"""Inventory downloads: ``GET /archive/inventories/{id}.pdf`` and ``.csv`` (Bearer token).

The same reads as GraphQL (``archive.read`` checked for every request) give the rows; the PDF
is drawn in a worker thread, at most the reports' ``max_concurrent_downloads`` at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from asan.archive.transfer import reads
from asan.archive.transfer.render import inventory_table
from asan.auth.middleware import client_address
from asan.core.errors import DomainError, Forbidden, Unauthenticated
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.reports.models import Table
from asan.edms.reports.render import to_csv, to_pdf
from asan.edms.reports.settings import report_settings

PREFIX: Final = "/archive/inventories/"
MEDIA: Final = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}


def download_path(inventory_id: str, fmt: str) -> str:
    """The URL path GraphQL gives for the inventory's PDF or CSV."""
    return f"{PREFIX}{inventory_id}.{fmt}"


def _error(status: int, message: str, code: str) -> Response:
    return JSONResponse(
        {"error": message, "errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status,
        headers={"www-authenticate": "Bearer"} if status == 401 else None,
    )


def inventory_route() -> Route:
    turns = asyncio.Semaphore(report_settings().max_concurrent_downloads)

    async def download(request: Request) -> Response:
        platform: Platform = request.app.state.platform
        inventory_id, fmt = request.path_params["inventory"], request.path_params["fmt"]
        if fmt not in MEDIA:
            return _error(404, f"belə format yoxdur / no format {fmt[:10]}", "NOT_FOUND")
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return _error(
                401, "daxil olun / sign in required (Authorization: Bearer)", "UNAUTHENTICATED"
            )
        try:
            principal = await request.app.state.auth.authenticate(
                platform, token.strip(), client_address(request.scope)
            )
            inventory = await reads.read_inventory(platform, principal, inventory_id)
            if inventory is None:
                return _error(
                    404, "təhvil siyahısı tapılmadı / transfer inventory not found", "NOT_FOUND"
                )
            lines = await reads.read_lines(platform, principal, inventory_id)
            names = await reads.signer_names(platform, inventory)
        except Unauthenticated as exc:
            return _error(401, exc.message, exc.code)
        except Forbidden as exc:
            return _error(403, exc.message, exc.code)
        except DomainError as exc:
            return _error(400, exc.message, exc.code)
        table = inventory_table(inventory, lines, today_in_baku(), names)
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

    return Route(PREFIX + "{inventory}.{fmt}", download, methods=["GET"])


__all__ = ["PREFIX", "download_path", "inventory_route"]
