"""Shared set-up of the search query tests: the EDMS test world (real Neo4j, MinIO and the
app), a hand-filled index in a temporary directory swapped into the platform, and a probe
search source whose tokens follow the caller's org units.

The probe is a real ``SearchSource`` (the contract's ``tokens``), added to the source list for
the module only, so the trimming of hand-made documents does not depend on how the domains'
sources name their tokens.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from asan.auth.principal import Principal
from asan.core.changelog import ChangeEvent
from asan.core.platform import Platform
from asan.search.engine import SearchDoc

PROBE_MODULE = "tests.search.query_support"


def probe_token(unit: str) -> str:
    return f"probe:unit:{unit}"


@dataclass(frozen=True)
class ProbeSource:
    kind: str = "probe"
    log_kinds: frozenset[str] = field(default_factory=frozenset)

    async def affected(self, platform: Platform, events: Sequence[ChangeEvent]) -> set[str]:
        return set()

    async def load(self, platform: Platform, ids: Sequence[str]) -> list[SearchDoc]:
        return []

    async def all_ids(self, platform: Platform) -> list[str]:
        return []

    def tokens(self, principal: Principal) -> Iterable[str]:
        return {probe_token(unit) for unit in principal.org_units}


SOURCES = (ProbeSource(),)

SEARCH = """
query($q: String!, $f: SearchFilter, $s: SearchSort, $first: Int, $after: String) {
  search(query: $q, filter: $f, sort: $s, first: $first, after: $after) {
    totalCount status rebuildProgress emptyReason
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    facets { kind { value count } unit { value count } body { value count }
             year { value count } status { value count } }
    userErrors { field message code }
    edges { cursor node { kind id title score highlights unit body year status
      node { __typename
        ... on Document { documentId subject }
        ... on OrgUnit { code }
        ... on StateBody { code }
        ... on Clause { key } } } }
  }
}"""

MORE_LIKE = """
query($k: SearchKind!, $id: String!, $first: Int, $after: String) {
  moreLikeThis(kind: $k, id: $id, first: $first, after: $after) {
    totalCount status userErrors { field code } edges { node { kind id } }
    pageInfo { hasNextPage endCursor }
  }
}"""


def search_of(data: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = data["search"]
    return found


def ids(result: dict[str, Any]) -> list[str]:
    return [e["node"]["id"] for e in result["edges"]]


def facet(result: dict[str, Any], name: str) -> dict[str, int]:
    return {f["value"]: f["count"] for f in result["facets"][name]}
