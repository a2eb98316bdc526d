"""Bulk import/export and the quality index through the GraphQL schema (real Neo4j)."""

from __future__ import annotations

from typing import Any

import pytest

from asan.auth.principal import SYSTEM, Principal
from asan.core.platform import Platform
from asan.graphql import bulk
from asan.graphql.context import Context
from asan.graphql.platform import PlatformQuery
from asan.graphql.schema import MUTATION_TYPES, QUERY_TYPES, build_schema
from asan.registry.catalog import service as catalog
from tests.registry.catalog_support import EDITOR_ASAN, EDITOR_DIN, build_registry, passport_service

# Until asan/graphql/schema.py merges asan.graphql.bulk, the test schema adds it itself
# (without PlatformQuery: strawberry's relay `node` field can be bound to one schema only).
schema = build_schema(
    (
        *[t for t in QUERY_TYPES if t is not PlatformQuery],
        *[t for t in bulk.QUERIES if t not in QUERY_TYPES],
    ),
    (*MUTATION_TYPES, *[t for t in bulk.MUTATIONS if t not in MUTATION_TYPES]),
)

IMPORT = """
mutation($input: ImportServicesInput!) {
  importServices(input: $input) {
    accepted total created updated unchanged
    rejectedLines { line record field message code }
    userErrors { field message code }
  }
}"""
EXPORT = "query($b: String!, $f: BulkFormat!) { exportServices(stateBodyCode: $b, format: $f) }"


async def execute(p: Platform, query: str, principal: Principal | None, **variables: Any) -> Any:
    return await schema.execute(
        query, variable_values=variables, context_value=Context(platform=p, principal=principal)
    )


@pytest.fixture
async def registry(clean_platform: Platform) -> Platform:
    await build_registry(clean_platform)
    await catalog.create_service(clean_platform, SYSTEM, passport_service())
    return clean_platform


async def test_export_then_import_round_trips_over_graphql(registry: Platform) -> None:
    exported = await execute(registry, EXPORT, EDITOR_DIN, b="DIN", f="CSV")
    assert exported.errors is None
    csv_text = exported.data["exportServices"]
    assert csv_text.startswith("code,nameAz,")
    changed = csv_text.replace("DIN-001", "DIN-009")  # a new service from the same row
    result = await execute(
        registry,
        IMPORT,
        EDITOR_DIN,
        input={"stateBodyCode": "DIN", "format": "CSV", "content": changed},
    )
    assert result.errors is None
    payload = result.data["importServices"]
    assert (payload["accepted"], payload["created"], payload["rejectedLines"]) == (True, 1, [])


async def test_rejected_lines_and_unknown_body_are_data_not_errors(registry: Platform) -> None:
    content = '[\n{"code": "DIN-500", "nameAz": "Ad", "feeAmount": "1", "systems": ["NOPE"]}\n]'
    result = await execute(
        registry,
        IMPORT,
        SYSTEM,
        input={"stateBodyCode": "DIN", "format": "JSON", "content": content},
    )
    payload = result.data["importServices"]
    assert payload["accepted"] is False
    assert payload["rejectedLines"] == [
        {
            "line": 2,
            "record": 1,
            "field": "systems[0]",
            "code": "NOT_FOUND",
            "message": "'NOPE' tapılmadı / 'NOPE' not found",
        }
    ]
    result = await execute(
        registry,
        IMPORT,
        SYSTEM,
        input={"stateBodyCode": "XX", "format": "JSON", "content": content},
    )
    assert result.data["importServices"]["userErrors"][0]["field"] == "stateBodyCode"


async def test_refusal_is_a_graphql_error(registry: Platform) -> None:
    result = await execute(
        registry,
        IMPORT,
        EDITOR_ASAN,
        input={"stateBodyCode": "DIN", "format": "CSV", "content": "x"},
    )
    assert result.errors and result.errors[0].extensions["code"] == "FORBIDDEN"
    anonymous = await execute(registry, EXPORT, None, b="DIN", f="JSON")
    assert anonymous.errors and anonymous.errors[0].extensions["code"] == "FORBIDDEN"


async def test_quality_fields(registry: Platform) -> None:
    query = """
    query {
      serviceQuality(code: "DIN-001") { score grade missing { code message } }
      bodyQuality(code: "DIN") { services score }
      qualityRanking(first: 5) { code services }
    }"""
    public = await execute(registry, query, None)
    assert public.errors is None
    # a draft is invisible to the public, and bodies count only public services
    assert public.data["serviceQuality"] is None
    assert public.data["bodyQuality"] == {"services": 0, "score": None}
    own = await execute(registry, query, EDITOR_DIN)
    quality = own.data["serviceQuality"]
    assert quality["score"] == 95 and quality["grade"] == "A"
    assert [m["code"] for m in quality["missing"]] == ["complaints"]
    assert "108" in quality["missing"][0]["message"]
    assert {b["code"] for b in own.data["qualityRanking"]} == {"DIN", "ASAN", "DMX"}
    bad = await execute(registry, "query { qualityRanking(first: 0) { code } }", None)
    assert bad.errors and bad.errors[0].extensions["field"] == "first"
