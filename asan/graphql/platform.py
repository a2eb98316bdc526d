"""Platform-level GraphQL fields: who we are and which version answers."""

from __future__ import annotations

import strawberry
from strawberry import relay

API_VERSION = "0.1.0"


@strawberry.type
class PlatformQuery:
    node: relay.Node | None = relay.node(
        description="Any object by its global id; null with a NOT_FOUND error when unknown."
    )

    @strawberry.field(description="Version of the ASAN GraphQL API.")
    def api_version(self) -> str:
        return API_VERSION
