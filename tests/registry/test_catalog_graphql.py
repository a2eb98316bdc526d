"""The registry's GraphQL API against the real Neo4j: shapes, userErrors, paging, batching."""

from __future__ import annotations

import base64
from typing import Any

from asan.auth.principal import ANONYMOUS, Principal
from asan.core.platform import Platform
from asan.graphql.context import Context
from asan.graphql.schema import schema
from asan.registry.catalog import queries
from asan.registry.catalog import repository as repo
from asan.registry.catalog import service as catalog
from asan.registry.catalog.models import StateBodyInput
from asan.registry.catalog.services import reads as service_reads
from tests.registry.catalog_support import (
    ADMIN,
    EDITOR_ASAN,
    EDITOR_DIN,
    REVIEWER,
    build_registry,
    passport_service,
)


async def run(
    p: Platform, query: str, principal: Principal | None = None, **variables: Any
) -> dict[str, Any]:
    result = await schema.execute(
        query, variable_values=variables, context_value=Context(platform=p, principal=principal)
    )
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


async def run_error(
    p: Platform, query: str, principal: Principal | None = None, **variables: Any
) -> list[Any]:
    result = await schema.execute(
        query, variable_values=variables, context_value=Context(platform=p, principal=principal)
    )
    assert result.errors, result.data
    return list(result.errors)


CREATE_SERVICE = """
mutation($input: CreateServiceInput!) {
  createService(input: $input) {
    service { id code status nameAz feeAmount provider { code } }
    userErrors { field message code }
  }
}"""

SERVICE_INPUT: dict[str, Any] = {
    "code": "DIN-001",
    "nameAz": "  Şəxsiyyət vəsiqəsinin verilməsi ",
    "provider": "DIN",
    "processingDays": 10,
    "feeAmount": "5.00",
    "channels": ["ONLINE", "ASAN_CENTRE"],
    "onlineUrl": "https://e-gov.az/din/001",
    "requirements": [
        {"code": "BIRTH-CERT", "nameAz": "Doğum haqqında şəhadətnamə"},
        {"code": "PHOTO", "nameAz": "Fotoşəkil", "condition": "15 yaşdan yuxarı"},
    ],
    "legalBasis": [{"actCode": "LAW-ID", "title": "Qanun", "articles": ["5"]}],
    "centres": ["BAKU-1"],
    "systems": ["VISA"],
    "categories": ["IDENTITY"],
}


