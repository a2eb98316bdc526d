"""Lists in Azerbaijani order and lookup without Azerbaijani letters, on the sample registry
and the imported org structure: order, search, region folding, updatedSince, backward paging
and cursors that refuse to cross lists (issue 9, point 3 and the paging items of point 5)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

import pytest

from asan.auth.principal import ANONYMOUS, SYSTEM, Principal
from asan.core.platform import Platform
from asan.graphql.context import Context
from asan.graphql.schema import schema
from asan.registry.catalog.sample import load_sample_registry
from tests.registry.org_support import import_org

# The reference order, written apart from asan.core.text: one rank per letter of the alphabet,
# Azerbaijani lower-casing done by hand (I -> ı, İ -> i); spaces, then other marks, then digits
# come before letters. Pairs equal on this level are not judged (only accents or case differ).
ALPHABET = "a b c ç d e ə f g ğ h x ı i j k q l m n o ö p r s ş t u ü v y z".split()
RANK = {letter: index for index, letter in enumerate(ALPHABET)}


def _lower(text: str) -> str:
    return "".join("ı" if ch == "I" else "i" if ch == "İ" else ch.lower() for ch in text)


def reference_key(text: str) -> list[tuple[int, int]]:
    key = []
    for ch in _lower(text):
        if ch == " ":
            key.append((0, 0))
        elif ch in RANK:
            key.append((3, RANK[ch]))
        elif ch.isdigit():
            key.append((2, int(ch)))
        else:
            key.append((1, ord(ch)))
    return key


def inversions(names: list[str]) -> list[tuple[str, str]]:
    return [
        (a, b) for a, b in itertools.combinations(names, 2) if reference_key(a) > reference_key(b)
    ]


async def run(
    p: Platform,
    query: str,
    variables: dict[str, Any] | None = None,
    principal: Principal = ANONYMOUS,
) -> Any:
    return await schema.execute(
        query, variable_values=variables, context_value=Context(platform=p, principal=principal)
    )


async def ok(p: Platform, query: str, variables: dict[str, Any] | None = None) -> Any:
    result = await run(p, query, variables)
    assert result.errors is None, result.errors
    return result.data


def refused(result: Any, argument: str) -> None:
    assert result.errors, result.data
    ext = result.errors[0].extensions or {}
    assert ext.get("code") == "BAD_USER_INPUT", result.errors
    assert ext.get("field") == argument, result.errors


@pytest.fixture
async def sample(clean_platform: Platform) -> Platform:
    await load_sample_registry(clean_platform)
    return clean_platform


SERVICES = """
query S($first: Int, $after: String, $last: Int, $before: String, $filter: ServiceFilter,
        $since: DateTime) {
  services(first: $first, after: $after, last: $last, before: $before, filter: $filter,
           updatedSince: $since) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { node { code nameAz } }
  }
}
"""


async def all_forward(
    p: Platform, query: str, field: str, size: int, variables: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    after = None
    while True:
        data = (await ok(p, query, {**(variables or {}), "first": size, "after": after}))[field]
        seen += [edge["node"] for edge in data["edges"]]
        assert data["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not data["pageInfo"]["hasNextPage"]:
            assert len(seen) == data["totalCount"]
            return seen
        after = data["pageInfo"]["endCursor"]


async def all_backward(
    p: Platform, query: str, field: str, size: int, variables: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    before = None
    while True:
        data = (await ok(p, query, {**(variables or {}), "last": size, "before": before}))[field]
        seen = [edge["node"] for edge in data["edges"]] + seen
        assert data["pageInfo"]["hasNextPage"] is (before is not None)
        if not data["pageInfo"]["hasPreviousPage"]:
            assert len(seen) == data["totalCount"]
            return seen
        before = data["pageInfo"]["startCursor"]


async def test_services_sort_in_azerbaijani_order_both_ways(sample: Platform) -> None:
    forward = await all_forward(sample, SERVICES, "services", 30)
    names = [n["nameAz"] for n in forward]
    assert len(names) >= 100
    assert inversions(names) == []
    # the code-point order the issue reported is far from it (Dövlət before Dəfn, Ə after Ü)
    assert len(inversions(sorted(names))) > 100
    backward = await all_backward(sample, SERVICES, "services", 30)
    assert backward == forward
    # bodies: Ə right after E-words, before F; Ü-words never after Ə-words
    bodies = [n["nameAz"] for n in await all_forward(sample, BODIES, "stateBodies", 5)]
    assert inversions(bodies) == []
    assert bodies.index("Elm və Təhsil Nazirliyi") < bodies.index("Ədliyyə Nazirliyi")


BODIES = """
query B($first: Int, $after: String, $last: Int, $before: String, $search: String,
        $since: DateTime) {
  stateBodies(first: $first, after: $after, last: $last, before: $before, search: $search,
              updatedSince: $since) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { node { code nameAz } }
  }
}
"""

CENTRES = """
query C($region: String, $first: Int, $after: String) {
  asanCentres(region: $region, first: $first, after: $after) {
    totalCount pageInfo { endCursor } edges { node { code } }
  }
}
"""


async def codes(p: Platform, query: str, field: str, variables: dict[str, Any]) -> set[str]:
    data = (await ok(p, query, {"first": 100, **variables}))[field]
    return {edge["node"]["code"] for edge in data["edges"]}


async def test_search_without_azerbaijani_letters_across_languages(sample: Platform) -> None:
    found = {
        word: await codes(sample, SERVICES, "services", {"filter": {"search": word}})
        for word in ("seyyar", "gomruk", "dogum", "SURUCU", "Doğum")
    }
    assert found["seyyar"] == {"ASAN-002"}
    assert {"DGK-001", "DGK-002", "DGK-004"} <= found["gomruk"]
    assert found["dogum"] == found["Doğum"] == {"EDL-001", "EDL-005"}
    assert {"DIN-004", "DIN-005", "SN-001"} <= found["SURUCU"]
    # English and Russian names; codes without case
    assert "EDL-001" in await codes(sample, SERVICES, "services", {"filter": {"search": "birth"}})
    russian = await codes(sample, SERVICES, "services", {"filter": {"search": "РОЖДЕНИЯ"}})
    assert "EDL-001" in russian
    assert await codes(sample, SERVICES, "services", {"filter": {"search": "edl-001"}}) == {
        "EDL-001"
    }
    # edliyye -> Ədliyyə (the words, not the body's code EDLIYYE)
    assert await codes(sample, BODIES, "stateBodies", {"search": "edliyye nazirliyi"}) == {
        "EDLIYYE"
    }
    assert await codes(sample, BODIES, "stateBodies", {"search": "nothing-like-this"}) == set()
    # region filters fold case and letters, and still match the whole region only
    assert await codes(sample, CENTRES, "asanCentres", {"region": "GENCE"}) == {"GENCE"}
    assert await codes(sample, CENTRES, "asanCentres", {"region": "seki"}) == {"SEKI"}
    baku = await codes(sample, CENTRES, "asanCentres", {"region": "baki"})
    assert baku == {f"BAKI-{n}" for n in range(1, 7)}
    assert await codes(sample, CENTRES, "asanCentres", {"region": "bak"}) == set()


async def test_updated_since_returns_what_changed_after(sample: Platform) -> None:
    everything = await codes(sample, BODIES, "stateBodies", {})
    future = datetime(2999, 1, 1, tzinfo=UTC).isoformat()
    assert await codes(sample, BODIES, "stateBodies", {"since": future}) == set()
    assert await codes(sample, SERVICES, "services", {"since": future}) == set()
    mark = datetime.now(UTC)
    assert await codes(sample, BODIES, "stateBodies", {"since": mark.isoformat()}) == set()
    renamed = await run(
        sample,
        """mutation { updateStateBody(input: {code: "DGK", nameAz: "Dövlət Gömrük Komitəsi",
             nameEn: "State Customs Committee (renamed)", nameRu: ""})
             { userErrors { field message } } }""",
        principal=SYSTEM,
    )
    assert renamed.errors is None, renamed.errors
    assert renamed.data["updateStateBody"]["userErrors"] == []
    assert await codes(sample, BODIES, "stateBodies", {"since": mark.isoformat()}) == {"DGK"}
    assert len(everything) == 13


async def test_cursors_refuse_other_lists_filters_and_mixed_directions(sample: Platform) -> None:
    page = (await ok(sample, SERVICES, {"first": 5}))["services"]
    cursor = page["pageInfo"]["endCursor"]
    bodies = (await ok(sample, BODIES, {"first": 2}))["stateBodies"]["pageInfo"]["endCursor"]
    refused(await run(sample, SERVICES, {"first": 5, "after": bodies}), "after")
    refused(await run(sample, BODIES, {"first": 5, "after": cursor}), "after")
    refused(await run(sample, BODIES, {"last": 5, "before": cursor}), "before")
    filtered = {"first": 5, "after": cursor, "filter": {"search": "arayış"}}
    refused(await run(sample, SERVICES, filtered), "after")
    refused(await run(sample, SERVICES, {"first": 5, "last": 5}), "first")
    refused(await run(sample, SERVICES, {"last": 101}), "last")
    refused(await run(sample, SERVICES, {"first": 5, "after": "bm90IGEgY3Vyc29y"}), "after")
    # the cursor still works where it came from, and a page back from it ends where it began
    nxt = (await ok(sample, SERVICES, {"first": 5, "after": cursor}))["services"]
    back = await ok(sample, SERVICES, {"last": 5, "before": nxt["pageInfo"]["startCursor"]})
    assert back["services"]["edges"] == page["edges"]
    assert back["services"]["totalCount"] == page["totalCount"]


ORG_UNITS = """
query U($first: Int, $after: String, $last: Int, $before: String, $search: String) {
  orgUnits(first: $first, after: $after, last: $last, before: $before, search: $search) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { node { code nameAz } }
  }
}
"""

CLAUSES = """
query K($code: String!, $search: String, $first: Int, $after: String, $last: Int,
        $before: String) {
  orgUnit(code: $code) {
    clauses(search: $search, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { node { key text } }
    }
  }
}
"""


async def test_org_units_and_clauses_search_and_page_back(clean_platform: Platform) -> None:
    p = clean_platform
    await import_org(p)
    units = await all_forward(p, ORG_UNITS, "orgUnits", 7)
    assert inversions([u["nameAz"] for u in units]) == []
    assert await all_backward(p, ORG_UNITS, "orgUnits", 7) == units
    found = (await ok(p, ORG_UNITS, {"first": 50, "search": "HUQUQI TEMINAT"}))["orgUnits"]
    assert {e["node"]["nameAz"] for e in found["edges"]} >= {"Hüquqi təminat şöbəsi"}
    assert all("hüquqi" in e["node"]["nameAz"].lower() for e in found["edges"])
    # clauses of a unit: search folds letters; paging back gives the same clauses
    data = await ok(p, CLAUSES, {"code": "DEPT-IT", "first": 100})
    everything = data["orgUnit"]["clauses"]["edges"]
    word = "texnologiya"
    expected = [e for e in everything if word in e["node"]["text"].lower()]
    assert expected and len(expected) < len(everything)
    hits = await ok(p, CLAUSES, {"code": "DEPT-IT", "first": 100, "search": "TEXNOLOGIYA"})
    assert hits["orgUnit"]["clauses"]["edges"] == expected
    page = (await ok(p, CLAUSES, {"code": "DEPT-IT", "last": 3}))["orgUnit"]["clauses"]
    assert page["edges"] == everything[-3:] and page["pageInfo"]["hasPreviousPage"]
    other = await run(
        p, CLAUSES, {"code": "DEPT-LEGAL", "first": 3, "after": page["pageInfo"]["endCursor"]}
    )
    refused(other, "after")
