"""The short path for plain leaf fields (asan/graphql/executor.py) answers exactly as
graphql-core does: same data, same key order, same errors with the same paths, whatever the
leaves hold (nulls in non-null fields, values a scalar refuses, missing attributes)."""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass
from typing import Any

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from asan.graphql import executor
from asan.graphql.executor import ExecutionContext, leaf_plan


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    GREEN = "green"


@strawberry.type
class Leafy:
    code: str
    count: int
    colour: Colour
    maybe: str | None
    ratio: float

    @strawberry.field
    def shout(self, times: int = 1) -> str:
        return self.code.upper() * times

    @strawberry.field
    async def later(self) -> str:
        await asyncio.sleep(0)
        return f"later-{self.code}"


@dataclass
class Broken:
    """What a mistaken resolver could hand over: wrong types, nulls, missing attributes."""

    code: Any = None
    count: Any = "not a number"
    colour: Any = "purple"
    maybe: Any = None
    # no ``ratio``: reading it raises AttributeError


GOOD = [
    Leafy(code="a", count=1, colour=Colour.RED, maybe=None, ratio=0.5),
    Leafy(code="b", count=2, colour=Colour.GREEN, maybe="x", ratio=2.0),
]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Leafy]:
        return GOOD

    @strawberry.field
    async def async_items(self) -> list[Leafy]:
        return GOOD

    @strawberry.field
    def broken(self) -> list[Leafy | None]:
        return [Broken(), Broken(code="c")]  # type: ignore[list-item]

    @strawberry.field
    def broken_strict(self) -> Leafy:
        return Broken(code="d")  # type: ignore[return-value]


def _schema(context_class: type) -> strawberry.Schema:
    return strawberry.Schema(query=Query, execution_context_class=context_class)


QUERIES = [
    "{ items { code count colour maybe ratio } }",
    # resolver fields between leaves, aliases, arguments: the key order must hold
    "{ items { later code second: code shout(times: 2) count colour } }",
    "{ asyncItems { maybe later code } }",
    "{ items { ...F code } } fragment F on Leafy { colour ratio __typename }",
    "query($skip: Boolean!) { items { code @skip(if: $skip) count @include(if: $skip) } }",
    # errors: null for a non-null String, a refused Int and enum value, a missing attribute
    "{ broken { code count colour maybe } }",
    "{ broken { maybe ratio } }",
    "{ brokenStrict { code count } }",
    "{ items { code } brokenStrict { count } }",
]


def _run(schema: strawberry.Schema, query: str) -> dict[str, Any]:
    result = asyncio.run(schema.execute(query, variable_values={"skip": True}))
    return {
        "data": result.data,
        "keys": _keys(result.data),
        "errors": [(e.message, e.path) for e in result.errors or ()],
    }


def _keys(value: Any) -> Any:
    if isinstance(value, dict):
        return [(k, _keys(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_keys(v) for v in value]
    return None


@pytest.mark.parametrize("query", QUERIES)
def test_the_short_path_answers_as_graphql_core_does(query: str) -> None:
    expected = _run(_schema(StrawberryGraphQLCoreExecutionContext), query)
    got = _run(_schema(ExecutionContext), query)
    assert got == expected
    if "broken" in query:
        assert got["errors"], "the broken sources must produce errors"


def test_plain_attribute_leaves_take_the_short_path_and_resolvers_do_not() -> None:
    fields = _schema(ExecutionContext)._schema.type_map["Leafy"].fields  # type: ignore[attr-defined]
    planned = {name for name, field in fields.items() if leaf_plan(field) is not None}
    assert planned == {"code", "count", "colour", "maybe", "ratio"}


def test_the_short_path_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not just equal answers: the leaves are actually answered by the short path."""
    calls: list[str] = []
    original = executor._leaf

    def counting(plan: Any, source: Any, is_awaitable: Any) -> Any:
        calls.append(plan.attribute)
        return original(plan, source, is_awaitable)

    monkeypatch.setattr(executor, "_leaf", counting)
    got = _run(_schema(ExecutionContext), "{ items { code count later } }")
    assert got["data"] == {
        "items": [
            {"code": "a", "count": 1, "later": "later-a"},
            {"code": "b", "count": 2, "later": "later-b"},
        ]
    }
    assert sorted(calls) == ["code", "code", "count", "count"]
