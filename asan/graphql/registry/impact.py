"""The answer of ``informationSystemImpact``: what stops if an information system stops.

Its own module because it is one query's result shape (a page of impacted services with their
hop counts, plus the centres offering them), built on the node types. The root field reads the
first page with the system; ``services(first:, after:)`` reads another page only when asked.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from asan.core.text import az_sort_key
from asan.graphql.registry.nodes import AsanCentreNode, InformationSystemNode, ServiceNode
from asan.graphql.relay import After, Connection, First, PageRequest, build_connection, scope_of
from asan.graphql.request import page as _page
from asan.graphql.request import platform_of as _platform
from asan.graphql.request import principal_of as _principal
from asan.registry.catalog import models as m
from asan.registry.catalog import queries


@strawberry.type(description="A service that stops when the system stops, and how far away.")
class ImpactedService:
    hops: int = strawberry.field(
        description="0: depends on the system directly; n: through n data-exchange links."
    )
    service: ServiceNode = strawberry.field(description="The impacted service.")


@strawberry.type(description="One page of impacted services, nearest first.")
class ImpactedServiceConnection:
    edges: list[ImpactedServiceEdge] = strawberry.field(description="The page's rows.")
    page_info: relay.PageInfo = strawberry.field(description="Cursors and whether more exist.")
    total_count: int = strawberry.field(description="Every impacted service you may see.")


@strawberry.type(description="An impacted service with its cursor.")
class ImpactedServiceEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after this row.")
    node: ImpactedService = strawberry.field(description="The impacted service.")


def impact_scope(code: str) -> str:
    """Cursors of one system's impact list: refused by another system's list."""
    return scope_of("informationSystemImpact", code)


def impact_page(impact: m.Impact | None, request: PageRequest) -> ImpactedServiceConnection:
    """A page of ``impact.services`` (fetched with ``request.limit``) as a connection."""
    connection: Connection[Any] = build_connection(
        impact.services if impact is not None else (),
        request,
        impact.total_services if impact is not None else 0,
        lambda i: ImpactedService(hops=i.hops, service=ServiceNode.of(i.service)),
        lambda i: (i.hops, az_sort_key(i.service.name_az), i.service.code),
    )
    return ImpactedServiceConnection(
        edges=[ImpactedServiceEdge(cursor=e.cursor, node=e.node) for e in connection.edges],
        page_info=connection.page_info,
        total_count=connection.total_count,
    )


@strawberry.type(description="What stops if an information system stops.")
class InformationSystemImpact:
    system: InformationSystemNode = strawberry.field(description="The system that stops.")
    asan_centres: list[AsanCentreNode] = strawberry.field(
        description="Every ASAN centre offering any impacted service."
    )
    first_page: strawberry.Private[ImpactedServiceConnection]

    @strawberry.field(
        description="Impacted services you may see, nearest first (by hops, then Azerbaijani "
        "name); keyset paging."
    )
    async def services(
        self,
        info: Info,
        first: First = None,
        after: After = None,
    ) -> ImpactedServiceConnection:
        if first is None and after is None:
            return self.first_page
        request = _page(first, after, 3, scope=impact_scope(self.system.code))
        impact = await queries.impact(
            _platform(info), _principal(info), self.system.code, limit=request.limit,
            after=request.after,
        )  # fmt: skip
        return impact_page(impact, request)  # None: the system was deleted meanwhile