async def test_vertical_slice_create_read_node_and_nulls(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    data = await run(p, CREATE_SERVICE, EDITOR_DIN, input=SERVICE_INPUT)
    payload = data["createService"]
    assert payload["userErrors"] == []
    service = payload["service"]
    assert service["nameAz"] == "Şəxsiyyət vəsiqəsinin verilməsi"  # trimmed
    assert service["status"] == "DRAFT" and service["feeAmount"] == "5.00"
    assert service["provider"] == {"code": "DIN"}
    assert base64.b64decode(service["id"]).decode() == "Service:DIN-001"

    query = """
    query($code: String!, $id: ID!) {
      service(code: $code) {
        code channels
        requiredDocuments { position code condition }
        legalBasis { actCode articles }
        asanCentres { code name }
        informationSystems { code operator { code } }
        categories { code kind }
        versions { number actor statusTo changes }
        dependencyPath(systemCode: "IAMAS") { kind code }
      }
      node(id: $id) { id ... on Service { code } }
      missing: service(code: "NOPE") { code }
      body: stateBody(code: "NOPE") { code }
    }"""
    got = await run(p, query, EDITOR_DIN, code="DIN-001", id=service["id"])
    s = got["service"]
    assert s["channels"] == ["ASAN_CENTRE", "ONLINE"]
    assert [(d["position"], d["code"]) for d in s["requiredDocuments"]] == [
        (1, "BIRTH-CERT"),
        (2, "PHOTO"),
    ]
    assert s["requiredDocuments"][1]["condition"] == "15 yaşdan yuxarı"
    assert s["informationSystems"] == [{"code": "VISA", "operator": {"code": "DMX"}}]
    assert s["versions"][0]["number"] == 1 and s["versions"][0]["actor"] == "editor-din"
    assert [step["code"] for step in s["dependencyPath"]] == [
        "DIN-001",
        "VISA",
        "MIGRATION",
        "IAMAS",
    ]
    assert got["node"]["code"] == "DIN-001"
    assert got["missing"] is None and got["body"] is None
    unknown_id = base64.b64encode(b"Service:NOPE").decode()
    none = await run(p, "query($id: ID!) { node(id: $id) { id } }", EDITOR_DIN, id=unknown_id)
    assert none["node"] is None


async def test_drafts_are_invisible_to_others(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    await run(p, CREATE_SERVICE, EDITOR_DIN, input=SERVICE_INPUT)
    gid = base64.b64encode(b"Service:DIN-001").decode()
    query = """query($id: ID!) { service(code: "DIN-001") { code }
                node(id: $id) { id } services { totalCount } }"""
    anonymous = await run(p, query, None, id=gid)
    assert anonymous == {"service": None, "node": None, "services": {"totalCount": 0}}
    other_body = await run(p, query, EDITOR_ASAN, id=gid)
    assert other_body["service"] is None
    reviewer = await run(p, query, REVIEWER, id=gid)
    assert reviewer["service"] == {"code": "DIN-001"} and reviewer["services"]["totalCount"] == 1


async def test_user_errors_name_the_field(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    await run(p, CREATE_SERVICE, EDITOR_DIN, input=SERVICE_INPUT)
    dup = await run(p, CREATE_SERVICE, EDITOR_DIN, input=SERVICE_INPUT)
    assert dup["createService"]["service"] is None
    assert dup["createService"]["userErrors"][0]["field"] == "code"
    assert dup["createService"]["userErrors"][0]["code"] == "CONFLICT"

    bad = await run(
        p,
        CREATE_SERVICE,
        EDITOR_DIN,
        input={
            **SERVICE_INPUT,
            "code": "DIN-002",
            "nameAz": "x" * 400,
            # DEL: a control character the domain refuses (C0 ones are refused at the edge)
            "nameEn": "tab\u007fdel",
            "systems": ["NOPE"],
        },
    )
    errors = {e["field"]: e["code"] for e in bad["createService"]["userErrors"]}
    assert errors == {"nameAz": "BAD_USER_INPUT", "nameEn": "BAD_USER_INPUT"}
    unknown = await run(
        p,
        CREATE_SERVICE,
        EDITOR_DIN,
        input={**SERVICE_INPUT, "code": "DIN-003", "systems": ["NOPE"]},
    )
    assert unknown["createService"]["userErrors"] == [
        {
            "field": "systems[0]",
            "message": "'NOPE' tapılmadı / 'NOPE' not found",
            "code": "NOT_FOUND",
        }
    ]

    transition = """mutation($input: TransitionServiceInput!) {
      transitionService(input: $input) { service { status } userErrors { field message code } }
    }"""
    wrong = await run(p, transition, ADMIN, input={"code": "DIN-001", "status": "PUBLISHED"})
    [err] = wrong["transitionService"]["userErrors"]
    assert err["code"] == "INVALID_TRANSITION" and err["field"] == "status"
    assert err["message"].endswith("from 'draft' to 'published' (allowed: under_review)")

    body = await run(
        p,
        """mutation($input: StateBodyInput!) {
          createStateBody(input: $input) { stateBody { code } userErrors { field code } }
        }""",
        ADMIN,
        input={"code": "TAX", "nameAz": "Vergilər Nazirliyi", "parent": "NOPE"},
    )
    assert body["createStateBody"]["userErrors"] == [{"field": "parent", "code": "NOT_FOUND"}]

    # a body's editor may not create another body's service: an error, not a userError
    errors_ = await run_error(
        p, CREATE_SERVICE, EDITOR_ASAN, input={**SERVICE_INPUT, "code": "DIN-009"}
    )
    assert errors_[0].extensions["code"] == "FORBIDDEN"


async def test_registration_through_mutations(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    await run(p, CREATE_SERVICE, EDITOR_DIN, input=SERVICE_INPUT)
    submitted = await run(
        p,
        """mutation { submitServiceRegistration(input: {serviceCode: "DIN-001"}) {
             registrationRequest { id status kind reviewDue } service { status }
             userErrors { field code } } }""",
        EDITOR_DIN,
    )
    payload = submitted["submitServiceRegistration"]
    assert payload["service"]["status"] == "UNDER_REVIEW"
    request_id = payload["registrationRequest"]["id"]
    returned = await run(
        p,
        """mutation($id: String!) { returnServiceRegistration(
             input: {requestId: $id, defects: ["Rüsum göstərilməyib"]}) {
             registrationRequest { status defects fixDue } service { status } } }""",
        REVIEWER,
        id=request_id,
    )
    assert returned["returnServiceRegistration"]["registrationRequest"]["status"] == "RETURNED"
    assert returned["returnServiceRegistration"]["service"]["status"] == "DRAFT"
    await run(
        p,
        'mutation { submitServiceRegistration(input: {serviceCode: "DIN-001"}) { '
        "userErrors { field } } }",
        EDITOR_DIN,
    )
    registered = await run(
        p,
        """mutation($id: String!) { registerService(input: {requestId: $id}) {
             registrationRequest { status resubmissions } service { status } } }""",
        REVIEWER,
        id=request_id,
    )
    assert registered["registerService"]["service"]["status"] == "PUBLISHED"
    assert registered["registerService"]["registrationRequest"]["resubmissions"] == 1
    public = await run(p, '{ service(code: "DIN-001") { status } }')
    assert public["service"]["status"] == "PUBLISHED"


async def test_nested_query_costs_one_round_trip_per_level(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    services = []
    for body in ("DIN", "DMX", "ASAN"):
        for n in range(3):
            services.append(passport_service(f"{body}-{n}", provider=body, name_az=f"{body} {n}"))
    await catalog.upsert_services(p, ADMIN, services, initial_status="published")
    query = """{ stateBodies(first: 10) { totalCount edges { node { code
                 services { code provider { code } requiredDocuments { code } } } } } }"""
    p.db.round_trips = 0
    data = await run(p, query)
    # stateBodies page+count, services of all bodies, contents of all services, providers
    assert p.db.round_trips == 4
    edges = data["stateBodies"]["edges"]
    assert data["stateBodies"]["totalCount"] == 3
    assert sum(len(e["node"]["services"]) for e in edges) == 9
    first = edges[0]["node"]["services"][0]
    assert [d["code"] for d in first["requiredDocuments"]] == ["BIRTH-CERT", "PHOTO", "FEE-RECEIPT"]
    p.db.round_trips = 0
    await run(
        p,
        """{ stateBodies(first: 10) { edges { node {
                       services { requiredDocuments { code } } } } } }""",
    )
    assert p.db.round_trips == 3


TREE = """query($code: String!) { stateBody(code: $code) { code nameAz
             services { code nameAz requiredDocuments { position code nameAz condition } } } }"""


async def test_state_body_tree_costs_one_round_trip_per_level(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    reversed_docs = tuple(reversed(passport_service().requirements or ()))
    await catalog.upsert_services(
        p,
        ADMIN,
        [
            passport_service("DIN-A", name_az="A xidməti"),
            passport_service("DIN-B", name_az="B xidməti", requirements=reversed_docs),
            passport_service("DIN-C", name_az="C xidməti", requirements=()),
            passport_service("DMX-1", provider="DMX", name_az="Miqrasiya"),
        ],
        initial_status="published",
    )
    await catalog.upsert_services(
        p, ADMIN, [passport_service("DIN-D", name_az="Qaralama")], initial_status="draft"
    )

    p.db.round_trips = 0
    data = await run(p, TREE, code="DIN")
    assert p.db.round_trips == 1  # the body, its services and their documents: one query
    services = data["stateBody"]["services"]
    assert [s["code"] for s in services] == ["DIN-A", "DIN-B", "DIN-C"]  # no draft, by name
    docs = {s["code"]: s["requiredDocuments"] for s in services}
    assert [(d["position"], d["code"]) for d in docs["DIN-A"]] == [
        (1, "BIRTH-CERT"),
        (2, "PHOTO"),
        (3, "FEE-RECEIPT"),
    ]
    assert [d["code"] for d in docs["DIN-B"]] == ["FEE-RECEIPT", "PHOTO", "BIRTH-CERT"]
    assert docs["DIN-B"][1]["condition"] == "15 yaşdan yuxarı / over 15"
    assert docs["DIN-B"][0]["condition"] is None
    assert docs["DIN-C"] == []

    # the body's own editor sees its draft; still one query
    p.db.round_trips = 0
    data = await run(p, TREE, EDITOR_DIN, code="DIN")
    assert p.db.round_trips == 1
    assert [s["code"] for s in data["stateBody"]["services"]] == [
        "DIN-A",
        "DIN-B",
        "DIN-C",
        "DIN-D",
    ]


async def test_service_lists_match_the_stored_content(clean_platform: Platform) -> None:
    """Documents and the other lists load apart from the content, and say the same."""
    p = clean_platform
    await build_registry(p)
    await catalog.upsert_services(
        p,
        ADMIN,
        [
            passport_service("DIN-A", name_az="A xidməti"),
            passport_service("DIN-B", name_az="B xidməti", channels=("ONLINE",), centres=()),
        ],
        initial_status="published",
    )
    query = """{ stateBody(code: "DIN") { services { code
                 requiredDocuments { code nameAz nameEn nameRu condition }
                 legalBasis { actCode title articles } outputs { code nameAz }
                 channels asanCentres { code } mobileBuses { code }
                 informationSystems { code } categories { code } } } }"""
    p.db.round_trips = 0
    data = await run(p, query)
    # body with services and documents (one query), the other lists (one query for all of
    # them), then one query each for the centres, buses, systems and categories they name
    assert p.db.round_trips == 6
    stored = await repo.stored_services(p.db, ["DIN-A", "DIN-B"])
    for s in data["stateBody"]["services"]:
        c = stored[s["code"]].content
        assert s["requiredDocuments"] == [
            {
                "code": e.code,
                "nameAz": e.name_az,
                "nameEn": e.name_en,
                "nameRu": e.name_ru,
                "condition": e.condition,
            }
            for e in c.requirements or ()
        ]
        assert s["legalBasis"] == [
            {"actCode": a.act_code, "title": a.title, "articles": list(a.articles)}
            for a in c.legal_basis or ()
        ]
        assert s["outputs"] == [{"code": o.code, "nameAz": o.name_az} for o in c.outputs or ()]
        assert s["channels"] == list(c.channels or ())
        assert [x["code"] for x in s["asanCentres"]] == list(c.centres or ())
        assert [x["code"] for x in s["mobileBuses"]] == list(c.buses or ())
        assert [x["code"] for x in s["informationSystems"]] == list(c.systems or ())
        assert [x["code"] for x in s["categories"]] == list(c.categories or ())
    assert data["stateBody"]["services"][1]["channels"] == ["ONLINE"]
    assert data["stateBody"]["services"][0]["channels"] == ["ASAN_CENTRE", "MOBILE_BUS", "ONLINE"]

    # several of the other lists on one level still cost one query between them
    p.db.round_trips = 0
    await run(p, '{ service(code: "DIN-A") { channels legalBasis { actCode } outputs { code } } }')
    assert p.db.round_trips == 2


async def test_services_by_body_expands_from_the_body(clean_platform: Platform) -> None:
    """The plan starts at the body, never at the status index over every service."""
    p = clean_platform
    await build_registry(p)
    captured: list[tuple[str, dict[str, Any]]] = []
    original = service_reads._run

    async def spy(q: Any, cypher: Any, params: Any) -> Any:
        captured.append((cypher, dict(params)))
        return await original(q, cypher, params)

    service_reads._run = spy  # type: ignore[assignment]
    try:
        await queries.services_by_body(p, ANONYMOUS, ["DIN"])
    finally:
        service_reads._run = original  # type: ignore[assignment]
    (cypher, params), *_ = captured
    result = await p.db._driver.execute_query(
        "EXPLAIN " + cypher, parameters_=params, database_=p.db.database
    )
    plan = result.summary.plan

    def details(op: Any) -> list[str]:
        own = f"{op['operatorType']} {op['args'].get('Details', '')}"
        return [own] + [d for child in op.get("children", []) for d in details(child)]

    lines = details(plan)
    assert not [line for line in lines if "status" in line and "Index" in line], lines
    assert any("StateBody(code)" in line for line in lines), lines


async def test_service_with_its_provider_costs_one_round_trip(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.upsert_services(
        p,
        ADMIN,
        [
            passport_service("DIN-001"),
            passport_service("DMX-001", provider="DMX", name_az="Miqrasiya"),
            passport_service("ASAN-1", provider="ASAN", name_az="Zəng"),
        ],
        initial_status="published",
    )
    await catalog.upsert_services(
        p, ADMIN, [passport_service("DIN-DRAFT", name_az="Qaralama")], initial_status="draft"
    )

    p.db.round_trips = 0
    data = await run(p, '{ service(code: "DMX-001") { code provider { code nameAz } } }')
    assert p.db.round_trips == 1  # the provider comes with the service
    assert data["service"] == {
        "code": "DMX-001",
        "provider": {"code": "DMX", "nameAz": "Dövlət Miqrasiya Xidməti"},
    }

    # the primed body is the loader's body: its parent still resolves (one more level)
    p.db.round_trips = 0
    data = await run(p, '{ service(code: "DMX-001") { provider { parent { code } } } }')
    assert data["service"]["provider"]["parent"] == {"code": "DIN"}
    assert p.db.round_trips == 2

    p.db.round_trips = 0
    data = await run(
        p, "{ services(first: 10) { totalCount edges { node { code provider { code } } } } }"
    )
    assert p.db.round_trips == 1  # page, total and providers in one query
    assert data["services"]["totalCount"] == 3  # the draft is not public
    assert {
        (e["node"]["code"], e["node"]["provider"]["code"]) for e in data["services"]["edges"]
    } == {
        ("DIN-001", "DIN"),
        ("DMX-001", "DMX"),
        ("ASAN-1", "ASAN"),
    }

    # visibility still applies: a draft is unknown to the public, and brings no provider
    p.db.round_trips = 0
    data = await run(p, '{ service(code: "DIN-DRAFT") { code provider { code } } }')
    assert data["service"] is None and p.db.round_trips == 1
    data = await run(p, '{ service(code: "DIN-DRAFT") { code provider { code } } }', EDITOR_DIN)
    assert data["service"] == {"code": "DIN-DRAFT", "provider": {"code": "DIN"}}


async def test_keyset_cursors_survive_inserts_and_first_is_capped(clean_platform: Platform) -> None:
    p = clean_platform
    for code, name in (("B", "Bakı"), ("D", "Dövlət"), ("F", "Fövqəladə"), ("M", "Maliyyə")):
        await catalog.create_state_body(p, ADMIN, StateBodyInput(code, name))
    page_query = """query($after: String) { stateBodies(first: 2, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { code } } } }"""
    first = (await run(p, page_query, after=None))["stateBodies"]
    assert [e["node"]["code"] for e in first["edges"]] == ["B", "D"]
    # rows inserted before and after the cursor while the client pages
    await catalog.create_state_body(p, ADMIN, StateBodyInput("A", "Aqrar"))
    await catalog.create_state_body(p, ADMIN, StateBodyInput("E", "Ekologiya"))
    second = (await run(p, page_query, after=first["pageInfo"]["endCursor"]))["stateBodies"]
    assert [e["node"]["code"] for e in second["edges"]] == ["E", "F"]
    assert second["totalCount"] == 6 and second["pageInfo"]["hasNextPage"]
    third = (await run(p, page_query, after=second["pageInfo"]["endCursor"]))["stateBodies"]
    assert [e["node"]["code"] for e in third["edges"]] == ["M"]
    assert not third["pageInfo"]["hasNextPage"]

    errors = await run_error(p, "{ stateBodies(first: 101) { totalCount } }")
    assert errors[0].extensions["field"] == "first"
    assert "100" in errors[0].message
    bad_cursor = await run_error(p, '{ services(after: "bm90LWEtY3Vyc29y") { totalCount } }')
    assert bad_cursor[0].extensions["field"] == "after"


async def test_service_list_filters_ordering_and_impact(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.upsert_services(
        p,
        ADMIN,
        [
            passport_service("DIN-001", processing_days=10),
            passport_service(
                "DIN-002",
                name_az="Arayış",
                processing_days=1,
                buses=(),
                centres=("GANJA",),
                systems=("VISA",),
            ),
            passport_service(
                "ASAN-1",
                name_az="Zəng",
                provider="ASAN",
                processing_days=3,
                channels=("CALL_CENTRE_108",),
                online_url=None,
                buses=(),
                centres=(),
                systems=("EGOV",),
            ),
        ],
        initial_status="published",
    )
    query = """query($filter: ServiceFilter, $order: ServiceOrder, $after: String) {
      services(first: 2, filter: $filter, orderBy: $order, after: $after) {
        totalCount pageInfo { endCursor } edges { node { code } } } }"""

    async def codes(**kw: Any) -> tuple[int, list[str], str | None]:
        data = (await run(p, query, **kw))["services"]
        return (
            data["totalCount"],
            [e["node"]["code"] for e in data["edges"]],
            data["pageInfo"]["endCursor"],
        )

    total, page, cursor = await codes(order={"field": "PROCESSING_DAYS"})
    assert total == 3 and page == ["DIN-002", "ASAN-1"]
    assert (await codes(order={"field": "PROCESSING_DAYS"}, after=cursor))[1] == ["DIN-001"]
    assert (await codes(order={"field": "CODE", "descending": True}))[1] == ["DIN-002", "DIN-001"]
    assert (await codes(filter={"channel": "CALL_CENTRE_108"}))[1] == ["ASAN-1"]
    assert (await codes(filter={"busStop": "STOP-QUBA"}))[1] == ["DIN-001"]
    assert (await codes(filter={"asanCentre": "GANJA"}))[1] == ["DIN-002"]
    assert (await codes(filter={"stateBody": "ASAN"}))[1] == ["ASAN-1"]

    p.db.round_trips = 0
    impact = await run(
        p,
        """{ informationSystemImpact(code: "IAMAS", first: 1) { system { code }
             services { totalCount pageInfo { hasNextPage endCursor }
                        edges { node { hops service { code } } } }
             asanCentres { code } } }""",
    )
    assert p.db.round_trips == 1  # the whole impact is one Cypher query
    result = impact["informationSystemImpact"]
    services = result["services"]
    assert services["totalCount"] == 2
    assert services["pageInfo"]["hasNextPage"] is True
    assert [(e["node"]["service"]["code"], e["node"]["hops"]) for e in services["edges"]] == [
        ("DIN-001", 0)
    ]
    assert {c["code"] for c in result["asanCentres"]} == {"BAKU-1", "GANJA"}
    rest = await run(
        p,
        """query($after: String) { informationSystemImpact(code: "IAMAS", after: $after) {
             services { pageInfo { hasNextPage } edges { node { hops service { code } } } } } }""",
        after=services["pageInfo"]["endCursor"],
    )
    page_two = rest["informationSystemImpact"]["services"]
    assert [(e["node"]["service"]["code"], e["node"]["hops"]) for e in page_two["edges"]] == [
        ("DIN-002", 2)
    ]
    assert page_two["pageInfo"]["hasNextPage"] is False
    none = await run(p, '{ informationSystemImpact(code: "NOPE") { system { code } } }')
    assert none["informationSystemImpact"] is None

    coverage = await run(
        p,
        '{ registryCoverage(stateBodies: ["DIN", "ASAN"]) { '
        "stateBodyCode services eServices eServiceShare } }",
    )
    assert {c["stateBodyCode"]: c["eServiceShare"] for c in coverage["registryCoverage"]} == {
        "DIN": 1.0,
        "ASAN": 0.0,
    }


async def test_reference_mutations_and_request_visibility(clean_platform: Platform) -> None:
    p = clean_platform
    await run(
        p,
        """mutation { a: createStateBody(input: {code: "DIN", nameAz: "DİN", kind: MINISTRY}) {
             userErrors { field } } }""",
        ADMIN,
    )
    systems = """mutation($input: InformationSystemInput!) {
      createInformationSystem(input: $input) {
        informationSystem { code operator { code } } userErrors { field code } } }"""
    made = await run(
        p, systems, EDITOR_DIN, input={"code": "IAMAS", "nameAz": "İAMAS", "operator": "DIN"}
    )
    assert made["createInformationSystem"]["informationSystem"]["operator"] == {"code": "DIN"}
    await run(p, systems, EDITOR_DIN, input={"code": "POL", "nameAz": "Polis", "operator": "DIN"})
    unknown = await run(p, systems, ADMIN, input={"code": "X", "nameAz": "X", "operator": "NOPE"})
    assert unknown["createInformationSystem"]["userErrors"] == [
        {"field": "operator", "code": "NOT_FOUND"}
    ]
    linked = await run(
        p,
        """mutation { linkInformationSystems(input: {links: [
             {consumer: "POL", provider: "IAMAS", since: "2020-01-01"},
             {consumer: "POL", provider: "GHOST"}]}) {
             informationSystems { code } userErrors { field code } } }""",
        EDITOR_DIN,
    )
    assert linked["linkInformationSystems"]["userErrors"] == [
        {"field": "links[1].provider", "code": "NOT_FOUND"}
    ]
    linked = await run(
        p,
        """mutation { linkInformationSystems(input: {links: [
             {consumer: "POL", provider: "IAMAS"}]}) {
             informationSystems { code consumesDataFrom { code } } userErrors { field } } }""",
        EDITOR_DIN,
    )
    assert linked["linkInformationSystems"]["informationSystems"] == [
        {"code": "POL", "consumesDataFrom": [{"code": "IAMAS"}]}
    ]
    errors = await run_error(
        p,
        """mutation { linkInformationSystems(input: {links: [
             {consumer: "POL", provider: "IAMAS"}]}) { userErrors { field } } }""",
        EDITOR_ASAN,
    )
    assert errors[0].extensions["code"] == "FORBIDDEN"

    centre = await run(
        p,
        """mutation { createAsanCentre(input: {code: "SUMQAYIT", name: "Sumqayıt ASAN",
             region: "Sumqayıt", address: "Sülh küç. 1", hours: "9-19"}) {
             asanCentre { code } userErrors { field code } } }""",
        ADMIN,
    )
    assert centre["createAsanCentre"]["userErrors"] == [
        {"field": "hours", "code": "BAD_USER_INPUT"}
    ]
    await run(
        p,
        """mutation { createAsanCentre(input: {code: "SUMQAYIT", name: "Sumqayıt ASAN",
             region: "Sumqayıt", address: "Sülh küç. 1"}) { userErrors { field } } }""",
        ADMIN,
    )
    await run(
        p,
        'mutation { saveBusStop(input: {code: "S1", name: "Xaçmaz", region: "Xaçmaz"}) '
        "{ userErrors { field } } }",
        ADMIN,
    )
    bus = await run(
        p,
        """mutation { saveMobileBus(input: {code: "BUS-7", name: "Səyyar 7", stops: [
             {stop: "S1", weekday: 3, startsAt: "10:00", endsAt: "15:00"}]}) {
             mobileBus { code schedule { weekday startsAt stop { code name } } }
             userErrors { field } } }""",
        ADMIN,
    )
    assert bus["saveMobileBus"]["mobileBus"]["schedule"] == [
        {"weekday": 3, "startsAt": "10:00", "stop": {"code": "S1", "name": "Xaçmaz"}}
    ]
    centres = await run(p, "{ asanCentres { totalCount edges { node { code hours } } } }")
    assert centres["asanCentres"]["edges"] == [
        {"node": {"code": "SUMQAYIT", "hours": "09:00-19:00"}}
    ]

    await catalog.create_service(
        p,
        EDITOR_DIN,
        passport_service(centres=(), buses=(), systems=("IAMAS",), categories=()),
    )
    await catalog.submit_service(p, EDITOR_DIN, "DIN-001")
    query = '{ service(code: "DIN-001") { status registrationRequests { kind status } } }'
    own = await run(p, query, EDITOR_DIN)
    assert own["service"]["registrationRequests"] == [
        {"kind": "REGISTRATION", "status": "SUBMITTED"}
    ]
    reviewer = await run(p, query, REVIEWER)
    assert reviewer["service"]["status"] == "UNDER_REVIEW"
    assert len(reviewer["service"]["registrationRequests"]) == 1
    listed = await run(
        p,
        "{ registrationRequests(status: SUBMITTED) { totalCount edges { node { serviceCode } } } }",
        EDITOR_DIN,
    )
    assert listed["registrationRequests"] == {
        "totalCount": 1,
        "edges": [{"node": {"serviceCode": "DIN-001"}}],
    }
    # a status is an enum: a string is a validation error, not a filter that finds nothing
    typo = await run_error(p, '{ registrationRequests(status: "SUBMITTED") { totalCount } }')
    assert typo[0].extensions["code"] == "GRAPHQL_VALIDATION_FAILED"
    others = await run(p, "{ registrationRequests { totalCount } }", EDITOR_ASAN)
    assert others["registrationRequests"] == {"totalCount": 0}  # only their own body's
    overdue = await run(p, "{ overdueRegistrationRequests { totalCount } }", EDITOR_DIN)
    assert overdue["overdueRegistrationRequests"] == {"totalCount": 0}  # due in 7 working days
    refused = await run_error(p, "{ overdueRegistrationRequests { totalCount } }", None)
    assert refused[0].extensions["code"] == "FORBIDDEN"


async def test_update_service_records_a_diff_and_suspended_stays_public(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await build_registry(p)
    await run(p, CREATE_SERVICE, EDITOR_DIN, input=SERVICE_INPUT)
    update = """mutation($input: UpdateServiceInput!) {
      updateService(input: $input) {
        service { version processingDays onlineUrl channels versions { number changes } }
        userErrors { field code } } }"""
    bad = await run(p, update, EDITOR_DIN, input={"code": "DIN-001", "clearOnlineUrl": True})
    assert bad["updateService"]["userErrors"] == [{"field": "onlineUrl", "code": "BAD_USER_INPUT"}]
    done = await run(
        p,
        update,
        EDITOR_DIN,
        input={
            "code": "DIN-001",
            "clearOnlineUrl": True,
            "channels": ["ASAN_CENTRE"],
            "processingDays": 3,
        },
    )
    service = done["updateService"]["service"]
    assert service["version"] == 2 and service["onlineUrl"] is None
    assert service["channels"] == ["ASAN_CENTRE"] and service["processingDays"] == 3
    changes = service["versions"][0]["changes"]
    assert set(changes) == {"onlineUrl", "channels", "processingDays"}
    assert changes["channels"] == {"from": ["ASAN_CENTRE", "ONLINE"], "to": ["ASAN_CENTRE"]}
    missing = await run(p, update, EDITOR_DIN, input={"code": "NOPE", "processingDays": 1})
    assert missing["updateService"]["userErrors"] == [{"field": "code", "code": "NOT_FOUND"}]

    await catalog.submit_service(p, EDITOR_DIN, "DIN-001")
    request = await catalog.overdue_requests(p, REVIEWER)
    assert request == []
    [open_request] = (await repo.requests_by_service(p.db, ["DIN-001"]))["DIN-001"]
    await catalog.register_request(p, REVIEWER, open_request.id)
    await catalog.transition_service(p, REVIEWER, "DIN-001", "suspended", note="təmir")
    public = await run(p, '{ service(code: "DIN-001") { status } services { totalCount } }')
    assert public == {"service": {"status": "SUSPENDED"}, "services": {"totalCount": 1}}
    await catalog.transition_service(p, REVIEWER, "DIN-001", "withdrawn")
    gone = await run(p, '{ service(code: "DIN-001") { status } services { totalCount } }')
    assert gone == {"service": None, "services": {"totalCount": 0}}


async def test_service_timestamps_decode_as_the_driver_does(platform: Platform) -> None:
    """Service timestamps read as [epochSeconds, nanosecond, offsetSeconds] decode alike.

    The same aware datetimes (and ISO strings) as the driver's own decoding, nulls included.
    """
    for expr in (
        "datetime()",
        "datetime('2024-03-01T10:11:12.123456789+04:00')",
        "datetime('1960-03-01T10:11:12.000001[Asia/Baku]')",
        "datetime({epochSeconds: 0, nanosecond: 999999600})",
        "null",
    ):
        rows = await platform.db.read(
            "WITH " + expr + " AS t RETURN t, [t.epochSeconds, t.nanosecond, t.offsetSeconds] AS x"
        )
        driver, ours = repo._native(rows[0]["t"]), repo._instant(rows[0]["x"])
        assert ours == driver, expr
        assert (ours.isoformat() if ours else None) == (driver.isoformat() if driver else None)
