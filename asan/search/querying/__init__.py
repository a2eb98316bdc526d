"""Search as callers use it (issue 12, points 4, 6 and 7): queries, "more like this" and the
competent-unit suggestion, with validation, opaque cursors and the index's availability.

GraphQL (``asan/graphql/search``) is a thin layer over these functions.
"""

from asan.search.querying.models import (
    KINDS,
    PagedHit,
    QueryProblem,
    SearchAnswer,
    SearchFilter,
    SearchRequest,
)
from asan.search.querying.reads import more_like_this, search
from asan.search.querying.suggesting import CACHE, suggest_competent_units, text_problem

__all__ = [
    "CACHE",
    "KINDS",
    "PagedHit",
    "QueryProblem",
    "SearchAnswer",
    "SearchFilter",
    "SearchRequest",
    "more_like_this",
    "search",
    "suggest_competent_units",
    "text_problem",
]
