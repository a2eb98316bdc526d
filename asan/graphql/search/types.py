"""GraphQL types of full-text search: hits across kinds, facets, the index's state.

``SearchConnection`` is a Relay connection (``edges``/``pageInfo``, so the cost estimate
multiplies by ``first``) with the search's own fields beside it: ``totalCount``, ``facets``,
``status`` and ``userErrors``. A hit carries what the index stored (title, snippets, facet
values) and ``node``, the real object read through its own type's resolver, which applies
that type's read policy again.
"""

from __future__ import annotations

import enum

import strawberry
from strawberry import relay
from strawberry.types import Info

from asan.graphql.described import value
from asan.graphql.errors import UserError
from asan.graphql.search.nodes import load_node
from asan.search.engine import SortOrder
from asan.search.querying import PagedHit, QueryProblem, SearchAnswer, cursor


@strawberry.enum(name="SearchKind", description="What a search hit is.")
class SearchKind(enum.Enum):
    SERVICE = value("service", "A state service of the registry.")
    STATE_BODY = value("state_body", "A state body (dövlət orqanı) that provides services.")
    INFORMATION_SYSTEM = value("information_system", "A state information system.")
    ORG_UNIT = value("org_unit", "A unit of the agency: department, sector, centre.")
    CLAUSE = value("clause", "A clause (bənd) of a unit's regulation (Əsasnamə).")
    DOCUMENT = value("document", "A document of the document circulation (card and text).")
    CASE = value("case", "An archive case (iş) of a year's nomenclature.")


@strawberry.enum(name="SearchSort", description="The order of search hits.")
class SearchSort(enum.Enum):
    RELEVANCE = value("relevance", "Best match first (a listing without words: by title).")
    NEWEST = value("newest", "Most recent year first, then best match.")
    TITLE = value("title", "By title in Azerbaijani alphabetical order.")


SORT_ORDERS = {
    SearchSort.RELEVANCE: SortOrder.RELEVANCE,
    SearchSort.NEWEST: SortOrder.NEWEST,
    SearchSort.TITLE: SortOrder.TITLE,
}


@strawberry.enum(name="SearchIndexStatus", description="Whether the search index answers.")
class SearchIndexStatus(enum.Enum):
    READY = value("ready", "The index is complete and answers.")
    REBUILDING = value(
        "rebuilding",
        "The index is being built or rebuilt: while no index answers, searches return no "
        "hits and the userError SEARCH_REBUILDING; an old index may answer meanwhile.",
    )


@strawberry.enum(name="SearchEmptyReason", description="Why a search found nothing unrun.")
class SearchEmptyReason(enum.Enum):
    NO_TERMS = value(
        "no_terms", "Nothing to search for: empty, only stop words, punctuation or wildcards."
    )
    NO_ACCESS = value("no_access", "The caller holds no access to any indexed document.")


@strawberry.input(name="SearchFilter", description="Narrow a search (all given lists apply).")
class SearchFilterInput:
    kinds: list[SearchKind] | None = strawberry.field(
        default=None, description="Only these kinds (at most 20 values per list)."
    )
    units: list[str] | None = strawberry.field(
        default=None, description="Only these org units (codes such as DEPT-IT)."
    )
    bodies: list[str] | None = strawberry.field(
        default=None, description="Only these state bodies (codes such as DIN)."
    )
    years: list[int] | None = strawberry.field(
        default=None, description="Only these years (a document's registration year, ...)."
    )
    statuses: list[str] | None = strawberry.field(
        default=None, description="Only these statuses (as the `status` facet names them)."
    )


@strawberry.type(name="SearchFacetCount", description="One value of a facet and its count.")
class FacetCount:
    value: str = strawberry.field(description="The value (a kind, unit code, year, ...).")
    count: int = strawberry.field(description="Matching hits with it, readable by the caller.")


def _counts(answer: SearchAnswer, name: str) -> list[FacetCount]:
    return [FacetCount(value=v, count=n) for v, n in answer.facets.get(name, ())]


@strawberry.type(
    name="SearchFacets",
    description="Counts over every matching hit the caller may read (not only this page), "
    "most frequent first, at most 50 values per facet.",
)
class SearchFacets:
    kind: list[FacetCount] = strawberry.field(description="Per kind (SearchKind values).")
    unit: list[FacetCount] = strawberry.field(description="Per org unit code.")
    body: list[FacetCount] = strawberry.field(description="Per state body code.")
    year: list[FacetCount] = strawberry.field(description="Per year.")
    status: list[FacetCount] = strawberry.field(description="Per status.")

    @classmethod
    def of(cls, answer: SearchAnswer) -> SearchFacets:
        return cls(
            kind=_counts(answer, "kind"),
            unit=_counts(answer, "unit"),
            body=_counts(answer, "body"),
            year=_counts(answer, "year"),
            status=_counts(answer, "status"),
        )


