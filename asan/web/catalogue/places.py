"""ASAN centres (address, hours) and the mobile buses (stops by weekday and time)."""

from __future__ import annotations

from typing import Final

from starlette.requests import Request
from starlette.responses import Response

from asan.registry.catalog import queries
from asan.web.catalogue.common import caller
from asan.web.catalogue.service import BusView
from asan.web.rendering import render

MAX_CENTRES: Final = 500  # the country has a few dozen; one page shows them all


async def centres_page(request: Request) -> Response:
    c = caller(request)
    centres = await queries.list_asan_centres(c.platform, after=None, limit=MAX_CENTRES)
    return render(request, c.lang, "catalogue/centres.html", {"centres": centres.rows})


async def buses_page(request: Request) -> Response:
    c = caller(request)
    buses = await queries.list_mobile_buses(c.platform)
    schedules = await queries.schedules_by_bus(c.platform, [b.code for b in buses])
    views = [BusView(b.code, b.name, schedules.get(b.code, [])) for b in buses]
    return render(request, c.lang, "catalogue/buses.html", {"buses": views})
