"""Refuse text that is not text before any resolver (or Neo4j) sees it.

JSON lets a client send ``"\\ud800"``, a lone UTF-16 surrogate: Python keeps it in a ``str``,
but it cannot be encoded as UTF-8, so the Neo4j driver (or a log line, or the search index)
fails deep inside a resolver and the client gets INTERNAL_SERVER_ERROR. NUL and other C0
control characters (tab, line feed and carriage return excepted) are refused for the same
reason: no field of this registry means them. One check at the edge, for every argument,
inline literal or variable, answers BAD_USER_INPUT naming the argument instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    ExecutionResult,
    GraphQLError,
    ListValueNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
    VariableDefinitionNode,
)
from graphql.language import Visitor, parse, visit
from strawberry.extensions import SchemaExtension

MAX_SCAN_TOKENS = 20000  # the body limit bounds the query anyway; this bounds the scan
INVALID_TEXT = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f]")


def invalid_text(value: str) -> str | None:
    """A description of the first invalid character in ``value``, or None if it is clean."""
    found = INVALID_TEXT.search(value)
    if found is None:
        return None
    char = found.group()
    kind = "a lone surrogate" if "\ud800" <= char <= "\udfff" else "a control character"
    return f"{kind} U+{ord(char):04X} at position {found.start()}"


def _walk(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(path, problem) for each bad string in a JSON-like value; iterative (deep input)."""
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, str):
            problem = invalid_text(current)
            if problem is not None:
                yield where, problem
        elif isinstance(current, Mapping):
            for key, item in current.items():
                key_problem = invalid_text(str(key))
                if key_problem is not None:
                    yield where, f"{key_problem} in a key"
                stack.append((item, f"{where}.{key}" if where else str(key)))
        elif isinstance(current, list | tuple):
            stack.extend((item, f"{where}[{i}]") for i, item in enumerate(current))


def check_variables(variables: Mapping[str, Any] | None) -> tuple[str, str] | None:
    for name, value in (variables or {}).items():
        for found in _walk(value, f"${name}"):
            return found
    return None


class _LiteralFinder(Visitor):
    """Names the argument (``input.nameAz``) whose string literal covers a source position."""

    def __init__(self, position: int) -> None:
        super().__init__()
        self.position = position
        self.found: str | None = None

    def enter_variable_definition(self, node: VariableDefinitionNode, *_: Any) -> Any:
        if node.default_value is not None:
            self._value(node.default_value, f"${node.variable.name.value}")
        return self.SKIP

    def enter_argument(self, node: ArgumentNode, *_: Any) -> Any:
        self._value(node.value, node.name.value)
        return self.SKIP

    def _value(self, root: ValueNode, path: str) -> None:
        stack: list[tuple[ValueNode, str]] = [(root, path)]
        while stack and self.found is None:
            node, where = stack.pop()
            if isinstance(node, StringValueNode):
                loc = node.loc
                if loc is not None and loc.start <= self.position < loc.end:
                    self.found = where
            elif isinstance(node, ObjectValueNode):
                stack.extend((f.value, f"{where}.{f.name.value}") for f in node.fields)
            elif isinstance(node, ListValueNode):
                stack.extend((v, f"{where}[{i}]") for i, v in enumerate(node.values))


def check_query(query: str | None) -> tuple[str, str] | None:
    """(argument path, problem) for invalid text in the query source, or None.

    The parser would refuse such a literal as a syntax error without naming the argument, so
    a copy with the bad characters replaced is parsed only to find where they were.
    """
    if not query:
        return None
    problem = invalid_text(query)
    if problem is None:
        return None
    position = INVALID_TEXT.search(query).start()  # type: ignore[union-attr]
    finder = _LiteralFinder(position)
    try:
        visit(parse(INVALID_TEXT.sub("\ufffd", query), max_tokens=MAX_SCAN_TOKENS), finder)
    except (GraphQLError, RecursionError):
        pass  # not parseable anyway: the query as a whole is named
    return finder.found or "query", problem


def refusal(path: str, problem: str) -> GraphQLError:
    return GraphQLError(
        f"`{path}` yanlış mətn ehtiva edir ({problem}) / "
        f"`{path}` contains invalid text ({problem})",
        extensions={"code": "BAD_USER_INPUT", "field": path},
    )


class InputGuard(SchemaExtension):
    """Refuses, before execution, any argument carrying lone surrogates or control characters."""

    def on_parse(self) -> Iterator[None]:
        # Before the parser (this guard comes first), which would call it a syntax error.
        found = check_query(self.execution_context.query)
        if found is not None:
            raise refusal(*found)
        yield

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None and ctx.result is None:
            found = check_variables(ctx.variables)
            if found is not None:
                ctx.result = ExecutionResult(data=None, errors=[refusal(*found)])
        yield
