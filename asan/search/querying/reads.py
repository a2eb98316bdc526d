"""The search use cases: a query and "more like this", trimmed to what the caller may read.

The caller's access tokens come from every source's policy (``access_of``) and travel inside
the engine's query, so hits, totals and facets hold only what the caller may read. The engine
is synchronous (Whoosh): it runs in a worker thread, with the index's availability read in the
same call. An index that is missing or unreadable (being built or rebuilt) answers
``REBUILDING`` with no hits and a ``SEARCH_REBUILDING`` problem instead of an error; an old
index that still answers during a rebuild serves hits and reports the rebuild's progress.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from asan.auth.principal import Principal
from asan.core.platform import Platform
from asan.search.engine import (
    MAX_LIMIT,
    MAX_OFFSET,
    DocRef,
    EmptyReason,
    SearchQuery,
    SearchResults,
    SearchUnavailable,
)
from asan.search.index import Availability, SearchIndex
from asan.search.indexing.state import IndexStatus
from asan.search.querying import cursor
from asan.search.querying.models import (
    BAD_INPUT,
    KINDS,
    MAX_FACET_VALUES,
    REBUILDING,
    PagedHit,
    QueryProblem,
    SearchAnswer,
    SearchRequest,
)
from asan.search.querying.validation import (
    NOTHING_TO_SEARCH,
    clauses_of,
    filter_problems,
    page_size,
)
from asan.search.sources import access_of

MAX_ID_CHARS = 200
DEFAULT_SIMILAR = 10

REBUILDING_PROBLEM = QueryProblem(
    REBUILDING, None, "axtarış yenidən qurulur / search is being rebuilt"
)


def _facets(raw: Mapping[str, Mapping[str, int]]) -> dict[str, tuple[tuple[str, int], ...]]:
    """Each facet's values, most frequent first (then by value), at most ``MAX_FACET_VALUES``."""
    return {
        name: tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:MAX_FACET_VALUES])
        for name, counts in raw.items()
    }


def _ask(
    index: SearchIndex, ask: SearchQuery | tuple[DocRef, frozenset[str], int]
) -> tuple[Availability, SearchResults | None]:
    """Availability and, when the index answers, the results (in a worker thread)."""
    available = index.availability()
    if not available.answering:
        return available, None
    engine = index.engine()
    try:
        if isinstance(ask, SearchQuery):
            return available, engine.query(ask)
        ref, access, limit = ask
        return available, engine.more_like_this(ref, access, limit=limit)
    except SearchUnavailable as exc:  # removed or swapped between the two reads
        unavailable = Availability(
            IndexStatus.REBUILDING, False, done=available.done, reason=str(exc)
        )
        return unavailable, None


def _unavailable(available: Availability, fingerprint: str) -> SearchAnswer:
    return SearchAnswer(
        status=IndexStatus.REBUILDING,
        progress=available.done,
        problems=(REBUILDING_PROBLEM,),
        fingerprint=fingerprint,
    )


async def search(platform: Platform, principal: Principal, request: SearchRequest) -> SearchAnswer:
    print_ = cursor.fingerprint(request)
    problems: list[QueryProblem] = []
    first = page_size(request.first)
    if isinstance(first, QueryProblem):
        problems.append(first)
    after = cursor.decode(request.after, print_)
    if isinstance(after, QueryProblem):
        problems.append(after)
    clauses = clauses_of(request.text)
    if isinstance(clauses, QueryProblem):
        problems.append(clauses)
    problems += filter_problems(request.filter)
    if problems or isinstance(first, QueryProblem) or isinstance(after, QueryProblem):
        return SearchAnswer(problems=tuple(problems), fingerprint=print_)
    if isinstance(clauses, QueryProblem):  # already among the problems
        return SearchAnswer(problems=(clauses,), fingerprint=print_)
    if not clauses and request.filter.empty:
        return SearchAnswer(
            problems=(NOTHING_TO_SEARCH,), empty_reason=EmptyReason.NO_TERMS, fingerprint=print_
        )
    offset = after + 1
    f = request.filter
    query = SearchQuery(
        text=request.text,
        access=access_of(principal),
        kinds=f.kinds,
        units=f.units,
        state_bodies=f.state_bodies,
        years=f.years,
        statuses=f.statuses,
        sort=request.sort,
        offset=offset,
        limit=first,
    )
    available, results = await asyncio.to_thread(_ask, platform.search, query)
    if results is None:
        return _unavailable(available, print_)
    end = offset + len(results.hits)
    return SearchAnswer(
        hits=tuple(PagedHit(hit, offset + i) for i, hit in enumerate(results.hits)),
        total=results.total,
        facets=_facets(results.facets),
        status=available.status,
        progress=available.done if available.status is IndexStatus.REBUILDING else 0,
        problems=(NOTHING_TO_SEARCH,) if results.empty_reason is EmptyReason.NO_TERMS else (),
        empty_reason=results.empty_reason,
        has_next=end < min(results.total, MAX_OFFSET),
        has_previous=offset > 0,
        fingerprint=print_,
    )


async def more_like_this(
    platform: Platform,
    principal: Principal,
    kind: str,
    id_: str,
    first: int | None,
    after: str | None = None,
) -> SearchAnswer:
    """Documents like ``kind``/``id_``, trimmed like a search; nothing when the caller may not
    read the document itself (its existence is not revealed). Pages reach the ``MAX_LIMIT``
    most similar documents; beyond them similarity means little."""
    print_ = cursor.fingerprint(SearchRequest(f"{kind}\n{id_}"), "more_like_this")
    problems: list[QueryProblem] = []
    limit = page_size(first if first is not None else DEFAULT_SIMILAR)
    if isinstance(limit, QueryProblem):
        problems.append(limit)
    position = cursor.decode(after, print_)
    if isinstance(position, QueryProblem):
        problems.append(position)
    if kind not in KINDS:
        problems.append(QueryProblem(BAD_INPUT, "kind", f"naməlum növ / unknown kind: {kind}"))
    if not id_.strip() or len(id_) > MAX_ID_CHARS:
        problems.append(
            QueryProblem(
                BAD_INPUT,
                "id",
                f"id boş və ya {MAX_ID_CHARS} simvoldan uzun olmamalıdır / "
                f"id must be non-empty and at most {MAX_ID_CHARS} characters",
            )
        )
    if problems or isinstance(limit, QueryProblem) or isinstance(position, QueryProblem):
        return SearchAnswer(problems=tuple(problems), fingerprint=print_)
    offset = position + 1
    wanted = min(offset + limit, MAX_LIMIT)
    ask = (DocRef(kind, id_), access_of(principal), wanted)
    available, results = await asyncio.to_thread(_ask, platform.search, ask)
    if results is None:
        return _unavailable(available, print_)
    page = results.hits[offset:wanted] if limit else ()
    return SearchAnswer(
        hits=tuple(PagedHit(hit, offset + i) for i, hit in enumerate(page)),
        total=results.total,
        status=available.status,
        progress=available.done if available.status is IndexStatus.REBUILDING else 0,
        has_next=offset + len(page) < min(results.total, MAX_LIMIT) and len(page) == limit,
        has_previous=offset > 0,
        fingerprint=print_,
    )
