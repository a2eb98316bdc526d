"""The GraphQL edge: limits refuse before execution, errors carry codes, production masks."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import httpx
import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from asan.auth.middleware import AuthMiddleware
from asan.auth.ratelimit import RateLimiter, RateLimits
from asan.core.errors import NotFound
from asan.core.settings import Profile
from asan.graphql.edge import estimate_cost
from asan.graphql.schema import MAX_ALIASES, build_schema
from tests.auth.conftest import client_for
from tests.auth.support import add_user, bearer

CALLS: list[str] = []


@strawberry.type
class Item:
    n: int

    @strawberry.field
    def children(self, first: int | None = None) -> list[Item]:
        CALLS.append("children")
        return [Item(n=i) for i in range(first or 3)]


@strawberry.type
class ProbeQuery:
    @strawberry.field
    def items(self, first: int | None = None) -> list[Item]:
        CALLS.append("items")
        return [Item(n=i) for i in range(first or 3)]

    @strawberry.field
    def boom(self) -> int | None:
        raise RuntimeError("secret internals: bolt://10.0.0.1 password=hunter2")

    @strawberry.field
    def missing(self) -> int | None:
        raise NotFound("xidmət tapılmadı / service not found", field="code")


probe_schema = build_schema(query_types=[ProbeQuery], mutation_types=[])


def context(settings):
    return SimpleNamespace(platform=SimpleNamespace(settings=settings), principal=None)


async def test_costly_query_is_refused_before_any_resolver(settings) -> None:
    CALLS.clear()
    query = "{ items(first: 100) { children(first: 100) { children(first: 100) { n } } } }"
    result = await probe_schema.execute(query, context_value=context(settings))
    assert result.errors and result.errors[0].extensions["code"] == "QUERY_TOO_COMPLEX"
    assert result.errors[0].extensions["cost"] > settings.graphql_max_cost
    assert CALLS == []  # nothing ran
    ok = await probe_schema.execute(
        "{ items(first: 5) { children(first: 5) { n } } }", context_value=context(settings)
    )
    assert ok.errors is None and len(ok.data["items"]) == 5


async def test_cost_follows_variables_and_fragments(settings) -> None:
    from graphql import parse

    doc = parse(
        "query($n: Int) { items(first: $n) { ...F } } "
        "fragment F on Item { children(first: 10) { n } }"
    )
    low = estimate_cost(probe_schema._schema, doc, None, {"n": 1})
    high = estimate_cost(probe_schema._schema, doc, None, {"n": 50})
    assert high == 50 * (low - 1) + 1 and low > 1


async def test_error_codes_and_production_masking(settings) -> None:
    dev = await probe_schema.execute("{ boom missing }", context_value=context(settings))
    codes = {e.path[0]: e.extensions["code"] for e in dev.errors}
    assert codes == {"boom": "INTERNAL_SERVER_ERROR", "missing": "NOT_FOUND"}
    prod_settings = settings.model_copy(update={"profile": Profile.PROD})
    prod = await probe_schema.execute("{ boom missing }", context_value=context(prod_settings))
    by_path = {e.path[0]: e for e in prod.errors}
    assert "hunter2" not in by_path["boom"].message and "Unexpected" in by_path["boom"].message
    assert by_path["boom"].extensions == {"code": "INTERNAL_SERVER_ERROR"}
    assert by_path["missing"].extensions == {"code": "NOT_FOUND", "field": "code"}
    invalid = await probe_schema.execute("{ nope }", context_value=context(prod_settings))
    assert invalid.errors[0].extensions["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_introspection_off_in_production_unless_configured(settings) -> None:
    query = "{ __schema { queryType { name } } }"
    dev = await probe_schema.execute(query, context_value=context(settings))
    assert dev.errors is None
    prod_settings = settings.model_copy(update={"profile": Profile.PROD})
    prod = await probe_schema.execute(query, context_value=context(prod_settings))
    assert prod.errors and "introspection" in prod.errors[0].message
    opened = prod_settings.model_copy(update={"graphql_introspection": True})
    assert (await probe_schema.execute(query, context_value=context(opened))).errors is None


async def test_deep_query_is_refused_before_execution(settings) -> None:
    CALLS.clear()
    deep = "{ items(first: 1) { " + "children(first: 1) { " * 12 + "n" + " }" * 13 + " }"
    result = await probe_schema.execute(deep, context_value=context(settings))
    assert result.data is None and "depth" in result.errors[0].message
    assert result.errors[0].extensions["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert CALLS == []


async def test_alias_flooded_and_oversized_queries_are_refused_over_http(client) -> None:
    aliases = " ".join(f"a{i}: apiVersion" for i in range(MAX_ALIASES + 1))
    flood = (await client.post("/graphql", json={"query": f"{{ {aliases} }}"})).json()
    assert flood["data"] is None and "aliases" in flood["errors"][0]["message"]
    assert flood["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    wide = "{ " + " ".join("apiVersion" for _ in range(5000)) + " }"
    too_many = (await client.post("/graphql", json={"query": wide})).json()
    assert too_many["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


async def test_rate_limit_answers_429_with_retry_after(clean_platform, auth_settings, auth) -> None:
    strict = auth_settings.model_copy(
        update={"rate_limit_per_minute": 3, "rate_limit_anonymous_per_minute": 2}
    )
    user = await add_user(clean_platform, "aysel")
    token, _ = auth.access_token(user, "user")
    async with client_for(strict, clean_platform, auth) as c:
        query = {"query": "{ apiVersion }"}
        anonymous = [(await c.post("/graphql", json=query)).status_code for _ in range(3)]
        assert anonymous == [200, 200, 429]
        # a signed-in identity has its own bucket
        signed = [
            (await c.post("/graphql", json=query, headers=bearer(token))).status_code
            for _ in range(4)
        ]
        assert signed == [200, 200, 200, 429]
        limited = await c.post("/graphql", json=query, headers=bearer(token))
        assert int(limited.headers["retry-after"]) >= 1
        error = limited.json()["errors"][0]
        assert (
            error["extensions"]["code"] == "RATE_LIMITED" and error["extensions"]["retryAfter"] >= 1
        )


def test_token_bucket_refills_with_time() -> None:
    now = [0.0]
    limiter = RateLimiter(60, clock=lambda: now[0])  # one per second
    assert all(limiter.check("k") == 0 for _ in range(60))
    assert limiter.check("k") > 0
    now[0] += 1.0
    assert limiter.check("k") == 0


async def test_request_timeout_answers_503(auth) -> None:
    never = asyncio.Event()

    async def slow(request: Request) -> JSONResponse:
        await never.wait()
        return JSONResponse({})

    inner = Starlette(routes=[Route("/graphql", slow, methods=["POST"])])
    app = AuthMiddleware(inner, auth, RateLimits(100, 100), timeout_seconds=0.05)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        response = await c.post("/graphql", json={})
    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"
