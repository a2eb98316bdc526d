"""The registry's mutation payloads: the changed object, or the ``userErrors`` that stopped it."""

from __future__ import annotations

from typing import Any

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

USER_ERRORS = (
    "Why the input was not accepted, one entry per problem (at most 20); empty when it was."
)


def user_errors() -> Any:
    """The ``userErrors`` field every payload ends with."""
    return strawberry.field(default_factory=list, description=USER_ERRORS)


def result(what: str) -> Any:
    """The payload's object: null when ``userErrors`` stopped the mutation."""
    return strawberry.field(default=None, description=f"The {what}; null when refused.")


@strawberry.type(description="Result of creating or changing a state body.")
class StateBodyPayload:
    state_body: StateBodyNode | None = result("state body as saved")
    user_errors: list[UserError] = user_errors()


@strawberry.type(description="Result of creating or changing an information system.")
class InformationSystemPayload:
    information_system: InformationSystemNode | None = result("information system as saved")
    user_errors: list[UserError] = user_errors()


@strawberry.type(description="Result of declaring data links between information systems.")
class LinkInformationSystemsPayload:
    information_systems: list[InformationSystemNode] | None = result(
        "consumer systems whose links were written (at most 100)"
    )
    user_errors: list[UserError] = user_errors()


@strawberry.type(description="Result of creating, changing or moving a service.")
class ServicePayload:
    service: ServiceNode | None = result("service as saved")
    user_errors: list[UserError] = user_errors()


@strawberry.type(description="Result of creating a category or life event.")
class CategoryPayload:
    category: Category | None = result("category as saved")
    user_errors: list[UserError] = user_errors()


@strawberry.type(description="Result of creating an ASAN service centre.")
class AsanCentrePayload:
    asan_centre: AsanCentreNode | None = result("centre as saved")
    user_errors: list[UserError] = user_errors()


@strawberry.type(description="Result of creating or replacing a bus stop.")
class BusStopPayload:
    bus_stop: BusStop | None = result("bus stop as saved")
    user_errors: list[UserError] = user_errors()


@strawberry.type(description="Result of creating or replacing a mobile bus.")
class MobileBusPayload:
    mobile_bus: MobileBusNode | None = result("bus as saved")
    user_errors: list[UserError] = user_errors()
