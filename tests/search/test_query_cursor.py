"""Search cursors: opaque, bound to their query's fingerprint, bounded in depth."""

from __future__ import annotations

import base64
import json

from asan.search.engine import MAX_OFFSET, SortOrder
from asan.search.querying import SearchFilter, SearchRequest, cursor


def raw(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def test_a_cursor_round_trips_only_with_its_own_query() -> None:
    request = SearchRequest("səyyar xidmət", SearchFilter(kinds=frozenset({"service"})))
    print_ = cursor.fingerprint(request)
    assert cursor.decode(cursor.encode(41, print_), print_) == 41
    assert cursor.decode(None, print_) == -1
    others = (
        SearchRequest("səyyar"),
        SearchRequest("səyyar xidmət", SearchFilter(kinds=frozenset({"document"}))),
        SearchRequest("səyyar xidmət", request.filter, SortOrder.TITLE),
    )
    for other in others:
        assert cursor.decode(cursor.encode(41, print_), cursor.fingerprint(other)) is cursor.FOREIGN


def test_the_fingerprint_ignores_the_order_of_filter_values() -> None:
    a = SearchRequest("x", SearchFilter(units=frozenset({"A", "B"}), years=frozenset({2, 1})))
    b = SearchRequest("x", SearchFilter(units=frozenset({"B", "A"}), years=frozenset({1, 2})))
    assert cursor.fingerprint(a) == cursor.fingerprint(b)
    assert cursor.fingerprint(a) != cursor.fingerprint(a, "more_like_this")


def test_malformed_and_too_deep_cursors_are_refused() -> None:
    print_ = cursor.fingerprint(SearchRequest("x"))
    for bad in ("", "%%%", raw({"a": 1}), raw([print_]), raw([print_, -1]), raw([print_, True]),
                raw([print_, "3"]), raw([print_, 1.5])):  # fmt: skip
        assert cursor.decode(bad, print_) is cursor.MALFORMED, bad
    assert cursor.decode(cursor.encode(MAX_OFFSET - 2, print_), print_) == MAX_OFFSET - 2
    assert cursor.decode(cursor.encode(MAX_OFFSET, print_), print_) is cursor.TOO_DEEP
