"""The kinds search can answer are exactly the kinds the sources index, each with the GraphQL
type its hits' ``node`` resolves to (a source added without them would fail here, not as an
error inside a search)."""

from __future__ import annotations

from asan.graphql.search.nodes import NODE_TYPES
from asan.graphql.search.types import SearchKind
from asan.search.querying import KINDS
from asan.search.sources import all_sources


def test_every_indexed_kind_is_a_search_kind_with_a_node_type() -> None:
    indexed = {source.kind for source in all_sources()}
    assert indexed == set(KINDS)
    assert {kind.value for kind in SearchKind} == set(KINDS)
    assert set(NODE_TYPES) == set(KINDS)
