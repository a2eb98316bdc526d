"""The org GraphQL API on a real Neo4j: paging, nodes, DataLoader batching, delegation."""

from __future__ import annotations

from typing import Any

import pytest

from asan.auth.principal import ANONYMOUS, SYSTEM, Principal
from asan.core.platform import Platform
from asan.core.text import az_sort_key
from asan.graphql.context import Context
from asan.graphql.schema import schema
from tests.registry.org_support import import_org


@pytest.fixture
async def org(clean_platform: Platform) -> Platform:
    await import_org(clean_platform)  # restored after the first import
    clean_platform.db.round_trips = 0
    return clean_platform


async def run(
    p: Platform,
    query: str,
    variables: dict[str, Any] | None = None,
    principal: Principal = ANONYMOUS,
) -> Any:
    result = await schema.execute(
        query, variable_values=variables, context_value=Context(platform=p, principal=principal)
    )
    return result


async def ok(p: Platform, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
    result = await run(p, query, variables, **kw)
    assert result.errors is None, result.errors
    return result.data


UNITS = """
query Units($kind: OrgUnitKind, $parent: String, $first: Int, $after: String) {
  orgUnits(kind: $kind, parentCode: $parent, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { code nameAz nameEn kind } }
  }
}
"""


async def test_org_units_pages_by_folded_name(org: Platform) -> None:
    seen: list[dict[str, Any]] = []
    after = None
    pages = 0
    while True:
        data = await ok(org, UNITS, {"kind": "DEPARTMENT", "first": 4, "after": after})
        page = data["orgUnits"]
        assert page["totalCount"] == 10
        seen += [edge["node"] for edge in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages == 3 and len(seen) == 10
    assert {n["kind"] for n in seen} == {"DEPARTMENT"}
    names = [n["nameAz"] for n in seen]
    assert names == sorted(names, key=az_sort_key)
    # Azerbaijani order: "x" before "s" (xidmətlərin, sənəd); "İ" folds to "i", so
    # İnformasiya/İnsan sort between Hüquqi and Maliyyə, not at the end
    assert names[:5] == [
        "Beynəlxalq əlaqələr şöbəsi",
        "Elektron xidmətlərin inkişafı və sosial innovasiyalar şöbəsi",
        "Elektron sənəd dövriyyəsi şöbəsi",
        "Hüquqi təminat şöbəsi",
        "İnformasiya texnologiyaları şöbəsi",
    ]
    assert names[5:7] == ["İnformasiya təminatı şöbəsi", "İnsan resursları və təlim şöbəsi"]


async def test_org_units_filters_by_parent_and_validates_first(org: Platform) -> None:
    data = await ok(org, UNITS, {"parent": "DEPT-FINANCE"})
    assert [e["node"]["nameAz"] for e in data["orgUnits"]["edges"]] == [
        "Maliyyə sektoru",
        "Təminat sektoru",
        "Uçot sektoru",
    ]
    data = await ok(org, UNITS, {"kind": "CENTRE"})
    assert [e["node"]["code"] for e in data["orgUnits"]["edges"]] == ["CENTRE"]
    result = await run(org, UNITS, {"first": 101})
    assert result.errors is not None and "first" in result.errors[0].message
    result = await run(org, UNITS, {"after": "not-a-cursor"})
    assert result.errors is not None and result.errors[0].extensions["code"] == "BAD_USER_INPUT"


UNIT = """
query Unit($code: String!) {
  orgUnit(code: $code) {
    id code kind nameAz nameEn
    parent { code }
    children { code nameAz nameEn }
    positions { code kind leads { code } actsForHead }
    regulation {
      code decisionNumber decisionDate title
      sections { number heading }
      clauses(section: 3, first: 3) { totalCount edges { node { number amended text } } }
    }
  }
}
"""


async def test_org_unit_by_code_with_azerbaijani_text(org: Platform) -> None:
    data = await ok(org, UNIT, {"code": "DEPT-IT"})
    unit = data["orgUnit"]
    assert unit["nameAz"] == "İnformasiya texnologiyaları şöbəsi"
    assert unit["nameEn"] == "IT Department" and unit["kind"] == "DEPARTMENT"
    assert unit["parent"] == {"code": "APARAT"}
    assert [c["code"] for c in unit["children"]] == ["DEPT-IT-SEC-1", "DEPT-IT-SEC-2"]
    assert unit["children"][0]["nameAz"] == "İnformasiya resursları və proqramlaşdırma sektoru"
    assert unit["positions"] == [
        {"code": "DEPT-IT-HEAD", "kind": "HEAD", "leads": None, "actsForHead": False},
        {
            "code": "DEPT-IT-DEPUTY",
            "kind": "DEPUTY_HEAD",
            "leads": {"code": "DEPT-IT-SEC-1"},
            "actsForHead": True,
        },
        {"code": "DEPT-IT-STAFF", "kind": "STAFF", "leads": None, "actsForHead": False},
    ]
    regulation = unit["regulation"]
    assert regulation["decisionNumber"] == "9.1.9/E-05"
    assert regulation["decisionDate"] == "2014-12-29"
    assert regulation["sections"][4] == {
        "number": 5,
        "heading": "İnformasiya resursları və proqramlaşdırma sektorunun funksiyaları",
    }
    clauses = regulation["clauses"]
    assert [c["node"]["number"] for c in clauses["edges"]] == ["3.1", "3.1.1", "3.1.1-1"]
    assert clauses["edges"][2]["node"]["amended"] is True
    assert "Elektron Reyestr" in clauses["edges"][2]["node"]["text"]

    assert (await ok(org, UNIT, {"code": "DEPT-NOPE"})) == {"orgUnit": None}


async def test_node_resolves_units_and_clauses(org: Platform) -> None:
    data = await ok(org, UNIT, {"code": "CENTRE"})
    unit_id = data["orgUnit"]["id"]
    query = """
    query N($id: ID!) { node(id: $id) { __typename ... on OrgUnit { code nameAz } } }
    """
    found = await ok(org, query, {"id": unit_id})
    assert found["node"] == {
        "__typename": "OrgUnit",
        "code": "CENTRE",
        "nameAz": "“ASAN xidmət” mərkəzi",
    }
    clause_query = """
    { orgUnit(code: "DEPT-IT-SEC-1") { clauses(first: 100) { edges { node { id number
        concerns { code } } } } } }
    """
    edges = (await ok(org, clause_query))["orgUnit"]["clauses"]["edges"]
    six = next(e["node"] for e in edges if e["node"]["number"] == "5.1.6")
    assert six["concerns"] == {"code": "DEPT-IT-SEC-1"}
    by_id = await ok(
        org,
        "query N($id: ID!) { node(id: $id) { ... on Clause { key text } } }",
        {"id": six["id"]},
    )
    assert by_id["node"]["key"] == "REG-DEPT-IT:5.1.6"
    assert "elektron xidmətlər reyestrinin" in by_id["node"]["text"]


async def test_clause_cursor_paging_keeps_natural_order(org: Platform) -> None:
    query = """
    query C($after: String) { orgUnit(code: "DEPT-LEGAL") { regulation {
      clauses(section: 3, first: 3, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { number } } } } } }
    """
    numbers: list[str] = []
    after = None
    while True:
        page = (await ok(org, query, {"after": after}))["orgUnit"]["regulation"]["clauses"]
        numbers += [e["node"]["number"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert page["totalCount"] == len(numbers) == 9
    assert numbers == [
        "3.1", "3.1.1", "3.1.2", "3.1.2-1", "3.1.3", "3.1.4", "3.1.5", "3.1.6", "3.1.7",
    ]  # fmt: skip


async def test_nested_levels_cost_one_query_each(org: Platform) -> None:
    query = """
    { orgUnits(kind: DEPARTMENT, first: 10) { edges { node { code
        children { code clauses(first: 3) { totalCount edges { node { number } } } } } } } }
    """
    org.db.round_trips = 0
    data = await ok(org, query)
    assert org.db.round_trips == 3  # units, children of 10 departments, clauses of 19 sectors
    sectors = [c for e in data["orgUnits"]["edges"] for c in e["node"]["children"]]
    assert len(sectors) == 19
    assert all(len(s["clauses"]["edges"]) == 3 and s["clauses"]["totalCount"] > 3 for s in sectors)
    legal = next(e["node"] for e in data["orgUnits"]["edges"] if e["node"]["code"] == "DEPT-LEGAL")
    expertise = next(c for c in legal["children"] if c["code"] == "DEPT-LEGAL-SEC-2")
    assert [e["node"]["number"] for e in expertise["clauses"]["edges"]] == ["5.1", "5.1.1", "5.1.2"]


CREATE = """
mutation Create($input: CreateDelegationInput!) {
  createDelegation(input: $input) {
    delegation { id validFrom validUntil reason from { code } to { code unit { code } } }
    userErrors { field message code }
  }
}
"""


def delegation_input(**overrides: Any) -> dict[str, Any]:
    values = {
        "headPositionCode": "DEPT-EDMS-HEAD",
        "deputyPositionCode": "DEPT-EDMS-DEPUTY",
        "validFrom": "2026-07-01",
        "validUntil": "2026-07-14",
        "reason": "Ezamiyyət / business trip",
    }
    return {"input": {**values, **overrides}}


async def test_create_delegation_and_acting_head(org: Platform) -> None:
    anonymous = await run(org, CREATE, delegation_input())
    assert anonymous.errors is not None
    assert anonymous.errors[0].extensions["code"] == "FORBIDDEN"

    data = await ok(org, CREATE, delegation_input(), principal=SYSTEM)
    payload = data["createDelegation"]
    assert payload["userErrors"] == []
    assert payload["delegation"]["from"] == {"code": "DEPT-EDMS-HEAD"}
    assert payload["delegation"]["to"] == {
        "code": "DEPT-EDMS-DEPUTY",
        "unit": {"code": "DEPT-EDMS"},
    }
    assert payload["delegation"]["validUntil"] == "2026-07-14"

    acting = """
    { orgUnit(code: "DEPT-EDMS") {
        during: actingHead(on: "2026-07-14") { code kind }
        after: actingHead(on: "2026-07-15") { code kind } } }
    """
    org.db.round_trips = 0
    unit = (await ok(org, acting))["orgUnit"]
    assert org.db.round_trips == 2  # the unit, then both dates in one batch
    assert unit["during"] == {"code": "DEPT-EDMS-DEPUTY", "kind": "DEPUTY_HEAD"}
    assert unit["after"] == {"code": "DEPT-EDMS-HEAD", "kind": "HEAD"}

    by = """
    { orgUnit(code: "DEPT-EDMS") { positions { code
        during: actingBy(on: "2026-07-01") { code } after: actingBy(on: "2026-07-15") { code } } } }
    """
    org.db.round_trips = 0
    positions = (await ok(org, by))["orgUnit"]["positions"]
    assert org.db.round_trips == 3  # unit, its positions, actingBy for every (post, date)
    head = next(p for p in positions if p["code"] == "DEPT-EDMS-HEAD")
    assert head["during"] == [{"code": "DEPT-EDMS-DEPUTY"}] and head["after"] == []
    assert all(p["during"] == [] for p in positions if p["code"] != "DEPT-EDMS-HEAD")


async def test_create_delegation_user_errors(org: Platform) -> None:
    data = await ok(
        org,
        CREATE,
        delegation_input(validUntil="2026-06-30", deputyPositionCode="DEPT-IT-DEPUTY"),
        principal=SYSTEM,
    )
    payload = data["createDelegation"]
    assert payload["delegation"] is None
    assert {(e["field"], e["code"]) for e in payload["userErrors"]} == {
        ("validUntil", "BAD_USER_INPUT"),
        ("deputyPositionCode", "BAD_USER_INPUT"),
    }
    assert all(" / " in e["message"] for e in payload["userErrors"])  # Azerbaijani / English
    await ok(org, CREATE, delegation_input(), principal=SYSTEM)
    again = (await ok(org, CREATE, delegation_input(), principal=SYSTEM))["createDelegation"]
    assert [(e["field"], e["code"]) for e in again["userErrors"]] == [("validFrom", "CONFLICT")]
