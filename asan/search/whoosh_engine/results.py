"""Running a compiled query: the security filter, facets, sorting, pages, snippets."""

from __future__ import annotations

import threading
import weakref
from html import escape
from typing import Any, Final

from whoosh import highlight, sorting
from whoosh.query import Every
from whoosh.searching import Hit as WhooshHit
from whoosh.searching import Results, Searcher

from asan.search.engine import (
    MAX_LIMIT,
    MAX_OFFSET,
    EmptyReason,
    Hit,
    SearchQuery,
    SearchResults,
    SortOrder,
)
from asan.search.querytext import Clause
from asan.search.whoosh_engine.compile import compile_clauses
from asan.search.whoosh_engine.schema import BODY_LOOSE, FACET_FIELDS, TITLE_LOOSE

SNIPPETS: Final = 2
SNIPPET_CHARS: Final = 240
MLT_TERMS: Final = 12


class _Mark(highlight.Formatter):  # type: ignore[misc]
    """Matched words in ``<mark>``, everything else HTML-escaped."""

    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"

    def format_fragment(self, fragment: Any, replace: bool = False) -> str:
        out: list[str] = []
        index = fragment.startchar
        text = fragment.text
        for token in fragment.matches:
            if token.startchar < index:
                continue  # a second stem of the same word (same characters)
            if token.startchar > index:
                out.append(escape(text[index : token.startchar]))
            out.append(self.format_token(text, token, replace))
            index = token.endchar
        out.append(escape(text[index : fragment.endchar]))
        return "".join(out)


FilterKey = tuple[str, frozenset[object]]
_ALLOWED: weakref.WeakKeyDictionary[Searcher, dict[FilterKey, set[int]]] = (
    weakref.WeakKeyDictionary()
)
_ALLOWED_LOCK = threading.Lock()
ALLOWED_CACHED_PER_SEARCHER: Final = 64


def _postings(searcher: Searcher, field: str, values: frozenset[object]) -> set[int]:
    """Live document numbers holding any of ``values`` in ``field``, read straight from each
    segment's posting lists (a Whoosh ``Or`` query walks matchers and scores for nothing)."""
    found: set[int] = set()
    for reader, offset in searcher.reader().leaf_readers():
        column = reader.schema[field]
        deletions = reader.has_deletions()
        for value in values:
            text = column.to_bytes(value)
            if (field, text) not in reader:
                continue
            ids = reader.postings(field, text).all_ids()
            if deletions:
                found.update(offset + d for d in ids if not reader.is_deleted(d))
            else:
                found.update(offset + d for d in ids)
    return found


def _part(searcher: Searcher, field: str, values: frozenset[object]) -> set[int]:
    """One part of the filter, cached per searcher (an index generation): callers share few
    token sets and few filters, and each is cached apart, so a new combination is one set
    intersection, not a walk of the postings."""
    key: FilterKey = (field, values)
    with _ALLOWED_LOCK:
        cached = _ALLOWED.setdefault(searcher, {})
        found = cached.get(key)
    if found is None:
        found = _postings(searcher, field, values)
        with _ALLOWED_LOCK:
            if len(cached) >= ALLOWED_CACHED_PER_SEARCHER:
                cached.pop(next(iter(cached)))
            cached[key] = found
    return found


def allowed_docs(searcher: Searcher, q: SearchQuery) -> set[int] | None:
    """The document numbers the security filter and the facet filters let through (``None``:
    no filter at all): the intersection of one cached set per part. Shared with the cache:
    never modify the answer (Whoosh only reads a filter; it takes a ``set``, no frozenset)."""
    parts: list[tuple[str, frozenset[object]]] = []
    if not q.unrestricted:
        parts.append(("acl", frozenset(q.access)))
    for field, values in (
        ("kind", q.kinds),
        ("unit", q.units),
        ("state_body", q.state_bodies),
        ("status", q.statuses),
        ("year", q.years),
    ):
        if values:
            parts.append((field, frozenset(values)))
    if not parts:
        return None
    sets = sorted((_part(searcher, field, values) for field, values in parts), key=len)
    allowed = sets[0]
    for other in sets[1:]:
        allowed = allowed & other
    return allowed


