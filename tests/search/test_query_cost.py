"""The cost estimate prices a search by its own work, not only by its rows: a surcharge per
search, a page of hits multiplied by ``first``, the facets and totals counted once."""

from __future__ import annotations

from graphql import parse

from asan.graphql import limits
from asan.graphql.cost import measure
from asan.graphql.guard import DEFAULT_MAX_COST
from asan.graphql.schema import schema

SCHEMA = schema._schema
FACETS = "facets { kind { value count } unit { value count } }"


def cost(document: str) -> int:
    return measure(SCHEMA, parse(document), None, {}).cost


def test_a_search_costs_its_surcharge_its_page_and_its_facets_once() -> None:
    surcharge = limits.FIELD_SURCHARGES["Query.search"]
    page = '{ search(query: "x", first: 40) { totalCount edges { node { id title } } } }'
    assert cost(page) == 1 + surcharge + 1 + 40 * (1 + 1 + 2)
    facets = cost('{ search(query: "x", first: 40) { ' + FACETS + " } }")
    kinds, units = limits.LIST_BOUNDS["SearchFacets.kind"], limits.LIST_BOUNDS["SearchFacets.unit"]
    assert facets == 1 + surcharge + 1 + (1 + kinds * 2) + (1 + units * 2)  # not x 40


def test_a_full_page_with_its_nodes_passes_and_thirty_aliased_searches_do_not() -> None:
    full = (
        '{ search(query: "x", first: 100) { totalCount ' + FACETS + " edges { cursor node { "
        "kind id title score highlights unit body year status node { id } } } } }"
    )
    assert cost(full) < DEFAULT_MAX_COST
    many = (
        "{ "
        + " ".join(f'a{i}: search(query: "x", first: 1) {{ totalCount }}' for i in range(30))
        + " }"
    )
    assert cost(many) > DEFAULT_MAX_COST
    fewer = (
        "{ "
        + " ".join(f'a{i}: search(query: "x", first: 1) {{ totalCount }}' for i in range(20))
        + " }"
    )
    assert cost(fewer) < DEFAULT_MAX_COST


def test_suggestions_are_priced_per_appeal_of_a_page() -> None:
    surcharge = limits.FIELD_SURCHARGES["Appeal.suggestedUnits"]
    one = cost("{ appeals(first: 1) { edges { node { suggestedUnits { code } } } } }")
    hundred = cost("{ appeals(first: 100) { edges { node { suggestedUnits { code } } } } }")
    assert hundred - 1 == 100 * (one - 1) and one - 1 > surcharge