@strawberry.type(name="SearchHit", description="One thing a search found.")
class SearchHit:
    kind: SearchKind = strawberry.field(description="What it is.")
    id: str = strawberry.field(
        description="Its id within its kind: a code (services, bodies, systems, units), a "
        "clause key, a document or case id."
    )
    title: str = strawberry.field(description="Its title as indexed.")
    score: float = strawberry.field(description="Relevance (0 when sorted by another order).")
    highlights: list[str] = strawberry.field(
        description="Up to two snippets of the text around the matched words, HTML-escaped, "
        "the matched words in <mark>."
    )
    unit: str | None = strawberry.field(description="Its org unit's code, where it has one.")
    body: str | None = strawberry.field(description="Its state body's code, where it has one.")
    year: int | None = strawberry.field(description="Its year, where it has one.")
    status: str | None = strawberry.field(description="Its status, where it has one.")

    @classmethod
    def of(cls, paged: PagedHit) -> SearchHit:
        hit = paged.hit
        return cls(
            kind=SearchKind(hit.kind),
            id=hit.id,
            title=hit.title,
            score=round(hit.score, 4),
            highlights=list(hit.highlights),
            unit=hit.unit,
            body=hit.state_body,
            year=hit.year,
            status=hit.status,
        )

    @strawberry.field(
        description="The object itself (Service, StateBody, InformationSystem, OrgUnit, Clause, "
        "Document, Case) read now through its own policy; null if it is gone or not readable."
    )
    async def node(self, info: Info) -> relay.Node | None:
        return await load_node(info, self.kind.value, self.id)


@strawberry.type(name="SearchEdge", description="A hit and its cursor.")
class SearchEdge:
    cursor: str = strawberry.field(description="Continue after this hit (`after`).")
    node: SearchHit = strawberry.field(description="The hit.")


@strawberry.type(
    name="SearchConnection",
    description="A page of search hits trimmed to what the caller may read, with the total, "
    "facets, the index's state and the problems that stopped the search.",
)
class SearchConnection:
    edges: list[SearchEdge] = strawberry.field(description="The hits of this page, in order.")
    page_info: relay.PageInfo = strawberry.field(description="Paging (forward only).")
    total_count: int = strawberry.field(description="Every matching hit the caller may read.")
    facets: SearchFacets = strawberry.field(description="Counts per facet over every match.")
    status: SearchIndexStatus = strawberry.field(description="Whether the index answers.")
    rebuild_progress: int = strawberry.field(
        description="Documents written so far by a running rebuild (0 when READY)."
    )
    empty_reason: SearchEmptyReason | None = strawberry.field(
        description="Why the search was not run although the input was valid; null: it ran."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Problems with the input (field `query`, `first`, `after`, `filter.*`) "
        "or SEARCH_REBUILDING; the hits are then empty."
    )


_KNOWN = frozenset(kind.value for kind in SearchKind)


def user_errors(problems: tuple[QueryProblem, ...]) -> list[UserError]:
    return [UserError(field=p.field, message=p.message, code=p.code) for p in problems]


def connection(answer: SearchAnswer) -> SearchConnection:
    # a kind no source indexes any more (an index older than a rename) has no type: skipped
    # rather than failing the page (tests/search/test_query_kinds.py keeps the lists equal)
    edges = [
        SearchEdge(cursor=cursor.encode(h.position, answer.fingerprint), node=SearchHit.of(h))
        for h in answer.hits
        if h.hit.kind in _KNOWN
    ]
    return SearchConnection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=answer.has_next,
            has_previous_page=answer.has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=answer.total,
        facets=SearchFacets.of(answer),
        status=SearchIndexStatus(answer.status.value),
        rebuild_progress=answer.progress,
        empty_reason=(
            SearchEmptyReason(answer.empty_reason.value) if answer.empty_reason else None
        ),
        user_errors=user_errors(answer.problems),
    )


__all__ = [
    "SORT_ORDERS",
    "SearchConnection",
    "SearchFilterInput",
    "SearchHit",
    "SearchKind",
    "SearchSort",
    "connection",
    "user_errors",
]
