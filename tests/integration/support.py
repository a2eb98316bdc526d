"""Shared set-up of the integration tests: GraphQL calls and catalog changes through use cases."""

from __future__ import annotations

from typing import Any

from asan.auth.principal import ANONYMOUS, Principal
from asan.core.platform import Platform
from asan.graphql.context import Context
from asan.graphql.schema import schema
from asan.registry.catalog import service as catalog
from asan.registry.catalog.models import ServicePatch
from tests.registry.catalog_support import EDITOR_DIN, REVIEWER, passport_service

FEED = """
query($after: String, $first: Int, $kinds: [ChangeEntityKind!]) {
  changes(after: $after, first: $first, kinds: $kinds) {
    headCursor
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      seq cursor kind entityId operation fields tombstone nodeId
      node { ... on Service { code nameAz status } ... on StateBody { code nameAz } }
    } }
  }
}"""


async def gql(
    p: Platform, query: str, principal: Principal = ANONYMOUS, **variables: Any
) -> dict[str, Any]:
    result = await schema.execute(
        query, variable_values=variables, context_value=Context(platform=p, principal=principal)
    )
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


async def feed(
    p: Platform,
    principal: Principal = ANONYMOUS,
    after: str | None = None,
    first: int = 100,
    kinds: list[str] | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every event after ``after`` (following pages), and the last page's connection."""
    events: list[dict[str, Any]] = []
    while True:
        data = await gql(p, FEED, principal, after=after, first=first, kinds=kinds)
        page = data["changes"]
        events += [e["node"] for e in page["edges"]]
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            return events, page


async def draft(p: Platform, code: str, name: str = "Xidmət") -> None:
    await catalog.create_service(p, EDITOR_DIN, passport_service(code, name_az=name))


async def publish(p: Platform, code: str) -> None:
    request = await catalog.submit_service(p, EDITOR_DIN, code, summary="yeni xidmət")
    await catalog.register_request(p, REVIEWER, request.id)


async def rename(p: Platform, code: str, name: str, principal: Principal = REVIEWER) -> None:
    await catalog.update_service(p, principal, ServicePatch(code=code, name_az=name))


async def withdraw(p: Platform, code: str) -> None:
    await catalog.transition_service(p, REVIEWER, code, "suspended")
    await catalog.transition_service(p, REVIEWER, code, "withdrawn")
