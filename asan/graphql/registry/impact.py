"""The answer of ``informationSystemImpact``: what stops if an information system stops.

Its own module because it is one query's result shape (a page of impacted services with their
hop counts, plus the centres offering them), built on the node types.
"""

from __future__ import annotations

import strawberry
from strawberry import relay

from asan.graphql.registry.nodes import AsanCentreNode, InformationSystemNode, ServiceNode


@strawberry.type
class ImpactedService:
    hops: int = strawberry.field(description="0: depends directly; n: through n data links")
    service: ServiceNode


@strawberry.type(description="One page of impacted services, nearest first.")
class ImpactedServiceConnection:
    edges: list[ImpactedServiceEdge]
    page_info: relay.PageInfo
    total_count: int = strawberry.field(description="Every impacted service you may see.")


@strawberry.type
class ImpactedServiceEdge:
    cursor: str
    node: ImpactedService


@strawberry.type(description="What stops if an information system stops.")
class InformationSystemImpact:
    system: InformationSystemNode
    services: ImpactedServiceConnection
    asan_centres: list[AsanCentreNode]
