"""The one GraphQL schema: every domain's query and mutation types merged, with edge limits.

Domains add their root types to QUERY_TYPES / MUTATION_TYPES; resolvers stay thin in
``asan/graphql/<domain>.py`` and call domain services only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry
from strawberry.tools import merge_types

from asan.graphql import archive, auth, bulk, edge, edms, integration, org, registry, search
from asan.graphql.executor import ExecutionContext
from asan.graphql.guard import QueryGuard
from asan.graphql.input_guard import InputGuard
from asan.graphql.limits import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS
from asan.graphql.platform import SCALAR_OVERRIDES, PlatformQuery

DOMAINS = (org, registry, bulk, auth, integration, edms, archive, search)
QUERY_TYPES: tuple[type, ...] = (PlatformQuery, *(t for d in DOMAINS for t in d.QUERIES))
MUTATION_TYPES: tuple[type, ...] = tuple(t for d in DOMAINS for t in d.MUTATIONS)
SUBSCRIPTION_TYPES: tuple[type, ...] = tuple(integration.SUBSCRIPTIONS)

ROOT_QUERY = (
    "Reads of the registry of state services (state bodies, services, information systems, "
    "ASAN centres, mobile buses), the agency's org structure and regulations, and the audit "
    "trail. Lists are keyset-paged connections (`first` at most 100) unless short and bounded."
)
ROOT_MUTATION = (
    "Changes, each one audited transaction: input problems come back in the payload's "
    "`userErrors`; refusals and outages as GraphQL errors with a code."
)
ROOT_SUB = "Events of the change feed as they are committed."

__all__ = ["MAX_ALIASES", "MAX_DEPTH", "MAX_TOKENS", "build_schema", "schema", "schema_sdl"]


def extensions() -> list[Any]:
    """Factories, so each request gets fresh extension state (the caches are module-level).

    QueryGuard parses (cached, within the token limit), refuses documents over the size,
    depth, alias, nesting and cost limits in linear time, then validates (cached; large
    documents in a worker thread). Strawberry's depth and alias limiters are not used: they
    expand fragments exponentially.
    """
    return [
        InputGuard,  # first: lone surrogates / control characters in any argument refused
        QueryGuard,
        # introspection gate, then error codes and masking (asan/graphql/edge.py)
        *edge.EXTENSIONS,
    ]


def build_schema(
    query_types: Sequence[type] = QUERY_TYPES,
    mutation_types: Sequence[type] = MUTATION_TYPES,
    subscription_types: Sequence[type] = SUBSCRIPTION_TYPES,
) -> strawberry.Schema:
    query = merge_types("Query", tuple(query_types))
    mutation = merge_types("Mutation", tuple(mutation_types)) if mutation_types else None
    subscription = (
        merge_types("Subscription", tuple(subscription_types)) if subscription_types else None
    )
    for root, text in ((query, ROOT_QUERY), (mutation, ROOT_MUTATION), (subscription, ROOT_SUB)):
        if root is not None:  # merge_types takes no description
            root.__strawberry_definition__.description = text  # type: ignore[attr-defined]
    return strawberry.Schema(
        query=query,
        mutation=mutation,
        subscription=subscription,
        extensions=extensions(),
        scalar_overrides=SCALAR_OVERRIDES,
        execution_context_class=ExecutionContext,  # short path for plain leaf fields
    )


schema = build_schema()


def schema_sdl() -> str:
    return schema.as_str() + "\n"
