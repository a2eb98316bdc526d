"""The schema an integrator reads (issue 9 point 5), against the real Neo4j: closed enums
refuse unknown values, every growing list pages, regulations are reachable from the root and
from their clauses, renamed fields keep answering, and version history hides its actors from
callers who may not see them."""

from __future__ import annotations

from typing import Any

from asan.auth.principal import ANONYMOUS, Principal
from asan.core.platform import Platform
from asan.graphql.context import Context
from asan.graphql.schema import schema
from asan.registry.catalog import service as catalog
from asan.registry.catalog.models import MobileBusInput, StopVisit
from tests.registry.catalog_support import (
    ADMIN,
    EDITOR_ASAN,
    EDITOR_DIN,
    build_registry,
    passport_service,
)
from tests.registry.org_support import import_org


async def execute(
    p: Platform, query: str, principal: Principal = ANONYMOUS, **variables: Any
) -> Any:
    return await schema.execute(
        query, variable_values=variables, context_value=Context(platform=p, principal=principal)
    )


async def ok(p: Platform, query: str, principal: Principal = ANONYMOUS, **variables: Any) -> Any:
    result = await execute(p, query, principal, **variables)
    assert result.errors is None, result.errors
    return result.data


async def pages(p: Platform, query: str, path: list[str], first: int) -> list[str]:
    """Every code of a connection, read ``first`` at a time through ``endCursor``."""
    codes: list[str] = []
    after = None
    for _ in range(20):
        data = await ok(p, query, first=first, after=after)
        for key in path:
            data = data[key]
        codes += [e["node"]["code"] for e in data["edges"]]
        assert len(data["edges"]) <= first
        if not data["pageInfo"]["hasNextPage"]:
            assert data["totalCount"] == len(codes)
            return codes
        after = data["pageInfo"]["endCursor"]
    raise AssertionError("paging never ended")