def _sorting(q: SearchQuery, has_text: bool) -> Any:
    order = q.sort
    if order is SortOrder.RELEVANCE and not has_text:
        order = SortOrder.TITLE  # nothing to score: an order a reader can follow
    if order is SortOrder.NEWEST:
        return sorting.MultiFacet([sorting.FieldFacet("year", reverse=True), sorting.ScoreFacet()])
    if order is SortOrder.TITLE:
        return sorting.FieldFacet("title_sort")
    return None


def _facets() -> sorting.Facets:
    facets = sorting.Facets()
    for name, field in FACET_FIELDS.items():
        facets.add_field(field, allow_overlap=False, maptype=sorting.Count)
        facets.facets[name] = facets.facets.pop(field)
    return facets


def _facet_counts(results: Results) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for name in FACET_FIELDS:
        groups = results.groups(name)
        # Documents without the value sit in the column as "" (or 0 for the year): not a value.
        out[name] = {str(value): int(n) for value, n in groups.items() if value}
    return out


def _snippets(hit: WhooshHit) -> tuple[str, ...]:
    body = hit.get("body") or ""
    found = hit.highlights(BODY_LOOSE, text=body, top=SNIPPETS) if body else ""
    if not found:
        found = hit.highlights(TITLE_LOOSE, text=hit.get("title") or "", top=1)
    return tuple(part for part in found.split(_Mark.between) if part)


def _hit(hit: WhooshHit, with_snippets: bool) -> Hit:
    return Hit(
        kind=hit["kind"],
        id=hit["id"],
        # Sorted searches put the sort key in ``score``: only a relevance order has scores.
        score=float(hit.score) if isinstance(hit.score, (int, float)) else 0.0,
        title=hit.get("title") or "",
        highlights=_snippets(hit) if with_snippets else (),
        unit=hit.get("unit"),
        state_body=hit.get("state_body"),
        year=hit.get("year"),
        status=hit.get("status"),
    )


def _page(results: Results, q: SearchQuery, offset: int, limit: int) -> tuple[Hit, ...]:
    results.fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
    results.formatter = _Mark()
    return tuple(_hit(h, q.highlights) for h in results[offset : offset + limit])


def run(searcher: Searcher, q: SearchQuery, clauses: tuple[Clause, ...]) -> SearchResults:
    offset = min(max(q.offset, 0), MAX_OFFSET)
    limit = min(max(q.limit, 0), MAX_LIMIT)
    query = compile_clauses(searcher.reader(), clauses) if clauses else Every()
    if query is None:
        return SearchResults(hits=(), total=0, empty_reason=EmptyReason.NO_TERMS)
    allowed = allowed_docs(searcher, q)
    if allowed is not None and not allowed:
        return SearchResults(
            hits=(), total=0, facets={n: {} for n in FACET_FIELDS} if q.facets else {}
        )
    results = searcher.search(
        query,
        filter=allowed,
        limit=max(offset + limit, 1),
        sortedby=_sorting(q, bool(clauses)),
        groupedby=_facets() if q.facets else None,
    )
    return SearchResults(
        hits=_page(results, q, offset, limit),
        total=len(results),
        facets=_facet_counts(results) if q.facets else {},
    )


def similar(
    searcher: Searcher, key: str, access: frozenset[str], limit: int, unrestricted: bool
) -> SearchResults:
    """ "More like this": the source must itself be readable by the caller."""
    docnum = searcher.document_number(key=key)
    q = SearchQuery(text="", access=access, unrestricted=unrestricted, facets=False)
    allowed = allowed_docs(searcher, q)
    if docnum is None or (allowed is not None and docnum not in allowed):
        return SearchResults(hits=(), total=0)
    stored = searcher.stored_fields(docnum)
    text = f"{stored.get('title') or ''}\n{stored.get('body') or ''}"
    results = searcher.more_like(
        docnum,
        BODY_LOOSE,
        text=text,
        top=min(max(limit, 1), MAX_LIMIT),
        numterms=MLT_TERMS,
        filter=allowed,
    )
    return SearchResults(hits=tuple(_hit(h, False) for h in results), total=len(results))
