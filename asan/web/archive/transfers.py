"""Transfer inventories (təhvil-təslim siyahıları): a unit's cases of a year handed from the
unit's archive to the agency's archive, draft -> submitted -> returned or accepted.

The list is ``list_inventories`` (GraphQL's ``transferInventories``); the forms post to the
use cases GraphQL's mutations call (``createTransferInventory``, ``submitTransferInventory``,
``returnTransferInventory``, ``acceptTransferInventory``, the last one followed by the files'
ingest as GraphQL starts it). The transfer policy decides: unit heads and registrars draw up
and submit, archivists accept and return; a refusal is the 403 page. A step the inventory has
already taken (accepted or returned meanwhile) is the use case's ``InvalidTransition``: 409
"changed meanwhile", nothing written. The PDF and CSV are the same tables the bearer route
``/archive/inventories/{id}.{fmt}`` serves, under the pages' path for the page session.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import cache
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.archive.cases.models import UNIT_ARCHIVE
from asan.archive.cases.use_cases import list_cases
from asan.archive.transfer import ingest, reads, use_cases
from asan.archive.transfer.models import STATUSES
from asan.archive.transfer.render import inventory_table
from asan.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.reports.models import Table
from asan.edms.reports.render import to_csv, to_pdf
from asan.edms.reports.settings import report_settings
from asan.web.archive.common import bounded_id, not_found, page, query_int, query_text, refused
from asan.web.forms import posted, signed_in
from asan.web.i18n import Lang, translate
from asan.web.session.csrf import page_principal

LIST_LIMIT: Final = 100
MAX_LISTED: Final = 500  # the use case's own limit refuses more
MEDIA: Final = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}


@cache
def _turns() -> asyncio.Semaphore:
    """PDFs drawn at once, shared with nothing else here; the reports' limit."""
    return asyncio.Semaphore(report_settings().max_concurrent_downloads)


