"""The services list (search as typed, filters, pages) and the suggestions under the box.

Reads go through ``asan.registry.catalog.queries.list_services``, the use case GraphQL's
``services`` field calls, with the request's principal: anonymous callers see published
services only, because the catalog's visibility rule says so, not this page. The search is
the registry's folded ``searchText`` match, so "seyyar" finds "Səyyar".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from asan.core.text import az_sort_key, search_fold
from asan.registry.catalog import queries
from asan.registry.catalog.models import CHANNELS, ServiceFilter
from asan.web.catalogue.common import (
    Caller,
    caller,
    checked_code,
    checked_page,
    checked_query,
    name_in,
)
from asan.web.rendering import render

PAGE_SIZE: Final = 20
SUGGESTIONS: Final = 8
REFERENCE_LIMIT: Final = 500  # bodies and centres offered in the filters


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    body: str
    channels: tuple[str, ...]


FILTERS: Final = ("body", "category", "channel", "centre")


async def _options(c: Caller) -> dict[str, list[Option]]:
    bodies = await queries.list_state_bodies(c.platform, after=None, limit=REFERENCE_LIMIT)
    categories = await queries.list_categories(c.platform)
    centres = await queries.list_asan_centres(c.platform, after=None, limit=REFERENCE_LIMIT)
    buses = await queries.list_mobile_buses(c.platform)
    schedules = await queries.schedules_by_bus(c.platform, [b.code for b in buses])
    regions = {x.region for x in centres.rows} | {
        stop.region for visits in schedules.values() for _, stop in visits
    }
    return {
        "body": [Option(b.code, name_in(b, c.lang)) for b in bodies.rows],
        "category": [Option(k.code, name_in(k, c.lang)) for k in categories],
        "channel": [Option(ch, ch) for ch in CHANNELS],  # labels from messages in the template
        "centre": [Option(x.code, x.name) for x in centres.rows],
        "region": [Option(r, r) for r in sorted(regions - {""}, key=az_sort_key)],
    }


async def services_page(request: Request) -> Response:
    c = caller(request)
    params = request.query_params
    q, q_error = checked_query(params.get("q"))
    chosen: dict[str, str] = {}
    bad_filters: list[str] = []
    for name in FILTERS:
        value, ok = checked_code(params.get(name))
        if not ok:
            bad_filters.append(name)
        elif value is not None:
            chosen[name] = value
    region, region_error = checked_query(params.get("region"))  # a name, not a code
    if region_error is not None:
        bad_filters.append("region")
    options = await _options(c)
    if region is not None and region_error is None:
        # typed without Azerbaijani letters ("seki"): select the region it names ("Şəki")
        named = [o.value for o in options["region"] if search_fold(o.value) == search_fold(region)]
        chosen["region"] = named[0] if named else region
    page = checked_page(params.get("page"))
    flt = ServiceFilter(
        body=chosen.get("body"),
        category=chosen.get("category"),
        channel=chosen.get("channel"),
        centre=chosen.get("centre"),
        search=q,
        region=chosen.get("region"),
    )
    # keyset paging underneath; a page number reads its pages' worth (bounded by MAX_PAGE)
    result, providers = await queries.list_services(
        c.platform, c.principal, flt, after=None, limit=page * PAGE_SIZE
    )
    shown = result.rows[(page - 1) * PAGE_SIZE :]
    relations = await queries.relations_by_service(c.platform, [s.code for s in shown])
    rows = [
        Row(
            s.code,
            name_in(s, c.lang),
            name_in(providers[s.provider], c.lang) if s.provider in providers else "",
            relations[s.code].channels if s.code in relations else (),
        )
        for s in shown
    ]
    pages = max(1, -(-result.total // PAGE_SIZE))
    state = {k: v for k, v in {"q": q or "", **chosen}.items() if v}

    def link(number: int) -> str:
        return f"/{c.lang}/services?" + urlencode({**state, "page": number})

    return render(
        request,
        c.lang,
        "catalogue/services.html",
        {
            "q": params.get("q", "") if q_error is None else "",
            "q_error": q_error,
            "bad_filters": bad_filters,
            "chosen": chosen,
            "options": options,
            "rows": rows,
            "total": result.total,
            "page": page,
            "pages": min(pages, 50),
            "prev_link": link(page - 1) if page > 1 else None,
            "next_link": link(page + 1) if page < min(pages, 50) else None,
        },
    )


async def suggest(request: Request) -> Response:
    """A few matching names for the box as one types (an htmx fragment, no layout)."""
    c = caller(request)
    q, q_error = checked_query(request.query_params.get("q"))
    rows: list[Row] = []
    if q is not None and q_error is None:
        result, _ = await queries.list_services(
            c.platform, c.principal, ServiceFilter(search=q), after=None, limit=SUGGESTIONS
        )
        rows = [Row(s.code, name_in(s, c.lang), "", ()) for s in result.rows]
    return render(request, c.lang, "catalogue/suggest.html", {"rows": rows, "q_error": q_error})
