"""What a search asks and answers, independent of GraphQL and of the engine.

``SearchRequest`` is what a caller typed and chose; ``SearchAnswer`` is one page of hits with
the total, the facets and the index's state, or the problems (``QueryProblem``) that stopped
the search. Problems are data, not exceptions: a search box shows them beside an empty list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from asan.search.engine import EmptyReason, Hit, SortOrder
from asan.search.indexing.state import IndexStatus

# Every kind the index holds (``SearchDoc.kind``), as the sources name them.
KINDS: Final = (
    "service",
    "state_body",
    "information_system",
    "org_unit",
    "clause",
    "document",
    "case",
)
MAX_FILTER_VALUES: Final = 20  # values per filter list (each is one term of the filter)
MAX_FILTER_CHARS: Final = 100  # a unit, body or status code is far shorter
MAX_FACET_VALUES: Final = 50  # values shown per facet, most frequent first

# Problem codes (userErrors). BAD_USER_INPUT as everywhere; the two below are search's own.
BAD_INPUT: Final = "BAD_USER_INPUT"
NO_TERMS: Final = "SEARCH_NO_TERMS"
REBUILDING: Final = "SEARCH_REBUILDING"


@dataclass(frozen=True, slots=True)
class SearchFilter:
    kinds: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()
    state_bodies: frozenset[str] = frozenset()
    years: frozenset[int] = frozenset()
    statuses: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.kinds or self.units or self.state_bodies or self.years or self.statuses)

    def key(self) -> list[list[object]]:
        """A stable, order-free form for the cursor's fingerprint."""
        parts: tuple[frozenset[str] | frozenset[int], ...] = (
            self.kinds,
            self.units,
            self.state_bodies,
            self.years,
            self.statuses,
        )
        return [sorted(part, key=str) for part in parts]


@dataclass(frozen=True, slots=True)
class SearchRequest:
    text: str
    filter: SearchFilter = SearchFilter()
    sort: SortOrder = SortOrder.RELEVANCE
    first: int | None = None
    after: str | None = None


@dataclass(frozen=True, slots=True)
class QueryProblem:
    code: str
    field: str | None
    message: str  # "Azerbaijani / English"


@dataclass(frozen=True, slots=True)
class PagedHit:
    hit: Hit
    position: int  # 0-based rank in the whole result: the cursor encodes it


@dataclass(frozen=True, slots=True)
class SearchAnswer:
    hits: tuple[PagedHit, ...] = ()
    total: int = 0
    facets: Mapping[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    status: IndexStatus = IndexStatus.READY
    progress: int = 0  # documents a running rebuild has written
    problems: tuple[QueryProblem, ...] = ()
    empty_reason: EmptyReason | None = None
    has_next: bool = False
    has_previous: bool = False
    fingerprint: str = ""  # of the query, filter and order: every cursor carries it
