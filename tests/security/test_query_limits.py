"""Issue 7, item 1: no GraphQL document can stall the server, and prod gives no suggestions.

Each test would have failed before the fix: the 22-level fragment bomb froze the server for
45 s, validation compared 900 same-named fields pairwise for seconds, unpaged lists were all
costed as 10 rows, and "Did you mean ...?" leaked field names in production.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from graphql import get_named_type, get_nullable_type, is_leaf_type, is_list_type, parse
from graphql import is_object_type as graphql_is_object_type

from asan.auth.keys import KeyStore
from asan.auth.service import AuthService
from asan.core.platform import Platform
from asan.core.settings import Profile, Settings
from asan.graphql import limits
from asan.graphql.cost import SATURATED, measure
from asan.graphql.schema import schema
from tests.auth.conftest import client_for

SCHEMA = schema._schema
FAST = 0.05  # the bound for refusing a bomb


def bomb(levels: int) -> str:
    """The issue's document: fragment k spreads fragment k-1 twice; 2**levels fields."""
    fragments = ["fragment F0 on Query{apiVersion}"]
    fragments += [
        f"fragment F{k} on Query{{...F{k - 1} ...F{k - 1}}}" for k in range(1, levels + 1)
    ]
    return " ".join(fragments) + f" query{{...F{levels}}}"


def nested_services(levels: int) -> str:
    """The issue's shape: stateBodies -> services -> provider -> services ... (``levels`` lists
    of services under the page of bodies)."""
    inner = "code"
    for _ in range(levels - 1):
        inner = f"code provider {{ services {{ {inner} }} }}"
    return f"{{ stateBodies(first: 100) {{ edges {{ node {{ services {{ {inner} }} }} }} }} }}"


def nested_systems(levels: int) -> str:
    """informationSystems -> consumesDataFrom -> dataConsumers ... (``levels`` lists in all)."""
    inner = "code"
    for level in range(levels - 1):
        name = "consumesDataFrom" if level % 2 else "dataConsumers"
        inner = f"code {name} {{ {inner} }}"
    return f"{{ informationSystems(first: 100) {{ edges {{ node {{ {inner} }} }} }} }}"


def context(settings: Settings) -> SimpleNamespace:
    return SimpleNamespace(platform=SimpleNamespace(settings=settings), principal=None)