async def test_closed_enums_answer_names_and_refuse_unknown_values(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await build_registry(p)
    data = await ok(p, '{ stateBody(code: "DMX") { kind } serviceCategories { code kind } }')
    assert data["stateBody"]["kind"] == "SERVICE"
    assert {(c["code"], c["kind"]) for c in data["serviceCategories"]} == {
        ("IDENTITY", "CATEGORY"),
        ("BIRTH", "LIFE_EVENT"),
    }
    events = await ok(p, "{ serviceCategories(kind: LIFE_EVENT) { code } }")
    assert [c["code"] for c in events["serviceCategories"]] == ["BIRTH"]

    for bad in ('"life_event"', "SUBMITTED"):
        result = await execute(p, f"{{ serviceCategories(kind: {bad}) {{ code }} }}")
        assert result.data is None and result.errors
    result = await execute(
        p, "query($k: CategoryKind) { serviceCategories(kind: $k) { code } }", k="life_event"
    )
    assert result.data is None and result.errors
    assert "life_event" in result.errors[0].message


async def test_mobile_buses_and_a_bodys_services_page_without_gaps(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await build_registry(p)
    for n in range(2, 6):
        visit = StopVisit("STOP-QUBA", n, "10:00", "16:00")
        await catalog.save_mobile_bus(p, ADMIN, MobileBusInput(f"BUS-{n}", f"Səyyar {n}", (visit,)))
    buses = await pages(
        p,
        """query($first: Int, $after: String) { mobileBuses(first: $first, after: $after) {
             totalCount pageInfo { hasNextPage endCursor } edges { node { code } } } }""",
        ["mobileBuses"],
        2,
    )
    assert sorted(buses) == ["BUS-1", "BUS-2", "BUS-3", "BUS-4", "BUS-5"]

    await catalog.upsert_services(
        p,
        ADMIN,
        [passport_service(f"DIN-{n}", name_az=f"{letter} xidməti") for n, letter in
         enumerate(["Ə", "A", "Ç", "C", "Ü"])],
        initial_status="published",
    )  # fmt: skip
    services = await pages(
        p,
        """query($first: Int, $after: String) { stateBody(code: "DIN") {
             providedServices(first: $first, after: $after) {
               totalCount pageInfo { hasNextPage endCursor } edges { node { code } } } } }""",
        ["stateBody", "providedServices"],
        2,
    )
    assert services == ["DIN-1", "DIN-3", "DIN-2", "DIN-0", "DIN-4"]  # a c ç ə ü
    old = await ok(p, '{ stateBody(code: "DIN") { services { code } } }')
    assert [s["code"] for s in old["stateBody"]["services"]] == services

    wrong = await execute(
        p,
        """query($after: String) { stateBody(code: "DIN") {
             providedServices(after: $after) { totalCount } } }""",
        after=(await ok(p, "{ mobileBuses(first: 1) { pageInfo { endCursor } } }"))["mobileBuses"][
            "pageInfo"
        ]["endCursor"],
    )
    assert wrong.errors, "a cursor of another list must be refused"


async def test_impact_services_page_through_their_own_arguments(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.upsert_services(
        p,
        ADMIN,
        [passport_service(f"DIN-{n}", systems=("VISA",)) for n in range(3)],
        initial_status="published",
    )
    impact: list[str] = []
    after = None
    while True:
        data = await ok(
            p,
            """query($after: String) { informationSystemImpact(code: "IAMAS") {
                 services(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor }
                   edges { node { hops service { code } } } } } }""",
            after=after,
        )
        page = data["informationSystemImpact"]["services"]
        impact += [e["node"]["service"]["code"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(impact) == ["DIN-0", "DIN-1", "DIN-2"]
    assert page["totalCount"] == 3


async def test_regulations_from_the_root_and_from_a_clause(clean_platform: Platform) -> None:
    p = clean_platform
    await import_org(p)
    data = await ok(
        p,
        """{ regulations(first: 100) { totalCount edges { node { id code title unit { code }
               clauses(first: 1) { edges { node { key regulation { code } } } } } } } }""",
    )
    regulations = [e["node"] for e in data["regulations"]["edges"]]
    assert data["regulations"]["totalCount"] == len(regulations) >= 11
    assert [r["code"] for r in regulations] == sorted(r["code"] for r in regulations)
    for r in regulations:
        clause = r["clauses"]["edges"][0]["node"]
        assert clause["regulation"]["code"] == r["code"]
        assert clause["key"].startswith(r["code"] + ":")
    first = regulations[0]
    again = await ok(
        p, "query($id: ID!) { node(id: $id) { ... on Regulation { code } } }", id=first["id"]
    )
    assert again["node"]["code"] == first["code"]


async def test_renamed_fields_answer_under_both_names(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    data = await ok(
        p,
        """{ asanCentre(code: "GANJA") { name nameAz }
             mobileBuses(first: 1) { edges { node { name nameAz
               schedule { stop { name nameAz } } } } } }""",
    )
    assert data["asanCentre"] == {
        "name": "Gəncə ASAN xidmət mərkəzi",
        "nameAz": "Gəncə ASAN xidmət mərkəzi",
    }
    bus = data["mobileBuses"]["edges"][0]["node"]
    assert bus["name"] == bus["nameAz"] == "Səyyar ASAN 1"
    assert (
        bus["schedule"][0]["stop"]["name"] == bus["schedule"][0]["stop"]["nameAz"] == "Quba mərkəzi"
    )


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


async def test_version_history_uses_api_names_and_hides_actors(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.upsert_services(
        p, ADMIN, [passport_service("DIN-001")], initial_status="published"
    )
    query = '{ service(code: "DIN-001") { versions { number actor statusTo changes } } }'

    public = (await ok(p, query))["service"]["versions"]
    assert public and all(v["actor"] is None for v in public)
    keys = _keys([v["changes"] for v in public])
    assert {"legalBasis", "actCode", "requirements", "nameAz", "asanCentres"} <= keys
    assert not keys & {"centres", "buses", "systems"}
    assert not [k for k in keys if "_" in k], keys

    other_body = (await ok(p, query, EDITOR_ASAN))["service"]["versions"]
    assert all(v["actor"] is None for v in other_body)
    own_body = (await ok(p, query, EDITOR_DIN))["service"]["versions"]
    assert [v["actor"] for v in own_body] == [ADMIN.subject] * len(own_body)


async def test_upsert_mutations_take_name_az_and_the_old_names_still_work(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await build_registry(p)
    stop = await ok(
        p,
        """mutation { upsertBusStop(input: {code: "S9", nameAz: "Xaçmaz", region: "Xaçmaz"}) {
             busStop { code nameAz } userErrors { field code } } }""",
        ADMIN,
    )
    assert stop["upsertBusStop"] == {
        "busStop": {"code": "S9", "nameAz": "Xaçmaz"},
        "userErrors": [],
    }
    old = await ok(
        p,
        """mutation { saveBusStop(input: {code: "S9", name: "Xaçmaz 2", region: "Xaçmaz"}) {
             busStop { nameAz } } }""",
        ADMIN,
    )
    assert old["saveBusStop"]["busStop"] == {"nameAz": "Xaçmaz 2"}
    bus = await ok(
        p,
        """mutation { upsertMobileBus(input: {code: "BUS-9", nameAz: "Səyyar 9",
             stops: [{stop: "S9", weekday: 3, startsAt: "10:00", endsAt: "15:00"}]}) {
             mobileBus { nameAz schedule { weekday stop { code } } } userErrors { field } } }""",
        ADMIN,
    )
    assert bus["upsertMobileBus"] == {
        "mobileBus": {"nameAz": "Səyyar 9", "schedule": [{"weekday": 3, "stop": {"code": "S9"}}]},
        "userErrors": [],
    }
    nameless = await ok(
        p,
        """mutation { upsertMobileBus(input: {code: "BUS-10"}) {
             mobileBus { code } userErrors { field code } } }""",
        ADMIN,
    )
    assert nameless["upsertMobileBus"]["mobileBus"] is None
    assert nameless["upsertMobileBus"]["userErrors"]


async def test_scalars_are_documented_and_decimals_are_strings(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.upsert_services(
        p, ADMIN, [passport_service("DIN-001", fee_amount="20.00")], initial_status="published"
    )
    data = await ok(p, '{ service(code: "DIN-001") { feeAmount createdAt } }')
    assert data["service"]["feeAmount"] == "20.00"
    assert data["service"]["createdAt"].endswith("+00:00")
    sdl = schema.as_str()
    for scalar, example in (
        ("Decimal", '`"20.00"`'),
        ("Date", "`2026-11-30`"),
        ("DateTime", "+00:00"),
    ):
        head = sdl[: sdl.index(f"\nscalar {scalar}\n")]
        assert example in head[head.rindex('"""\n', 0, len(head) - 4) :], scalar


async def test_service_inputs_take_the_output_names_for_their_lists(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await build_registry(p)
    create = """mutation($input: CreateServiceInput!) { createService(input: $input) {
        service { asanCentres { code } mobileBuses { code } informationSystems { code } }
        userErrors { field code } } }"""
    base = {"nameAz": "Xidmət", "provider": "DIN"}
    made = await ok(
        p,
        create,
        EDITOR_DIN,
        input={
            **base,
            "code": "DIN-N1",
            "asanCentres": ["GANJA"],
            "mobileBuses": ["BUS-1"],
            "informationSystems": ["IAMAS"],
        },
    )
    assert made["createService"] == {
        "service": {
            "asanCentres": [{"code": "GANJA"}],
            "mobileBuses": [{"code": "BUS-1"}],
            "informationSystems": [{"code": "IAMAS"}],
        },
        "userErrors": [],
    }
    old = await ok(p, create, EDITOR_DIN, input={**base, "code": "DIN-N2", "centres": ["BAKU-1"]})
    assert old["createService"]["service"]["asanCentres"] == [{"code": "BAKU-1"}]

    unknown = await ok(
        p, create, EDITOR_DIN, input={**base, "code": "DIN-N3", "asanCentres": ["NOPE"]}
    )
    errors = unknown["createService"]["userErrors"]
    assert errors and all(e["field"].startswith("asanCentres") for e in errors), errors
    legacy = await ok(p, create, EDITOR_DIN, input={**base, "code": "DIN-N4", "centres": ["NOPE"]})
    errors = legacy["createService"]["userErrors"]
    assert errors and all(e["field"].startswith("centres") for e in errors), errors

    update = """mutation($input: UpdateServiceInput!) { updateService(input: $input) {
        service { asanCentres { code } } userErrors { field } } }"""
    changed = await ok(
        p, update, EDITOR_DIN, input={"code": "DIN-N1", "asanCentres": ["BAKU-1", "GANJA"]}
    )
    assert changed["updateService"]["service"]["asanCentres"] == [
        {"code": "BAKU-1"},
        {"code": "GANJA"},
    ]
