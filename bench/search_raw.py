"""Raw Whoosh, the search benchmark's baseline: the same schema and analyzer as the engine,
written and searched with Whoosh's own API and none of the engine's layers (no query-text
parser, no bounded expansions or typo neighbours, no per-searcher cache of the access filter,
no gate or writer context, no ``SearchDoc`` checks).

What the baseline does per query is what a plain Whoosh user would write: the words analysed
with our analyzer into the four text fields with the engine's boosts, ``Prefix`` and
``Sequence`` queries, the access tokens and filters as a filter query handed to
``searcher.search`` (Whoosh resolves it on every search), the same five facets and the
highlights of the page's hits.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from whoosh import highlight, sorting
from whoosh.index import Index
from whoosh.query import And, NumericRange, Or, Prefix, Query, Sequence, Term
from whoosh.searching import Searcher

from asan.core.text import az_sort_key, normalize
from asan.search.analysis import analyze, exact_form, loose_form
from asan.search.engine import SearchDoc
from bench.search_corpus import BenchQuery

FIELDS: Final = (
    ("title_exact", "exact", 3.0),
    ("body_exact", "exact", 2.0),
    ("title_loose", "loose", 1.5),
    ("body_loose", "loose", 1.0),
)
FACETS: Final = ("kind", "unit", "state_body", "year", "status")
LIMIT: Final = 20


def fields(doc: SearchDoc) -> dict[str, Any]:
    title, body = normalize(doc.title), normalize(doc.body)
    out: dict[str, Any] = {
        "key": f"{doc.kind}\x1f{doc.id}",
        "kind": doc.kind,
        "id": doc.id,
        "title": title,
        "body": body,
        "title_exact": title,
        "title_loose": title,
        "body_exact": body,
        "body_loose": body,
        "acl": ",".join(sorted(doc.acl)),
        "title_sort": az_sort_key(title),
    }
    for name in ("unit", "state_body", "status", "year"):
        value = getattr(doc, name)
        if value is not None:
            out[name] = value
    return out


def write(ix: Index, docs: Iterable[SearchDoc]) -> int:
    """One writer, one commit: a batch as a plain Whoosh program adds new documents."""
    count = 0
    writer = ix.writer(limitmb=256)
    for doc in docs:
        writer.add_document(**fields(doc))
        count += 1
    writer.commit()
    return count


def _word(word: str) -> Query | None:
    parts: list[Query] = []
    for field, form, boost in FIELDS:
        positions = analyze(word, form)  # type: ignore[arg-type]
        if not positions:
            return None
        parts.extend(Term(field, stem, boost=boost) for stem in positions[0])
    return Or(parts)


def _prefix(word: str) -> Query:
    return Or(
        [
            Prefix(field, exact_form(word) if form == "exact" else loose_form(word), boost=boost)
            for field, form, boost in FIELDS
        ]
    )


def _phrase(text: str) -> Query | None:
    parts: list[Query] = []
    for field, form, boost in FIELDS:
        positions = analyze(text, form)  # type: ignore[arg-type]
        if not positions:
            return None
        steps = [Or([Term(field, t) for t in alternatives]) for alternatives in positions]
        parts.append(steps[0] if len(steps) == 1 else Sequence(steps, boost=boost))
    return Or(parts)


def text_query(q: BenchQuery) -> Query | None:
    """The query of the bench's text: every clause must match."""
    text = q.text.strip()
    if text.startswith('"'):
        return _phrase(text.strip('"'))
    if text.endswith("*"):
        return _prefix(text[:-1])
    clauses = [c for c in (_word(w) for w in text.split()) if c is not None]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else And(clauses)


def filter_query(q: BenchQuery) -> Query:
    parts: list[Query] = [Or([Term("acl", t) for t in sorted(q.caller.access)])]
    if q.kinds:
        parts.append(Or([Term("kind", k) for k in sorted(q.kinds)]))
    if q.units:
        parts.append(Or([Term("unit", u) for u in sorted(q.units)]))
    if q.years:
        parts.append(Or([NumericRange("year", y, y) for y in sorted(q.years)]))
    return parts[0] if len(parts) == 1 else And(parts)


def search(searcher: Searcher, q: BenchQuery) -> int:
    """The total the caller may see (facets counted and the page highlighted on the way)."""
    query = text_query(q)
    if query is None:
        return 0
    facets = sorting.Facets()
    for name in FACETS:
        facets.add_field(name, allow_overlap=False, maptype=sorting.Count)
    results = searcher.search(query, filter=filter_query(q), limit=LIMIT, groupedby=facets)
    results.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=60)
    for name in FACETS:
        results.groups(name)
    for hit in results:
        hit.highlights("body_loose", text=hit.get("body") or "", top=2)
    return len(results)
