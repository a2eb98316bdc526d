"""The search root fields: thin resolvers over ``asan.search.querying``.

``search`` and ``moreLikeThis`` answer input problems and a rebuilding index in the
connection's ``userErrors`` (never a GraphQL error, never a scan); ``suggestCompetentUnit`` is
public, anonymous callers included (the regulations are public).
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from asan.graphql.relay import After
from asan.graphql.request import platform_of, principal_of
from asan.graphql.search.suggestions import CompetentUnit, SuggestFirst, suggested
from asan.graphql.search.types import (
    SORT_ORDERS,
    SearchConnection,
    SearchFilterInput,
    SearchKind,
    SearchSort,
    connection,
)
from asan.search.querying import SearchFilter, SearchRequest, more_like_this, search

SearchText = Annotated[
    str,
    strawberry.argument(
        description="What to look for: words (all must match, in any case, with or without "
        'Azerbaijani letters, stemmed, one typo forgiven in longer words), "quoted phrases" '
        "and prefixes (`xidm*`). At most 1,000 characters and 24 words."
    ),
]
SearchFirst = Annotated[
    int | None,
    strawberry.argument(description="Hits from the start or after `after` (default 20, max 100)."),
]


def _filter(given: SearchFilterInput | None) -> SearchFilter:
    if given is None:
        return SearchFilter()
    return SearchFilter(
        kinds=frozenset(k.value for k in given.kinds or ()),
        units=frozenset(given.units or ()),
        state_bodies=frozenset(given.bodies or ()),
        years=frozenset(given.years or ()),
        statuses=frozenset(given.statuses or ()),
    )


@strawberry.type
class SearchQueries:
    @strawberry.field(
        description="Full-text search across services, state bodies, information systems, org "
        "units, regulation clauses, documents and archive cases, trimmed to what the caller may "
        "read (hits, totals and facets alike). Anonymous callers search the public registry, "
        "org units and regulations."
    )
    async def search(
        self,
        info: Info,
        query: SearchText,
        filter: Annotated[
            SearchFilterInput | None, strawberry.argument(description="Narrow the search.")
        ] = None,
        sort: Annotated[
            SearchSort, strawberry.argument(description="Order of the hits.")
        ] = SearchSort.RELEVANCE,
        first: SearchFirst = None,
        after: After = None,
    ) -> SearchConnection:
        request = SearchRequest(query, _filter(filter), SORT_ORDERS[sort], first, after)
        return connection(await search(platform_of(info), principal_of(info), request))

    @strawberry.field(
        description="Hits similar to one indexed thing (itself excluded), trimmed like "
        "`search`; empty when the caller may not read that thing. No facets; pages reach the "
        "100 most similar."
    )
    async def more_like_this(
        self,
        info: Info,
        kind: Annotated[SearchKind, strawberry.argument(description="The thing's kind.")],
        id: Annotated[str, strawberry.argument(description="Its id (SearchHit.id).")],
        first: Annotated[
            int | None, strawberry.argument(description="How many (default 10, max 100).")
        ] = None,
        after: After = None,
    ) -> SearchConnection:
        answer = await more_like_this(
            platform_of(info), principal_of(info), kind.value, id, first, after
        )
        return connection(answer)

    @strawberry.field(
        description="The agency's units (departments, sectors, centre) most likely competent "
        "for a citizen's matter, ranked by how well their regulation clauses match the text, "
        "each with the clauses that matched. Public."
    )
    async def suggest_competent_unit(
        self,
        info: Info,
        text: Annotated[
            str,
            strawberry.argument(
                description="The appeal's text, as written (with or without Azerbaijani "
                "letters); at most 20,000 characters, judged by its first 4,000."
            ),
        ],
        first: SuggestFirst = 3,
    ) -> list[CompetentUnit]:
        return await suggested(info, text, first)
