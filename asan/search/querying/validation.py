"""Checks of a search request before the index is asked: every problem a user can fix, named.

The query text itself is parsed by ``asan.search.querytext`` (the same parser the engine
runs): whatever it refuses (too long, control or invisible characters, too many words) is a
problem of the field ``query``; text that leaves nothing to look for (empty, blanks, only stop
words, punctuation or wildcards) is ``SEARCH_NO_TERMS``, answered with an empty result rather
than a scan of the whole index.
"""

from __future__ import annotations

from asan.core.text import has_invisible_chars
from asan.search.engine import MAX_LIMIT, MAX_QUERY_CHARS, QueryRejected
from asan.search.querying.models import (
    BAD_INPUT,
    KINDS,
    MAX_FILTER_CHARS,
    MAX_FILTER_VALUES,
    NO_TERMS,
    QueryProblem,
    SearchFilter,
)
from asan.search.querytext import Clause, parse

DEFAULT_FIRST = 20
MIN_YEAR, MAX_YEAR = 1900, 2200

NOTHING_TO_SEARCH = QueryProblem(
    NO_TERMS,
    "query",
    "sorğuda axtarılacaq söz yoxdur (boşdur, yalnız köməkçi sözlər, durğu işarələri və ya "
    "ulduzlar) / the query has no words to search for (empty, only stop words, punctuation "
    "or wildcards)",
)


def page_size(first: int | None, field: str = "first") -> int | QueryProblem:
    if first is None:
        return DEFAULT_FIRST
    if first < 0 or first > MAX_LIMIT:
        return QueryProblem(
            BAD_INPUT, field, f"{field} 0..{MAX_LIMIT} olmalıdır / {field} must be 0..{MAX_LIMIT}"
        )
    return first


INVISIBLE = QueryProblem(
    BAD_INPUT,
    "query",
    "sorğuda görünməz simvollar var (bidi və ya sıfır enli) / "
    "the query contains invisible characters (bidi controls or zero-width)",
)


def clauses_of(text: str) -> tuple[Clause, ...] | QueryProblem:
    """The query's clauses, or why it cannot be searched. Invisible characters are refused
    here too: they would split or hide words silently (the parser refuses control ones)."""
    if len(text) <= MAX_QUERY_CHARS and has_invisible_chars(text):
        return INVISIBLE
    try:
        return parse(text)
    except QueryRejected as exc:
        return QueryProblem(BAD_INPUT, "query", str(exc))


def _values(name: str, values: frozenset[str]) -> QueryProblem | None:
    if len(values) > MAX_FILTER_VALUES:
        return QueryProblem(
            BAD_INPUT,
            f"filter.{name}",
            f"{MAX_FILTER_VALUES} dəyərdən çox olmaz / at most {MAX_FILTER_VALUES} values",
        )
    if any(not v.strip() or len(v) > MAX_FILTER_CHARS for v in values):
        return QueryProblem(
            BAD_INPUT,
            f"filter.{name}",
            f"dəyər boş və ya {MAX_FILTER_CHARS} simvoldan uzun olmamalıdır / "
            f"a value must be non-empty and at most {MAX_FILTER_CHARS} characters",
        )
    return None


def filter_problems(f: SearchFilter) -> list[QueryProblem]:
    problems = [
        p
        for p in (
            _values("kinds", f.kinds),
            _values("units", f.units),
            _values("bodies", f.state_bodies),
            _values("statuses", f.statuses),
        )
        if p is not None
    ]
    unknown = sorted(f.kinds - set(KINDS))
    if unknown:
        problems.append(
            QueryProblem(
                BAD_INPUT, "filter.kinds", f"naməlum növ / unknown kind: {', '.join(unknown)}"
            )
        )
    if len(f.years) > MAX_FILTER_VALUES or any(not MIN_YEAR <= y <= MAX_YEAR for y in f.years):
        problems.append(
            QueryProblem(
                BAD_INPUT,
                "filter.years",
                f"{MAX_FILTER_VALUES}-dən çox olmayan, {MIN_YEAR}..{MAX_YEAR} illəri / "
                f"at most {MAX_FILTER_VALUES} years in {MIN_YEAR}..{MAX_YEAR}",
            )
        )
    return problems
