"""The registry's mutation payloads: the changed object, or the ``userErrors`` that stopped it."""

from __future__ import annotations

import strawberry

from asan.graphql.errors import UserError
from asan.graphql.registry.nodes import (
    AsanCentreNode,
    InformationSystemNode,
    MobileBusNode,
    ServiceNode,
    StateBodyNode,
)
from asan.graphql.registry.objects import BusStop, Category


@strawberry.type
class StateBodyPayload:
    state_body: StateBodyNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class InformationSystemPayload:
    information_system: InformationSystemNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class LinkInformationSystemsPayload:
    information_systems: list[InformationSystemNode] | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ServicePayload:
    service: ServiceNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CategoryPayload:
    category: Category | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AsanCentrePayload:
    asan_centre: AsanCentreNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class BusStopPayload:
    bus_stop: BusStop | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class MobileBusPayload:
    mobile_bus: MobileBusNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
