"""The registry's root query fields: thin resolvers over the catalog's read use cases.

Reads go through ``asan.registry.catalog.queries`` (which applies what the caller may see) and
the request's DataLoaders; lists page by keyset cursors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from asan.core.text import az_sort_key
from asan.graphql.paging import page_of
from asan.graphql.registry.enums import CategoryKind, ServiceOrderField
from asan.graphql.registry.impact import InformationSystemImpact, impact_page, impact_scope
from asan.graphql.registry.inputs import ServiceFilter, ServiceOrder
from asan.graphql.registry.loaders import (
    keyed_loader,
    load_body,
    prime_bodies,
    systems_loader,
)
from asan.graphql.registry.nodes import (
    AsanCentreNode,
    InformationSystemNode,
    MobileBusNode,
    ServiceNode,
    StateBodyNode,
    service_node,
)
from asan.graphql.registry.objects import BodyCoverage, Category
from asan.graphql.relay import (
    After,
    Before,
    Connection,
    First,
    Last,
    Search,
    UpdatedSince,
    build_connection,
    scope_of,
)
from asan.graphql.request import page as _page
from asan.graphql.request import platform_of as _platform
from asan.graphql.request import principal_of as _principal
from asan.registry.catalog import models as m
from asan.registry.catalog import queries

Code = Annotated[str, strawberry.argument(description="The code to look up.")]


@strawberry.type
class RegistryQuery:
    @strawberry.field(description="State bodies by name (keyset paging).")
    async def state_bodies(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        search: Search = None,
        parent: Annotated[
            str | None,
            strawberry.argument(description="Only the bodies part of this body (its code)."),
        ] = None,
        last: Last = None,
        before: Before = None,
        updated_since: UpdatedSince = None,
    ) -> Connection[StateBodyNode]:
        scope = scope_of("stateBodies", search, parent, updated_since)
        page = _page(first, after, 2, last=last, before=before, scope=scope)
        result = await queries.list_state_bodies(
            _platform(info),
            after=page.after,
            limit=page.limit,
            search=search,
            parent=parent,
            backward=page.backward,
            updated_since=updated_since,
        )
        return build_connection(
            result.rows,
            page,
            result.total,
            StateBodyNode.of,
            lambda b: [az_sort_key(b.name_az), b.code],
        )

    @strawberry.field(description="A state body by code; null when unknown.")
    async def state_body(self, info: Info, code: Code) -> StateBodyNode | None:
        body = await load_body(info, code)  # with its tree in one query when selected
        return StateBodyNode.of(body) if body is not None else None

    @strawberry.field(description="Services with filters and ordering (keyset paging).")
    async def services(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            ServiceFilter | None, strawberry.argument(description="Filters; null: all services.")
        ] = None,
        order_by: Annotated[
            ServiceOrder | None,
            strawberry.argument(description="Ordering; null: by Azerbaijani name."),
        ] = None,
        last: Last = None,
        before: Before = None,
        updated_since: UpdatedSince = None,
    ) -> Connection[ServiceNode]:
        order = order_by or ServiceOrder()
        f = filter or ServiceFilter()
        scope = scope_of("services", vars(f), order.field.value, order.descending, updated_since)
        arity = queries.service_order_arity(order.field.value)
        page = _page(first, after, arity, last=last, before=before, scope=scope)
        result, providers = await queries.list_services(
            _platform(info),
            _principal(info),
            m.ServiceFilter(
                body=f.state_body,
                category=f.category,
                channel=f.channel.value if f.channel else None,
                centre=f.asan_centre,
                stop=f.bus_stop,
                system=f.information_system,
                status=f.status.value if f.status else None,
                search=f.search,
                updated_since=updated_since,
                region=f.region,
            ),
            after=page.after,
            limit=page.limit,
            order=order.field.value,
            descending=order.descending != page.backward,
        )
        prime_bodies(info, providers)
        return build_connection(
            result.rows, page, result.total, ServiceNode.of, _service_sort_key(order.field)
        )

    @strawberry.field(description="A service by code; null when unknown or not visible.")
    async def service(self, info: Info, code: Code) -> ServiceNode | None:
        return await service_node(info, code)

    @strawberry.field(description="Information systems by name (keyset paging).")
    async def information_systems(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        operator: Annotated[
            str | None,
            strawberry.argument(description="Only systems operated by this state body (code)."),
        ] = None,
        search: Search = None,
        last: Last = None,
        before: Before = None,
        updated_since: UpdatedSince = None,
    ) -> Connection[InformationSystemNode]:
        scope = scope_of("informationSystems", operator, search, updated_since)
        page = _page(first, after, 2, last=last, before=before, scope=scope)
        result = await queries.list_information_systems(
            _platform(info),
            after=page.after,
            limit=page.limit,
            operator=operator,
            search=search,
            backward=page.backward,
            updated_since=updated_since,
        )
        return build_connection(
            result.rows,
            page,
            result.total,
            InformationSystemNode.of,
            lambda x: [az_sort_key(x.name_az), x.code],
        )

    @strawberry.field(description="An information system by code; null when unknown.")
    async def information_system(self, info: Info, code: Code) -> InformationSystemNode | None:
        system = await systems_loader(info).load(code)
        return InformationSystemNode.of(system) if system is not None else None

    @strawberry.field(
        description="Services depending on a system (directly or via data "
        "links) and the centres offering them; one query."
    )
    async def information_system_impact(
        self,
        info: Info,
        code: Annotated[str, strawberry.argument(description="Code of the information system.")],
        first: Annotated[
            int | None,
            strawberry.argument(
                description="Page size of `services` (default 20, max 100).",
                deprecation_reason="Use services(first:); removed after 2027-06-30",
            ),
        ] = 20,
        after: Annotated[
            str | None,
            strawberry.argument(
                description="Cursor for `services`.",
                deprecation_reason="Use services(after:); removed after 2027-06-30",
            ),
        ] = None,
    ) -> InformationSystemImpact | None:
        page = _page(first, after, arity=3, scope=impact_scope(code))
        impact = await queries.impact(
            _platform(info), _principal(info), code, limit=page.limit, after=page.after
        )
        if impact is None:
            return None
        return InformationSystemImpact(
            system=InformationSystemNode.of(impact.system),
            first_page=impact_page(impact, page),
            asan_centres=[AsanCentreNode.of(c) for c in impact.centres],
        )

    @strawberry.field(description="ASAN centres by name (keyset paging).")
    async def asan_centres(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        region: Annotated[
            str | None,
            strawberry.argument(
                description="Whole region name, without case or Azerbaijani letters "
                "(`gence` finds `Gəncə`)."
            ),
        ] = None,
        search: Search = None,
        last: Last = None,
        before: Before = None,
        updated_since: UpdatedSince = None,
    ) -> Connection[AsanCentreNode]:
        scope = scope_of("asanCentres", region, search, updated_since)
        page = _page(first, after, 2, last=last, before=before, scope=scope)
        result = await queries.list_asan_centres(
            _platform(info),
            after=page.after,
            limit=page.limit,
            region=region,
            search=search,
            backward=page.backward,
            updated_since=updated_since,
        )
        return build_connection(
            result.rows, page, result.total, AsanCentreNode.of, queries.asan_centre_sort_key
        )

    @strawberry.field(description="An ASAN centre by code; null when unknown.")
    async def asan_centre(self, info: Info, code: Code) -> AsanCentreNode | None:
        centre = await keyed_loader(info, "catalog.centres", queries.centres_by_codes).load(code)
        return AsanCentreNode.of(centre) if centre is not None else None

    @strawberry.field(description="Mobile service buses (səyyar xidmət) by name; keyset paging.")
    async def mobile_buses(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[MobileBusNode]:
        page = _page(first, after, 2, last=last, before=before, scope="mobileBuses")
        rows = await queries.list_mobile_buses(_platform(info))
        return page_of(rows, page, MobileBusNode.of, lambda b: [az_sort_key(b.name), b.code])

    @strawberry.field(description="Categories and life events, by code (at most 100).")
    async def service_categories(
        self,
        info: Info,
        kind: Annotated[
            CategoryKind | None, strawberry.argument(description="Only this kind; null: both.")
        ] = None,
    ) -> list[Category]:
        found = await queries.list_categories(_platform(info), kind.value if kind else None)
        return [Category.of(c) for c in found]

    @strawberry.field(description="Coverage statistics per state body (published services).")
    async def registry_coverage(
        self,
        info: Info,
        state_bodies: Annotated[
            list[str] | None,
            strawberry.argument(description="Codes of the bodies to count; null: every body."),
        ] = None,
    ) -> list[BodyCoverage]:
        return [BodyCoverage.of(c) for c in await queries.coverage(_platform(info), state_bodies)]


def _service_sort_key(field: ServiceOrderField) -> Callable[[m.Service], list[Any]]:
    if field is ServiceOrderField.CODE:
        return lambda s: [s.code]
    if field is ServiceOrderField.PROCESSING_DAYS:
        return lambda s: [
            s.processing_days if s.processing_days is not None else 1000000,
            az_sort_key(s.name_az),
            s.code,
        ]
    if field is ServiceOrderField.FEE:
        return lambda s: [float(s.fee_amount), az_sort_key(s.name_az), s.code]
    return lambda s: [az_sort_key(s.name_az), s.code]