async def render_transfers(
    request: Request,
    lang: Lang,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    row_errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    platform: Platform = request.app.state.platform
    principal = page_principal(request)
    status = query_text(request, "status")
    filters: dict[str, Any] = {
        "unit": query_text(request, "unit"),
        "year": query_int(request, "year"),
        "status": status if status in STATUSES else None,
    }
    try:
        inventories, total = await reads.list_inventories(
            platform, principal, filters, after=None, limit=LIST_LIMIT
        )
    except Forbidden:
        return refused(request, lang)
    units = sorted(principal.org_units)
    return page(
        request,
        lang,
        "archive/transfers.html",
        {
            "inventories": inventories,
            "total": total,
            "filters": filters,
            "statuses": STATUSES,
            "errors": errors or {},
            "values": values or {"unit": units[0] if units else "", "year": ""},
            "row_errors": row_errors or {},
        },
        status_code=status_code,
    )


async def transfers_page(request: Request) -> Response:
    who = signed_in(request)
    if isinstance(who, Response):
        return who
    return await render_transfers(request, who.lang)


def _back(lang: Lang, inventory_id: str | None = None) -> Response:
    anchor = f"#inventory-{inventory_id}" if inventory_id else ""
    return RedirectResponse(f"/{lang}/archive/transfers{anchor}", status_code=303)


async def create(request: Request) -> Response:
    """A draft inventory of every case of the unit and year now in the unit's archive."""
    form = await posted(request)
    if isinstance(form, Response):
        return form
    lang = form.lang
    values = {"unit": form.text("unit").strip(), "year": form.text("year").strip()}

    async def again(errors: dict[str, str], status: int) -> Response:
        return await render_transfers(
            request, lang, errors=errors, values=values, status_code=status
        )

    errors: dict[str, str] = {}
    if not values["unit"]:
        errors["unit"] = translate(lang, "archive.error.required")
    year = int(values["year"]) if values["year"].isdigit() and len(values["year"]) == 4 else None
    if year is None:
        errors["year"] = translate(lang, "archive.transfers.error.year")
    if errors or year is None:
        return await again(errors, 400)
    platform: Platform = request.app.state.platform
    try:
        cases, _ = await list_cases(
            platform,
            form.principal,
            {"year": year, "unit": values["unit"], "status": UNIT_ARCHIVE, "index": None},
            after=None,
            limit=MAX_LISTED,
        )
        if not cases:
            return await again({"unit": translate(lang, "archive.transfers.error.none")}, 400)
        made = await use_cases.create_inventory(
            platform,
            form.principal,
            values["unit"],
            year,
            [c.id for c in cases],
            client_mutation_id=form.mutation_id,
        )
    except Forbidden:
        return refused(request, lang)
    except ValidationFailed as exc:  # a case listed elsewhere meanwhile, and the like
        text = "; ".join(e.message for e in exc.errors)
        return await again({"unit": translate(lang, "archive.error", problem=text)}, 400)
    except (Conflict, DomainError) as exc:
        name = "year" if exc.field == "year" else "unit"
        return await again({name: translate(lang, "archive.error", problem=exc.message)}, 400)
    return _back(lang, made)


async def _step(request: Request, run: Callable[..., Any], *, with_reason: bool) -> Response:
    form = await posted(request)
    if isinstance(form, Response):
        return form
    lang = form.lang
    inventory_id = bounded_id(request.path_params["inventory_id"])
    if inventory_id is None:
        return not_found(request, lang)
    reason = form.text("reason")

    async def again(message: str, status: int) -> Response:
        return await render_transfers(
            request, lang, row_errors={inventory_id: message}, status_code=status
        )

    if with_reason and not reason.strip():
        return await again(translate(lang, "archive.error.required"), 400)
    platform: Platform = request.app.state.platform
    extra = (reason,) if with_reason else ()
    try:
        await run(
            platform, form.principal, inventory_id, *extra, client_mutation_id=form.mutation_id
        )
    except Forbidden:
        return refused(request, lang)
    except NotFound:
        return not_found(request, lang)
    except InvalidTransition:
        return await again(translate(lang, "archive.error.stale"), 409)
    except ValidationFailed as exc:
        text = "; ".join(e.message for e in exc.errors)
        return await again(translate(lang, "archive.error", problem=text), 400)
    except DomainError as exc:
        return await again(translate(lang, "archive.error", problem=exc.message), 400)
    if run is use_cases.accept_inventory:  # the files go into the archive's bucket, as GraphQL
        await ingest.settle(ingest.start(platform, form.principal, inventory_id))
    return _back(lang, inventory_id)


async def submit(request: Request) -> Response:
    return await _step(request, use_cases.submit_inventory, with_reason=False)


async def accept(request: Request) -> Response:
    return await _step(request, use_cases.accept_inventory, with_reason=False)


async def send_back(request: Request) -> Response:
    return await _step(request, use_cases.return_inventory, with_reason=True)


async def download(request: Request) -> Response:
    who = signed_in(request)
    if isinstance(who, Response):
        return who
    inventory_id = bounded_id(request.path_params["inventory_id"])
    fmt = str(request.path_params["fmt"])
    if inventory_id is None or fmt not in MEDIA:
        return not_found(request, who.lang)
    platform: Platform = request.app.state.platform
    try:
        inventory = await reads.read_inventory(platform, who.principal, inventory_id)
        if inventory is None:
            return not_found(request, who.lang)
        lines = await reads.read_lines(platform, who.principal, inventory_id)
        names = await reads.signer_names(platform, inventory)
    except Forbidden:
        return refused(request, who.lang)
    table = inventory_table(inventory, lines, today_in_baku(), names)
    render: Callable[[Table], bytes] = to_pdf if fmt == "pdf" else to_csv
    async with _turns():
        data = await asyncio.to_thread(render, table)
    return Response(
        data,
        media_type=MEDIA[fmt],
        headers={
            "content-disposition": f'attachment; filename="{table.name}.{fmt}"',
            "cache-control": "private, no-store",
        },
    )