async def timed_execute(query: str, settings: Settings, **kwargs: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = await schema.execute(query, context_value=context(settings), **kwargs)
    return result, time.perf_counter() - started


@pytest.fixture
def app_settings(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(
        update={
            "data_dir": tmp_path,
            "rate_limit_per_minute": 10**6,
            "rate_limit_anonymous_per_minute": 10**6,
        }
    )


@pytest.fixture
async def client(
    clean_platform: Platform, app_settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    keys = KeyStore.open(app_settings.data_path, app_settings.auth_algorithm)
    auth = AuthService(app_settings, keys)
    async with client_for(app_settings, clean_platform, auth) as c:
        yield c


# --- fragment bombs ----------------------------------------------------------------------


@pytest.mark.parametrize("levels", [22, 30])
async def test_fragment_bomb_is_refused_fast_naming_the_limit(settings, levels) -> None:
    await schema.execute("{ apiVersion }", context_value=context(settings))  # warm imports
    result, elapsed = await timed_execute(bomb(levels), settings)
    assert result.data is None and len(result.errors) == 1
    error = result.errors[0]
    assert error.extensions["code"] == "QUERY_TOO_COMPLEX"
    assert error.extensions["fields"] == 2 ** (levels + 1) + 2**levels - 1  # ops + fragments
    assert error.extensions["maxFields"] == limits.MAX_FIELDS
    assert f"limit {limits.MAX_FIELDS}" in error.message
    assert elapsed < FAST, f"refusal took {elapsed * 1000:.1f} ms"


def test_measures_are_linear_in_the_document_not_its_expansion() -> None:
    # 2**150 fields: any expanding walk would never end; the memoised one is instant
    document = parse(bomb(150), max_tokens=limits.MAX_TOKENS)
    started = time.perf_counter()
    measured = measure(SCHEMA, document, None, {})
    elapsed = time.perf_counter() - started
    assert measured.fields == SATURATED and measured.cost == SATURATED
    assert elapsed < 1.0


def test_memoised_cost_equals_the_written_out_query() -> None:
    # the same document with and without fragments: memoisation must not change the numbers
    with_fragments = (
        "fragment S on Service { code asanCentres { code } } "
        "fragment P on StateBody { code services { ...S ...S } } "
        "{ stateBodies(first: 7) { edges { node { ...P } } } }"
    )
    service = "code asanCentres { code }"
    written_out = (
        "{ stateBodies(first: 7) { edges { node { code services { "
        f"{service} {service}"
        " } } } } }"
    )
    a = measure(SCHEMA, parse(with_fragments), None, {})
    b = measure(SCHEMA, parse(written_out), None, {})
    assert (a.cost, a.list_nesting, a.depth, a.aliases) == (
        b.cost,
        b.list_nesting,
        b.depth,
        b.aliases,
    )
    # stateBodies(7) x [edges, node, code, services x 200 (declared) x (2 x (code + centres x 50))]
    bound_services = limits.LIST_BOUNDS["StateBody.services"]
    bound_centres = limits.LIST_BOUNDS["Service.asanCentres"]
    per_service = 2 * (1 + 1 + bound_centres * 1)
    expected = 1 + 7 * (1 + 1 + 1 + 1 + bound_services * per_service)
    assert a.cost == expected


async def test_bomb_hidden_in_an_unused_fragment_or_operation_is_refused(settings) -> None:
    unused = bomb(25).replace(" query{...F25}", " query{apiVersion}")
    result, elapsed = await timed_execute(unused, settings)
    assert result.errors[0].extensions["code"] == "QUERY_TOO_COMPLEX" and elapsed < FAST
    two_ops = bomb(25).replace("query{", "query Bomb{") + " query Fine { apiVersion }"
    result, elapsed = await timed_execute(two_ops, settings, operation_name="Fine")
    assert result.errors[0].extensions["code"] == "QUERY_TOO_COMPLEX" and elapsed < FAST


async def test_repeated_fields_are_refused_before_pairwise_validation(settings) -> None:
    # 900 x stateBodies{totalCount}: 3,600 tokens; graphql-core's validation took 3.9 s
    wide = "{ " + " ".join("stateBodies { totalCount }" for _ in range(900)) + " }"
    result, elapsed = await timed_execute(wide, settings)
    error = result.errors[0]
    assert error.extensions["code"] == "QUERY_TOO_COMPLEX"
    assert "'stateBodies'" in error.message and f"limit {limits.MAX_REPEATS}" in error.message
    assert elapsed < 2.0  # parse + a linear walk (the machine is shared; validation took 3.9 s)
    fine = "{ " + " ".join("stateBodies { totalCount }" for _ in range(limits.MAX_REPEATS)) + " }"
    assert measure(SCHEMA, parse(fine), None, {}).fields == 2 * limits.MAX_REPEATS


# --- nested lists and list bounds ---------------------------------------------------------


@pytest.mark.parametrize(("shape", "levels"), [(nested_services, 4), (nested_systems, 6)])
async def test_nested_lists_are_refused_fast(settings, shape, levels) -> None:
    result, elapsed = await timed_execute(shape(levels), settings)
    error = result.errors[0]
    assert error.extensions["code"] == "QUERY_TOO_COMPLEX"
    expected = levels + 1 if shape is nested_services else levels  # + the page of bodies
    assert error.extensions["listNesting"] == expected
    assert error.extensions["maxListNesting"] == limits.MAX_LIST_NESTING
    assert elapsed < FAST, f"refusal took {elapsed * 1000:.1f} ms"


def test_unpaged_lists_are_costed_by_their_declared_bound_not_ten() -> None:
    one = measure(
        SCHEMA,
        parse("{ stateBodies(first: 1) { edges { node { services { code } } } } }"),
        None,
        {},
    )
    bound = limits.LIST_BOUNDS["StateBody.services"]
    assert one.cost == 1 + 1 * (1 + 1 + 1 + bound * 1)
    # the two-level shape over services is now far over the limit (was ~13,000)
    two = measure(SCHEMA, parse(nested_services(2)), None, {})
    assert two.cost > 20000 and two.list_nesting == 3


def test_connections_are_costed_by_first_up_to_the_page_limit() -> None:
    def cost(first: int | None) -> int:
        arg = "" if first is None else f"(first: {first})"
        return measure(
            SCHEMA, parse(f"{{ services{arg} {{ edges {{ node {{ code }} }} }} }}"), None, {}
        ).cost

    assert cost(1) == 1 + 1 * 3
    assert cost(None) == 1 + limits.DEFAULT_PAGE * 3
    assert cost(100) == 1 + 100 * 3
    assert cost(100_000) == cost(limits.MAX_PAGE)  # the resolver refuses more than a page
    doc = parse("query($n: Int) { services(first: $n) { edges { node { code } } } }")
    assert measure(SCHEMA, doc, None, {"n": 40}).cost == 1 + 40 * 3


def test_every_unpaged_list_of_objects_declares_its_bound() -> None:
    undeclared = []
    for type_name, named in SCHEMA.type_map.items():
        if type_name.startswith("__") or not graphql_is_object_type(named):
            continue
        is_connection = "edges" in named.fields and "pageInfo" in named.fields
        for field_name, field in named.fields.items():
            if not is_list_type(get_nullable_type(field.type)) or is_leaf_type(
                get_named_type(field.type)
            ):
                continue
            if "first" in field.args or (is_connection and field_name in ("edges", "nodes")):
                continue
            if (
                f"{type_name}.{field_name}" not in limits.LIST_BOUNDS
                and field_name not in limits.NAME_BOUNDS
            ):
                undeclared.append(f"{type_name}.{field_name}")
    assert undeclared == []


# --- depth, aliases, parsing ---------------------------------------------------------------


async def test_depth_and_aliases_are_counted_through_fragments(settings) -> None:
    aliases = " ".join(f"a{i}: apiVersion" for i in range(16))
    doubled = f"fragment A on Query {{ {aliases} }} {{ ...A ...A }}"  # 32 aliases, 16 written
    result, _ = await timed_execute(doubled, settings)
    assert result.errors[0].extensions["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "32 aliases" in result.errors[0].message
    deep = (
        "{ orgUnits { edges { node { ...U } } } } fragment U on OrgUnit { "
        + ("parent { " * 11 + "code" + " }" * 11)
        + " }"
    )
    result, _ = await timed_execute(deep, settings)
    assert result.errors[0].extensions["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "depth" in result.errors[0].message


async def test_a_document_nested_past_the_parser_is_a_parse_error(settings) -> None:
    result, elapsed = await timed_execute("{" + " a {" * 400 + " }" * 401, settings)
    assert result.errors[0].extensions["code"] == "GRAPHQL_PARSE_FAILED" and elapsed < 1.0
    chain = " ".join(f"fragment F{k} on Query {{ ...F{k + 1} }}" for k in range(300))
    result, _ = await timed_execute(
        chain + " fragment F300 on Query { apiVersion } { ...F0 }", settings
    )
    assert result.errors[0].extensions["code"] != "INTERNAL_SERVER_ERROR"


# --- over HTTP, against the real services -------------------------------------------------


async def _seed(platform: Platform) -> None:
    await platform.db.write(
        """
        UNWIND range(1, 3) AS b
        CREATE (body:StateBody {code: 'SEC-B' + b, nameAz: 'Orqan ' + b, nameEn: 'Body ' + b,
                                nameRu: '', nameFold: 'orqan ' + b, kind: 'ministry'})
        WITH body, b
        UNWIND range(1, 4) AS s
        CREATE (svc:Service {code: 'SEC-B' + b + '-S' + s, nameAz: 'Xidmət ' + s,
                             nameFold: 'xidmət ' + s, nameEn: '', nameRu: '',
                             status: 'published', version: 1})
        CREATE (svc)-[:PROVIDED_BY]->(body)
        """,
        {},
    )


LEGITIMATE = """
fragment Svc on Service { code nameAz status provider { code } channels }
fragment Body on StateBody { code nameAz services { ...Svc } informationSystems { code } }
query Registry {
  stateBodies(first: 10) { totalCount edges { cursor node { ...Body } } }
  services(first: 20) { totalCount edges { node { ...Svc requiredDocuments { code } } } }
}
"""


async def test_a_big_legitimate_query_is_answered(client, clean_platform) -> None:
    await _seed(clean_platform)
    response = await client.post("/graphql", json={"query": LEGITIMATE})
    body = response.json()
    assert response.status_code == 200 and body.get("errors") is None, body
    bodies = body["data"]["stateBodies"]
    assert bodies["totalCount"] == 3
    assert sorted(len(e["node"]["services"]) for e in bodies["edges"]) == [4, 4, 4]
    assert body["data"]["services"]["totalCount"] == 12


async def test_normal_queries_keep_answering_while_bombs_arrive(client, clean_platform) -> None:
    await _seed(clean_platform)
    normal = {"query": "{ stateBodies(first: 5) { totalCount edges { node { code } } } }"}
    baseline = await client.post("/graphql", json=normal)
    assert baseline.json()["data"]["stateBodies"]["totalCount"] == 3

    async def attacker() -> list[int]:
        codes = []
        for levels in (22, 30) * 10:
            answer = (await client.post("/graphql", json={"query": bomb(levels)})).json()
            codes.append(answer["errors"][0]["extensions"]["code"])
        return codes

    async def user() -> list[float]:
        took = []
        for _ in range(10):
            started = time.perf_counter()
            answer = (await client.post("/graphql", json=normal)).json()
            took.append(time.perf_counter() - started)
            assert answer["data"]["stateBodies"]["totalCount"] == 3
        return took

    started = time.perf_counter()
    codes, took = await asyncio.gather(attacker(), user())
    assert set(codes) == {"QUERY_TOO_COMPLEX"}
    # before the fix one bomb held the loop 45 s; now 20 bombs and 10 queries share a second
    assert max(took) < 1.0 and time.perf_counter() - started < 5.0


# --- production gives no suggestions ------------------------------------------------------


async def test_field_suggestions_are_off_in_production(settings) -> None:
    prod = settings.model_copy(update={"profile": Profile.PROD})
    typo = "{ servces(first: 1) { totalCount } }"
    dev_result, _ = await timed_execute(typo, settings)
    assert "Did you mean" in dev_result.errors[0].message  # the test can fail
    prod_result, _ = await timed_execute(typo, prod)
    message = prod_result.errors[0].message
    assert "Did you mean" not in message and "'services'" not in message
    assert prod_result.errors[0].extensions["code"] == "GRAPHQL_VALIDATION_FAILED"
    # a variable's enum value is checked during execution, where the switch does not reach
    query = "query($c: ChannelCode) { services(first: 1, filter: {channel: $c}) { totalCount } }"
    dev_var, _ = await timed_execute(query, settings, variable_values={"c": "ONLNE"})
    assert "Did you mean" in dev_var.errors[0].message
    prod_var, _ = await timed_execute(query, prod, variable_values={"c": "ONLNE"})
    assert "Did you mean" not in prod_var.errors[0].message
    assert "ONLINE" not in prod_var.errors[0].message
