"""Schemathesis check and hook loaded through ``SCHEMATHESIS_HOOKS=fuzz.hooks``.

Schemathesis' own ``not_a_server_error`` treats every GraphQL error that carries a ``path`` as a
server failure, so FORBIDDEN or NOT_FOUND from a resolver would drown the real defects. This
check fails only on what the API itself labels a failure of its own: a 5xx status or an error
whose ``extensions.code`` is INTERNAL_SERVER_ERROR. Schemathesis then shrinks the case and
prints a reproducer for it.

Hypothesis never draws lone surrogates, and rarely bidi controls or spreadsheet formulas, yet
those are the strings an attacker sends first; ``flatmap_body`` puts one of them, as a JSON
variable, in place of a string argument of some of the generated queries.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

import schemathesis
from graphql import (
    DocumentNode,
    GraphQLSchema,
    NameNode,
    OperationDefinitionNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    parse_type,
    visit,
)
from hypothesis import strategies as st

SERVER_ERROR_CODE = "INTERNAL_SERVER_ERROR"

HOSTILE_STRINGS = (
    "\ud800",  # lone surrogate: not encodable as UTF-8
    "a\udfffb",
    "\u202eevil.exe",  # right-to-left override
    "na\u200bme",  # zero-width space
    "\ufeffBOM",
    "\x00",
    "   ",
    "",
    '=HYPERLINK("http://x")',  # spreadsheet formula prefixes
    "+1+2",
    "-1",
    "@SUM(1)",
    "' OR 1=1 //",
    "`} RETURN 1 //",
    "../../../../etc/passwd",
    "Ə" * 5000,
)


def internal_errors(payload: object) -> list[dict[str, Any]]:
    """The errors of a GraphQL response body labelled INTERNAL_SERVER_ERROR."""
    if not isinstance(payload, dict):
        return []
    errors = payload.get("errors")
    if not isinstance(errors, list):
        return []
    found = []
    for error in errors:
        if not isinstance(error, dict):
            continue
        extensions = error.get("extensions")
        if isinstance(extensions, dict) and extensions.get("code") == SERVER_ERROR_CODE:
            found.append(error)
    return found


VARIABLE = "fuzzHostile"
_VARIABLE_USE = re.compile(r"\$" + VARIABLE + r"(\d+)\b")


class _Replace(Visitor):
    """Turns the string literal at one position into a variable ``$fuzzHostile<n>``.

    A variable, because GraphQL's lexer refuses a lone surrogate inside a literal: only a JSON
    variable carries one to the resolvers, which is how a client would send it.
    """

    def __init__(self, type_info: TypeInfo, position: int, hostile: int) -> None:
        super().__init__()
        self.type_info, self.position, self.hostile = type_info, position, hostile
        self.seen = 0
        self.variable_type: str | None = None

    def enter_string_value(self, node: StringValueNode, *_: Any) -> VariableNode | None:
        self.seen += 1
        if self.seen - 1 != self.position:
            return None
        input_type = self.type_info.get_input_type()
        if input_type is None:
            return None
        self.variable_type = str(input_type)
        return VariableNode(name=NameNode(value=f"{VARIABLE}{self.hostile}"))


def _with_hostile(
    schema: GraphQLSchema, document: DocumentNode, position: int, hostile: int
) -> DocumentNode:
    replace = _Replace(TypeInfo(schema), position, hostile)
    edited: DocumentNode = visit(document, TypeInfoVisitor(replace.type_info, replace))
    if replace.variable_type is None:
        return document
    definition = VariableDefinitionNode(
        variable=VariableNode(name=NameNode(value=f"{VARIABLE}{hostile}")),
        type=parse_type(replace.variable_type),
        directives=(),
    )
    definitions = tuple(
        dataclasses.replace(
            node, variable_definitions=(*(node.variable_definitions or ()), definition)
        )
        if isinstance(node, OperationDefinitionNode)
        else node
        for node in edited.definitions
    )
    return dataclasses.replace(edited, definitions=definitions)


def _count_strings(document: DocumentNode) -> int:
    counter = _Counter()
    visit(document, counter)
    return counter.seen


class _Counter(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.seen = 0

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        self.seen += 1


@schemathesis.hook
def flatmap_body(ctx: Any, body: Any) -> Any:
    if not isinstance(body, DocumentNode):
        return st.just(body)
    count = _count_strings(body)
    if count == 0:
        return st.just(body)
    schema = ctx.operation.schema.client_schema
    # position == count keeps the generated document unchanged
    return st.tuples(st.integers(0, count), st.integers(0, len(HOSTILE_STRINGS) - 1)).map(
        lambda drawn: _with_hostile(schema, body, *drawn) if drawn[0] < count else body
    )


@schemathesis.hook
def before_call(ctx: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """Sends the values of the ``$fuzzHostile<n>`` variables ``flatmap_body`` put in."""
    if not isinstance(case.body, str):
        return
    used = {int(n) for n in _VARIABLE_USE.findall(case.body)}
    if used:
        variables = {f"{VARIABLE}{n}": HOSTILE_STRINGS[n] for n in used}
        kwargs["json"] = {"query": case.body, "variables": variables}


@schemathesis.check
def no_internal_server_error(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code >= 500:
        raise AssertionError(f"HTTP {response.status_code}: {response.text[:500]}")
    try:
        payload = json.loads(response.content or b"null")
    except ValueError:
        return None
    found = internal_errors(payload)
    if found:
        messages = "; ".join(str(error.get("message")) for error in found)
        raise AssertionError(f"{SERVER_ERROR_CODE}: {messages[:500]}")
    return None
