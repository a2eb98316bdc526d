"""The one interface the rest of the system searches through (issue 12, point 8).

Nothing outside ``asan/search`` imports Whoosh: callers build ``SearchDoc`` values, ask with
a ``SearchQuery`` and read ``SearchResults``. Another engine (tantivy, OpenSearch for a
cluster) replaces ``asan.search.whoosh`` by implementing ``SearchEngine``.

Security trimming is part of the query, not of the caller: every document carries access
tokens (``acl``) and every query the tokens its caller holds (``access``); the engine matches
them inside the search, so totals and facets count only what the caller may read. A query
without tokens finds nothing; only system jobs (rebuild checks, indexers) ask with
``unrestricted=True``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Final, NamedTuple, Protocol

# Access tokens: who may read a document. Built by the indexers from the policy.
PUBLIC: Final = "public"


def unit_token(unit_code: str) -> str:
    return f"unit:{unit_code}"


def user_token(user_id: str) -> str:
    return f"user:{user_id}"


def clearance_token(level: str) -> str:
    return f"clearance:{level}"


FACETS: Final = ("kind", "unit", "body", "year", "status")
MAX_LIMIT: Final = 100
MAX_OFFSET: Final = 10_000
MAX_QUERY_CHARS: Final = 1_000


class DocRef(NamedTuple):
    """A document's identity in the index: ids are unique within a kind only."""

    kind: str
    id: str


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One searchable thing: a document card, a service, a clause, a case, ...

    ``acl`` is required and must not be empty (a document nobody may read is not indexed;
    none is public by omission); ``body`` is the
    text searched and highlighted (extracted text, description, clause text). ``state_body``
    is the "body" facet (the state body a service belongs to), ``unit`` the org unit.
    """

    kind: str
    id: str
    title: str
    body: str = ""
    acl: frozenset[str] = field(kw_only=True)  # required: no document is public by default
    unit: str | None = None
    state_body: str | None = None
    year: int | None = None
    status: str | None = None

    @property
    def ref(self) -> DocRef:
        return DocRef(self.kind, self.id)


class SortOrder(Enum):
    RELEVANCE = "relevance"
    NEWEST = "newest"  # year, most recent first, then relevance
    TITLE = "title"  # Azerbaijani alphabetical order of the title


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What to look for and who asks.

    ``text`` is what the user typed: words (all must match, in any spelling, stemmed, with
    one typo allowed in words of 5+ letters), "quoted phrases" and prefixes (``xidm*``).
    ``kinds``/``units``/``state_bodies``/``years``/``statuses`` narrow the search (empty: no
    restriction). ``access`` are the caller's tokens; ``unrestricted`` skips trimming and is
    for system jobs only. ``text`` may be empty when ``kinds``/facet filters are given: then
    everything the caller may read in them is listed (sorted by title unless said).
    """

    text: str
    access: frozenset[str]
    unrestricted: bool = False
    kinds: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()
    state_bodies: frozenset[str] = frozenset()
    years: frozenset[int] = frozenset()
    statuses: frozenset[str] = frozenset()
    sort: SortOrder = SortOrder.RELEVANCE
    offset: int = 0
    limit: int = 20
    facets: bool = True
    highlights: bool = True


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str
    id: str
    score: float
    title: str
    highlights: tuple[str, ...] = ()
    unit: str | None = None
    state_body: str | None = None
    year: int | None = None
    status: str | None = None

    @property
    def ref(self) -> DocRef:
        return DocRef(self.kind, self.id)


class EmptyReason(Enum):
    """Why a query matched nothing without being run (the caller may tell the user)."""

    NO_TERMS = "no_terms"  # empty, only stop words, only punctuation or wildcards
    NO_ACCESS = "no_access"  # the caller holds no token any document carries


@dataclass(frozen=True, slots=True)
class SearchResults:
    """One page of hits, the total and facet counts, all trimmed to what the caller may read.

    ``facets`` maps a facet name (``FACETS``) to value -> count over every match, not just
    this page.
    """

    hits: tuple[Hit, ...]
    total: int
    facets: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    empty_reason: EmptyReason | None = None


class SearchUnavailable(RuntimeError):
    """The index cannot be opened or read (missing, damaged, other schema); the message
    names the path."""


class QueryRejected(ValueError):
    """The query text cannot be searched (too long, control characters, syntax); the message
    is a user message "Azerbaijani / English"."""


Progress = Callable[[int], None]


class SearchEngine(Protocol):
    """Index, delete, query, rebuild: all the system needs from a full-text engine.

    One writer per index: implementations serialise ``index``/``delete``/``rebuild`` within
    the process and refuse a second writing process rather than wait forever.
    """

    def index(self, docs: Iterable[SearchDoc]) -> int:
        """Adds or replaces documents (by ``ref``); returns how many were written."""
        ...

    def delete(self, refs: Iterable[DocRef]) -> int:
        """Removes documents; unknown ones are ignored. Returns how many were removed."""
        ...

    def apply(self, docs: Iterable[SearchDoc], deletions: Iterable[DocRef]) -> None:
        """``index`` and ``delete`` in one commit (the indexer's batch: both or neither)."""
        ...

    def query(self, q: SearchQuery) -> SearchResults: ...

    def more_like_this(
        self, ref: DocRef, access: frozenset[str], *, limit: int = 10, unrestricted: bool = False
    ) -> SearchResults:
        """Documents similar to ``ref`` (itself excluded), trimmed like ``query``."""
        ...

    def rebuild(self, docs: Iterable[SearchDoc], progress: Progress | None = None) -> int:
        """Re-creates the index from ``docs`` (all of them) and swaps it in when complete;
        queries keep answering from the old index meanwhile. ``progress`` gets the count."""
        ...

    def doc_count(self) -> int: ...

    def deleted_count(self) -> int:
        """Replaced or deleted documents still held (they weigh in ranking statistics)."""
        ...

    def compact(self) -> None:
        """Rewrites the index without its deleted documents, so ranking statistics are those
        of a fresh build (the indexer does it when idle; queries answer meanwhile)."""
        ...
