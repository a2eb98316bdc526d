"""One service's page: what to bring, what it costs, how long, where, on which grounds, whom to ask.

The same reads GraphQL's ``Service`` resolves its fields with (``services_by_codes`` under the
caller's visibility, then requirements, relations, centres, buses and their schedules, the
providing body), so a service the caller may not see is a 404 here as it is null there.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from asan.registry.catalog import queries
from asan.registry.catalog.models import AsanCentre, BusStop, ContactPoint, StopVisit
from asan.web.catalogue.common import caller, checked_code, name_in, not_found
from asan.web.rendering import render


@dataclass(frozen=True)
class Document:
    name: str
    condition: str | None


@dataclass(frozen=True)
class BusView:
    code: str
    name: str
    stops: list[tuple[StopVisit, BusStop]]


async def service_page(request: Request) -> Response:
    c = caller(request)
    code, ok = checked_code(request.path_params.get("code"))
    if not ok or code is None:
        return not_found(request, c.lang)
    services, providers = await queries.services_by_codes(c.platform, c.principal, [code])
    service = services.get(code)
    if service is None:
        return not_found(request, c.lang)
    requirements = (await queries.requirements_by_service(c.platform, [code])).get(code, [])
    relations = (await queries.relations_by_service(c.platform, [code])).get(code)
    centre_codes = list(relations.centres) if relations else []
    bus_codes = list(relations.buses) if relations else []
    centres_by_code = await queries.centres_by_codes(c.platform, centre_codes)
    centres: list[AsanCentre] = [centres_by_code[x] for x in centre_codes if x in centres_by_code]
    buses_by_code = await queries.buses_by_codes(c.platform, bus_codes)
    schedules = await queries.schedules_by_bus(c.platform, bus_codes)
    buses = [
        BusView(b, buses_by_code[b].name, schedules.get(b, []))
        for b in bus_codes
        if b in buses_by_code
    ]
    body = providers.get(service.provider or "")
    contact: ContactPoint | None = service.contact_point or (body.contact_point if body else None)
    description = {
        "az": service.description_az,
        "en": service.description_en,
        "ru": service.description_ru,
    }[c.lang] or service.description_az
    return render(
        request,
        c.lang,
        "catalogue/service.html",
        {
            "service": service,
            "name": name_in(service, c.lang),
            "description": description,
            "body_name": name_in(body, c.lang) if body else "",
            "documents": [Document(name_in(e, c.lang), e.condition) for e in requirements],
            "channels": relations.channels if relations else (),
            "legal_basis": relations.legal_basis if relations else (),
            "centres": centres,
            "buses": buses,
            "contact": contact,
        },
    )
