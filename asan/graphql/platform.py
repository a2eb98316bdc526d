"""Platform-level GraphQL fields (who we are, which version answers) and the documented scalars.

The scalars keep strawberry's parsing and serialisation; only their descriptions change, so an
integrator reads in the schema itself what a ``Decimal`` or a ``DateTime`` looks like.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.schema.types.base_scalars import (
    DateDefinition,
    DateTimeDefinition,
    DecimalDefinition,
)
from strawberry.schema.types.scalar import DEFAULT_SCALAR_REGISTRY

API_VERSION = "1.0.0"

SCALAR_OVERRIDES: dict[object, Any] = {
    date: replace(
        DateDefinition,
        description="A calendar date, ISO 8601: `2026-11-30`.",
    ),
    datetime: replace(
        DateTimeDefinition,
        description="An instant, ISO 8601 with an offset: `2026-11-30T10:15:00+00:00` (the "
        "registry records instants in UTC).",
    ),
    Decimal: replace(
        DecimalDefinition,
        description='An exact decimal number as a string with a decimal point: `"20.00"` '
        "(fees are in AZN, manat). Sent as a string so no client rounds it through a float.",
    ),
    JSON: replace(
        DEFAULT_SCALAR_REGISTRY[JSON],
        description="Any JSON value (ECMA-404); each field using it documents its shape.",
    ),
}


@strawberry.type(description="Fields about the API itself.")
class PlatformQuery:
    node: relay.Node | None = relay.node(
        description="Any object by its global id; null with a NOT_FOUND error when unknown."
    )

    @strawberry.field(description="Version of the ASAN GraphQL API.")
    def api_version(self) -> str:
        return API_VERSION
