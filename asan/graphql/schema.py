"""The one GraphQL schema: every domain's query and mutation types merged, with edge limits.

Domains add their root types to QUERY_TYPES / MUTATION_TYPES; resolvers stay thin in
``asan/graphql/<domain>.py`` and call domain services only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.tools import merge_types

from asan.graphql import auth, bulk, edge, org, registry
from asan.graphql.platform import PlatformQuery

DOMAINS = (org, registry, bulk, auth)
QUERY_TYPES: tuple[type, ...] = (PlatformQuery, *(t for d in DOMAINS for t in d.QUERIES))
MUTATION_TYPES: tuple[type, ...] = tuple(t for d in DOMAINS for t in d.MUTATIONS)

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 4000

# The depth and alias limiters build a new validation-rule class in every constructor. The
# validation cache is keyed by the rule classes, so per-request limiters would defeat it:
# build the rules once and hand the same classes to every request.
_LIMIT_RULES = [
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
]


class EdgeLimits(AddValidationRules):
    def __init__(self) -> None:
        super().__init__(_LIMIT_RULES)


def extensions() -> list[Any]:
    """Factories, so each request gets fresh extension state (the caches are module-level).

    Parser and validation caches come first: repeated small queries skip both steps.
    """
    return [
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
        EdgeLimits,
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        # cost limit and introspection gate, then error codes and masking (asan/graphql/edge.py)
        *edge.EXTENSIONS,
    ]


def build_schema(
    query_types: Sequence[type] = QUERY_TYPES, mutation_types: Sequence[type] = MUTATION_TYPES
) -> strawberry.Schema:
    query = merge_types("Query", tuple(query_types))
    mutation = merge_types("Mutation", tuple(mutation_types)) if mutation_types else None
    return strawberry.Schema(query=query, mutation=mutation, extensions=extensions())


schema = build_schema()


def schema_sdl() -> str:
    return schema.as_str() + "\n"
