"""Read use cases of the services catalog: what the API layer may read, and how.

The read side of ``asan.registry.catalog`` (``service`` holds the writes): each use case takes
the ``Platform`` and, when what it returns depends on the reader, the reader's ``Principal``;
the policy's verdict (``service.visibility``) is applied here, as a Cypher filter, and the
Cypher itself stays in ``repository``.

Batched reads (``*_by_codes``, ``*_by_service``, ...) take a list of keys and cost one query,
so a GraphQL DataLoader can call them once per level of a nested query. Reads keyed by service
code without a principal (documents, linked lists, versions, requests, dependency path) serve
fields of a service the reader has already been allowed to see (the service itself comes from
``services_by_codes``, ``services_by_body``, ``list_services`` or ``impact``, which apply
visibility).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from asan.auth.principal import Principal
from asan.core.platform import Platform
from asan.registry.catalog.bodies import repository as bodies_repo
from asan.registry.catalog.common import visibility
from asan.registry.catalog.impact import repository as impact_repo
from asan.registry.catalog.models import (
    AsanCentre,
    BusStop,
    CategoryInput,
    Coverage,
    Evidence,
    Impact,
    InformationSystem,
    MobileBus,
    Page,
    PathStep,
    RegistrationRequest,
    Service,
    ServiceFilter,
    ServiceRelations,
    ServiceVersion,
    StateBody,
    StopVisit,
)
from asan.registry.catalog.places import repository as places_repo
from asan.registry.catalog.reference_data import repository as categories_repo
from asan.registry.catalog.registration import repository as requests_repo
from asan.registry.catalog.services import reads as service_reads
from asan.registry.catalog.services import trees as service_trees
from asan.registry.catalog.systems import repository as systems_repo

# ---------------------------------------------------------------------------------- state bodies


async def state_bodies_by_codes(platform: Platform, codes: Sequence[str]) -> dict[str, StateBody]:
    """State bodies are public: every reader sees every body."""
    return await bodies_repo.state_bodies_by_codes(platform.db, codes)


async def list_state_bodies(
    platform: Platform,
    *,
    after: list[Any] | None,
    limit: int,
    search: str | None = None,
    parent: str | None = None,
    backward: bool = False,
    updated_since: datetime | None = None,
) -> Page[StateBody]:
    return await bodies_repo.list_state_bodies(
        platform.db,
        after=after,
        limit=limit,
        search=search,
        parent=parent,
        backward=backward,
        updated_since=updated_since,
    )


async def coverage(platform: Platform, bodies: Sequence[str] | None = None) -> list[Coverage]:
    """Published services per body (all bodies when ``bodies`` is None), by name."""
    return await impact_repo.coverage(platform.db, bodies)


async def coverage_by_body(platform: Platform, bodies: Sequence[str]) -> dict[str, Coverage]:
    return {c.body: c for c in await coverage(platform, bodies)}


# --------------------------------------------------------------------------- information systems


async def information_systems_by_codes(
    platform: Platform, codes: Sequence[str]
) -> dict[str, InformationSystem]:
    return await systems_repo.information_systems_by_codes(platform.db, codes)


async def systems_by_operator(
    platform: Platform, bodies: Sequence[str]
) -> dict[str, list[InformationSystem]]:
    return await systems_repo.systems_by_operator(platform.db, bodies)


async def data_links(
    platform: Platform, codes: Sequence[str]
) -> dict[str, tuple[list[str], list[str]]]:
    """Per system: (codes it consumes data from, codes that consume its data)."""
    return await systems_repo.data_links(platform.db, codes)


async def list_information_systems(
    platform: Platform,
    *,
    after: list[Any] | None,
    limit: int,
    operator: str | None = None,
    search: str | None = None,
    backward: bool = False,
    updated_since: datetime | None = None,
) -> Page[InformationSystem]:
    return await systems_repo.list_information_systems(
        platform.db,
        after=after,
        limit=limit,
        operator=operator,
        search=search,
        backward=backward,
        updated_since=updated_since,
    )


async def impact(
    platform: Platform,
    principal: Principal,
    system: str,
    *,
    limit: int,
    after: Sequence[Any] | None = None,
) -> Impact | None:
    """What stops if ``system`` stops: the services the reader may see, a page at a time."""
    return await impact_repo.impact(
        platform.db, system, visibility(principal), limit=limit, after=after
    )


# ---------------------------------------------------------------------------------- services


async def services_by_codes(
    platform: Platform, principal: Principal, codes: Sequence[str]
) -> tuple[dict[str, Service], dict[str, StateBody]]:
    """The services the reader may see, and their providing bodies (one query)."""
    return await service_reads.services_with_providers(platform.db, codes, visibility(principal))


async def services_by_body(
    platform: Platform, principal: Principal, bodies: Sequence[str]
) -> dict[str, list[Service]]:
    """Per body, the services of it the reader may see, by name."""
    return await service_reads.services_by_body(platform.db, bodies, visibility(principal))


async def body_trees(
    platform: Platform, principal: Principal, bodies: Sequence[str], *, documents: bool
) -> service_trees.BodyTrees:
    """Bodies, the services of each the reader may see and, if asked, their documents, in one
    query: what ``state_bodies_by_codes``, ``services_by_body`` and ``requirements_by_service``
    answer for a nested read, in one round trip instead of three."""
    return await service_trees.body_trees(
        platform.db, bodies, visibility(principal), documents=documents
    )


def service_order_arity(order: str) -> int:
    """How many values a cursor of the services list in ``order`` holds."""
    return service_reads.SERVICE_ORDERS[order].arity


async def list_services(
    platform: Platform,
    principal: Principal,
    flt: ServiceFilter,
    *,
    after: list[Any] | None,
    limit: int,
    order: str = "NAME",
    descending: bool = False,
) -> tuple[Page[Service], dict[str, StateBody]]:
    """A page of the services the reader may see, and the bodies providing them (one query)."""
    return await service_reads.list_services_with_providers(
        platform.db,
        flt,
        visibility(principal),
        after=after,
        limit=limit,
        order=order,
        descending=descending,
    )


async def requirements_by_service(
    platform: Platform, codes: Sequence[str]
) -> dict[str, list[Evidence]]:
    """Per service, its required documents in order (services the reader was shown)."""
    return await service_reads.requirements_by_service(platform.db, codes)


async def relations_by_service(
    platform: Platform, codes: Sequence[str]
) -> dict[str, ServiceRelations]:
    """Per service, its other linked lists: legal basis, outputs, channels, centres, ..."""
    return await service_reads.relations_by_service(platform.db, codes)


async def versions_by_service(
    platform: Platform, codes: Sequence[str]
) -> dict[str, list[ServiceVersion]]:
    return await service_reads.versions_by_service(platform.db, codes)


async def requests_by_service(
    platform: Platform, codes: Sequence[str]
) -> dict[str, list[RegistrationRequest]]:
    """Registration requests per service, newest first (callers check ``may_read_requests``)."""
    return await requests_repo.requests_by_service(platform.db, codes)


async def dependency_path(platform: Platform, service: str, system: str) -> list[PathStep] | None:
    """The shortest chain service -> system -> ... -> system; None when there is none."""
    return await impact_repo.dependency_path(platform.db, service, system)


# -------------------------------------------------------------------- reference data, centres


async def categories_by_codes(platform: Platform, codes: Sequence[str]) -> dict[str, CategoryInput]:
    return await categories_repo.categories_by_codes(platform.db, codes)


async def list_categories(platform: Platform, kind: str | None = None) -> list[CategoryInput]:
    return await categories_repo.list_categories(platform.db, kind)


async def centres_by_codes(platform: Platform, codes: Sequence[str]) -> dict[str, AsanCentre]:
    return await places_repo.centres_by_codes(platform.db, codes)


async def list_asan_centres(
    platform: Platform,
    *,
    after: list[Any] | None,
    limit: int,
    region: str | None = None,
    search: str | None = None,
    backward: bool = False,
    updated_since: datetime | None = None,
) -> Page[AsanCentre]:
    return await places_repo.list_asan_centres(
        platform.db,
        after=after,
        limit=limit,
        region=region,
        search=search,
        backward=backward,
        updated_since=updated_since,
    )


def asan_centre_sort_key(centre: AsanCentre) -> list[Any]:
    """The keyset of ``list_asan_centres`` (what its cursors encode)."""
    return places_repo.centre_sort_key(centre)


async def buses_by_codes(platform: Platform, codes: Sequence[str]) -> dict[str, MobileBus]:
    return await places_repo.buses_by_codes(platform.db, codes)


async def list_mobile_buses(platform: Platform) -> list[MobileBus]:
    return await places_repo.list_mobile_buses(platform.db)


async def schedules_by_bus(
    platform: Platform, codes: Sequence[str]
) -> dict[str, list[tuple[StopVisit, BusStop]]]:
    """Per bus, its weekly stops by weekday and time."""
    return await places_repo.schedules_by_bus(platform.db, codes)
