"""GraphQL mutations share one error mapping (``asan.graphql.mutation.attempt``).

The mapping itself is checked by calling it; the org and auth modules are checked to route
every use-case call of a payload with ``userErrors`` through it rather than catching domain
errors themselves (a copy would drift, as the catalog's private copies of authorisation did).
"""

from __future__ import annotations

import ast
import inspect

import pytest

from asan.core.errors import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    Unauthenticated,
    ValidationFailed,
)
from asan.graphql import auth as auth_module
from asan.graphql import org as org_module
from asan.graphql.mutation import attempt


async def _raise(exc: Exception) -> None:
    raise exc


async def test_input_problems_become_user_errors() -> None:
    failed = ValidationFailed([FieldError("a", "bad a"), FieldError("b", "bad b", "CONFLICT")])
    value, errors = await attempt(lambda: _raise(failed))
    assert value is None
    assert [(e.field, e.code) for e in errors] == [("a", "BAD_USER_INPUT"), ("b", "CONFLICT")]
    _, errors = await attempt(lambda: _raise(Conflict("taken", field="code")))
    assert [(e.field, e.code, e.message) for e in errors] == [("code", "CONFLICT", "taken")]
    _, errors = await attempt(lambda: _raise(NotFound("gone")), default_field="input")
    assert [(e.field, e.code) for e in errors] == [("input", "NOT_FOUND")]


async def test_a_result_comes_back_without_errors() -> None:
    async def ok() -> int:
        return 7

    assert await attempt(ok) == (7, [])


@pytest.mark.parametrize(
    "exc",
    [
        Forbidden("no"),
        Unauthenticated("who"),
        RateLimited("slow", retry_after=3),
        ServiceUnavailable("neo4j"),
    ],
)
async def test_refusals_and_outages_stay_graphql_errors(exc: Exception) -> None:
    with pytest.raises(type(exc)) as raised:
        await attempt(lambda: _raise(exc))
    assert raised.value is exc  # unchanged: the edge adds code, retryAfter and the 503


@pytest.mark.parametrize("module", [org_module, auth_module])
def test_org_and_auth_mutations_use_the_helper(module: object) -> None:
    tree = ast.parse(inspect.getsource(module))  # type: ignore[arg-type]
    handlers = [
        ast.unparse(node.type)
        for node in ast.walk(tree)
        if isinstance(node, ast.ExceptHandler) and node.type is not None
    ]
    domain = {"DomainError", "ValidationFailed", "BadInput", "Conflict", "NotFound", "Forbidden"}
    assert not [h for h in handlers if any(name in h for name in domain)]
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "attempt"
    ]
    assert calls, "mutations call asan.graphql.mutation.attempt"
