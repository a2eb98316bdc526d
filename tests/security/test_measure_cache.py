"""The limits' measures are remembered per query and per value of the variables they read.

A repeated query skips re-measuring (the request path's cost), but a variable the cost reads
(``first``) is part of what is remembered: the same text asking for more is measured again
and refused; refusals themselves are never remembered.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from asan.core.settings import Settings
from asan.graphql import guard
from asan.graphql.context import Context
from asan.graphql.cost import operation_cost
from asan.graphql.schema import schema

QUERY = "query($n: Int) { services(first: $n) { edges { node { code nameAz } } } }"


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    calls: list[Any] = []
    original = guard.refusal

    def counted(*args: Any) -> Any:
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(guard, "refusal", counted)
    return calls


def _threshold() -> int:
    """A cost limit that n=5 stays under and n=100 exceeds."""
    document = guard.parse_document(QUERY)
    small, _ = operation_cost(schema._schema, document, None, {"n": 5})
    large, _ = operation_cost(schema._schema, document, None, {"n": 100})
    assert small < large
    return (small + large) // 2


def test_a_repeated_query_is_measured_once_per_value_it_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _counting(monkeypatch)
    limit = _threshold()
    document = guard.parse_document(QUERY)
    query = QUERY + " # measure-cache-1"  # a text no other test measured
    for variables in ({"n": 5}, {"n": 5, "code": "other"}, {"n": 5}):
        shape, refused = guard._measure(schema._schema, document, None, variables, limit, query)
        assert refused is None and shape is not None and shape.fields >= 3
    assert len(calls) == 1  # measured once; a variable the cost does not read changes nothing
    shape, refused = guard._measure(schema._schema, document, None, {"n": 100}, limit, query)
    assert refused is not None and refused.extensions["code"] == "QUERY_TOO_COMPLEX"
    assert len(calls) == 2
    for _ in range(2):  # a refusal is measured (and refused) every time
        _, again = guard._measure(schema._schema, document, None, {"n": 100}, limit, query)
        assert again is not None and again.message == refused.message
    assert len(calls) == 4
    # without the query text (no key) nothing is remembered
    guard._measure(schema._schema, document, None, {"n": 5}, limit, None)
    guard._measure(schema._schema, document, None, {"n": 5}, limit, None)
    assert len(calls) == 6


async def test_the_guard_refuses_a_larger_first_after_a_smaller_one_passed() -> None:
    limit = _threshold()
    query = QUERY + " # measure-cache-2"
    document = guard.parse_document(query)
    shape, refused = guard._measure(schema._schema, document, None, {"n": 5}, limit, query)
    assert refused is None and shape is not None
    context = Context(platform=SimpleNamespace(settings=Settings(graphql_max_cost=limit)))  # type: ignore[arg-type]
    result = await schema.execute(query, variable_values={"n": 100}, context_value=context)
    assert result.errors and result.errors[0].extensions
    assert result.errors[0].extensions["code"] == "QUERY_TOO_COMPLEX"
