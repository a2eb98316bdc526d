"""Full-text search through GraphQL against the real app, Neo4j and MinIO (the EDMS test
world), on a hand-filled index in a temporary directory: typed hits whose ``node`` is the real
object read through its own policy, trimming of hits, totals and facets, opaque cursors, every
kind of bad input answered as a userError (never a 500, never a scan) and the "rebuilding"
state of a missing index."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.core.text import fold
from asan.search import sources
from asan.search.engine import MAX_QUERY_CHARS, PUBLIC, SearchDoc
from asan.search.index import SearchIndex
from asan.search.indexing.state import IndexStatus, write_status
from tests.edms.conftest import World, make_world
from tests.edms.support import REGISTER, letter
from tests.search.query_support import (
    MORE_LIKE,
    PROBE_MODULE,
    SEARCH,
    facet,
    ids,
    probe_token,
    search_of,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

FILLERS = 25
SUBJECT = "Səyyar xidmət avtobuslarının marşrutlarının dəyişdirilməsi haqqında"


@dataclass
class Indexed:
    world: World
    index_dir: Path
    it_doc: str  # a document of DEPT-IT, readable by its unit
    hr_doc: str  # a document of DEPT-HR


async def _register(world: World, subject: str, unit: str) -> dict[str, Any]:
    data = await world.gql("registrar", REGISTER, {"input": {"card": letter(subject, unit=unit)}})
    payload: dict[str, Any] = data["registerDocument"]
    assert payload["userErrors"] == [], payload["userErrors"]
    document: dict[str, Any] = payload["document"]
    return document


def _docs(it_doc: dict[str, Any], hr_doc: dict[str, Any]) -> list[SearchDoc]:
    everyone = frozenset({PUBLIC})
    docs = [
        SearchDoc(
            "org_unit",
            "DEPT-IT",
            "İT şöbəsi",
            "İnformasiya texnologiyaları və səyyar xidmətlərin proqram təminatı",
            acl=everyone,
            unit="DEPT-IT",
        ),
        SearchDoc(
            "state_body",
            "MIN-TAX",
            "Vergilər Nazirliyi",
            "Vergi uçotu və bəyannamələr",
            acl=everyone,
            state_body="MIN-TAX",
        ),
        SearchDoc(
            "document",
            it_doc["documentId"],
            f"{it_doc['regNumber']} {it_doc['subject']}",
            "Bakı şəhərində səyyar xidmət avtobuslarının yeni marşrut cədvəli",
            acl=frozenset({probe_token("DEPT-IT")}),
            unit="DEPT-IT",
            year=2026,
            status=it_doc["status"],
        ),
        SearchDoc(
            "document",
            hr_doc["documentId"],
            f"{hr_doc['regNumber']} {hr_doc['subject']}",
            "Səyyar xidmət əməkdaşlarının məzuniyyət cədvəli",
            acl=frozenset({probe_token("DEPT-HR")}),
            unit="DEPT-HR",
            year=2026,
            status=hr_doc["status"],
        ),
    ]
    docs += [
        SearchDoc(
            "clause",
            f"REG-TEST:1.{i}",
            f"Sınaq əsasnaməsi — 1.{i}",
            f"Növbə idarəetmə sistemində vətəndaşların qəbulu qaydası {i}",
            acl=everyone,
            unit="DEPT-HR",
            year=2013 + i % 3,
            status="in_force",
        )
        for i in range(FILLERS)
    ]
    return docs


@pytest.fixture(scope="module")
async def indexed(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Indexed]:
    world = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("search-keys"))
    # the EDMS world's hand-written units lack the folded name the org reads need
    units = await migrated_platform.db.read(
        "MATCH (u:OrgUnit) RETURN u.code AS code, u.nameAz AS name"
    )
    await migrated_platform.db.write(
        "UNWIND $units AS x MATCH (u:OrgUnit {code: x.code}) SET u.nameFold = x.fold",
        {"units": [{"code": u["code"], "fold": fold(u["name"])} for u in units]},
    )
    it_doc = await _register(world, SUBJECT, "DEPT-IT")
    hr_doc = await _register(world, "Səyyar xidmət əməkdaşlarının məzuniyyəti", "DEPT-HR")
    patch = pytest.MonkeyPatch()
    patch.setattr(sources, "SOURCE_MODULES", (*sources.SOURCE_MODULES, PROBE_MODULE))
    original = migrated_platform.search
    index_dir = tmp_path_factory.mktemp("search-index") / "search"
    migrated_platform.search = SearchIndex(index_dir)
    migrated_platform.search.writer().index(_docs(it_doc, hr_doc))
    yield Indexed(world, index_dir, it_doc["documentId"], hr_doc["documentId"])
    migrated_platform.search = original
    patch.undo()
    await world.client.aclose()


async def run(indexed: Indexed, who: str | None, q: str, **variables: Any) -> dict[str, Any]:
    return search_of(await indexed.world.gql(who, SEARCH, {"q": q, **variables}))


async def test_a_clerk_finds_their_units_document_typed_without_azerbaijani_letters(
    indexed: Indexed,
) -> None:
    found = await run(indexed, "head", "seyyar xidmet avtobuslari", f={"kinds": ["DOCUMENT"]})
    assert found["userErrors"] == []
    assert found["status"] == "READY"
    assert ids(found) == [indexed.it_doc]
    hit = found["edges"][0]["node"]
    assert hit["kind"] == "DOCUMENT" and hit["unit"] == "DEPT-IT" and hit["year"] == 2026
    assert hit["node"] == {
        "__typename": "Document",
        "documentId": indexed.it_doc,
        "subject": SUBJECT,
    }
    assert any("<mark>" in h for h in hit["highlights"])
    assert found["totalCount"] == 1 and facet(found, "unit") == {"DEPT-IT": 1}


async def test_another_units_user_sees_neither_hits_nor_totals_nor_facets(
    indexed: Indexed,
) -> None:
    found = await run(indexed, "outsider", "seyyar xidmet avtobuslari", f={"kinds": ["DOCUMENT"]})
    assert found["userErrors"] == [] and found["edges"] == []
    assert found["totalCount"] == 0
    assert all(found["facets"][name] == [] for name in found["facets"])
    # the outsider's own unit's document is there for them, the IT one still is not
    mine = await run(indexed, "outsider", "seyyar xidmet", f={"kinds": ["DOCUMENT"]})
    assert ids(mine) == [indexed.hr_doc]


async def test_anonymous_callers_search_public_kinds_only(indexed: Indexed) -> None:
    found = await run(indexed, None, "seyyar xidmet")
    assert found["userErrors"] == []
    assert {e["node"]["kind"] for e in found["edges"]} == {"ORG_UNIT"}
    assert facet(found, "kind") == {"org_unit": 1}
    unit = found["edges"][0]["node"]
    assert unit["node"] == {"__typename": "OrgUnit", "code": "DEPT-IT"}


async def test_facets_count_every_match_not_only_the_page(indexed: Indexed) -> None:
    found = await run(indexed, "outsider", "novbe idareetme", first=5)
    assert len(found["edges"]) == 5 and found["totalCount"] == FILLERS
    assert facet(found, "kind") == {"clause": FILLERS}
    assert facet(found, "unit") == {"DEPT-HR": FILLERS}
    assert facet(found, "year") == {"2013": 9, "2014": 8, "2015": 8}
    assert facet(found, "status") == {"in_force": FILLERS}
    # a filter narrows hits and facets alike
    narrowed = await run(indexed, "outsider", "novbe", f={"years": [2014]})
    assert narrowed["totalCount"] == 8 and facet(narrowed, "year") == {"2014": 8}
    # a hit whose object is not in the graph (an index ahead of a deletion) has a null node
    assert found["edges"][0]["node"]["node"] is None


async def test_newest_first_orders_by_year(indexed: Indexed) -> None:
    found = await run(indexed, None, "novbe", s="NEWEST", first=FILLERS)
    years = [e["node"]["year"] for e in found["edges"]]
    assert years == sorted(years, reverse=True) and years[0] == 2015 and years[-1] == 2013


async def test_state_bodies_resolve_to_their_node(indexed: Indexed) -> None:
    found = await run(indexed, None, "vergi", f={"kinds": ["STATE_BODY"], "bodies": ["MIN-TAX"]})
    assert [e["node"]["node"] for e in found["edges"]] == [
        {"__typename": "StateBody", "code": "MIN-TAX"}
    ]
    assert facet(found, "body") == {"MIN-TAX": 1}


async def test_pages_follow_each_other_and_cursors_belong_to_their_query(
    indexed: Indexed,
) -> None:
    seen: list[str] = []
    after = None
    for _ in range(3):
        page = await run(indexed, None, "novbe", first=10, after=after, s="TITLE")
        assert page["userErrors"] == [] and page["totalCount"] == FILLERS
        seen += ids(page)
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
    assert len(seen) == FILLERS and len(set(seen)) == FILLERS
    assert page["pageInfo"]["hasPreviousPage"] is True
    first = await run(indexed, None, "novbe", first=10, s="TITLE")
    cursor = first["pageInfo"]["endCursor"]
    for changed in ({"q": "qebul"}, {"s": "RELEVANCE"}, {"f": {"years": [2013]}}):
        variables: dict[str, Any] = {"q": "novbe", "first": 10, "after": cursor, "s": "TITLE"}
        variables.update(changed)
        other = search_of(await indexed.world.gql(None, SEARCH, variables))
        assert [(e["field"], e["code"]) for e in other["userErrors"]] == [
            ("after", "BAD_USER_INPUT")
        ], changed
        assert other["edges"] == []
    broken = await run(indexed, None, "novbe", after="not-a-cursor")
    assert [e["field"] for e in broken["userErrors"]] == ["after"]


async def test_first_is_bounded(indexed: Indexed) -> None:
    for first in (101, -1):
        found = await run(indexed, None, "novbe", first=first)
        assert [(e["field"], e["code"]) for e in found["userErrors"]] == [
            ("first", "BAD_USER_INPUT")
        ]
    assert len((await run(indexed, None, "novbe", first=100))["edges"]) == FILLERS


NO_TERMS = [
    pytest.param("", id="empty"),
    pytest.param("   \t  ", id="whitespace"),
    pytest.param("və ilə üçün", id="only-stop-words"),
    pytest.param("((( ]]] :: ~~ && ||", id="syntax-punctuation"),
    pytest.param("*", id="wildcard"),
    pytest.param("** * ?*", id="wildcards"),
    pytest.param("a*", id="too-short-prefix"),
]


@pytest.mark.parametrize("text", NO_TERMS)
async def test_nothing_to_search_for_is_an_empty_result_with_its_reason(
    indexed: Indexed, text: str
) -> None:
    found = await run(indexed, "admin", text)
    assert found["edges"] == [] and found["totalCount"] == 0
    assert found["emptyReason"] == "NO_TERMS"
    assert [(e["field"], e["code"]) for e in found["userErrors"]] == [("query", "SEARCH_NO_TERMS")]
    assert " / " in found["userErrors"][0]["message"]  # Azerbaijani / English


REFUSED = [
    pytest.param("x" * 10_240, id="10KB"),
    pytest.param("seyyar " * 30, id="too-many-words"),
    pytest.param("seyyar\u202exidmet", id="bidi-control"),
    pytest.param("seyyar\u200bxidmet", id="zero-width"),
]


@pytest.mark.parametrize("text", REFUSED)
async def test_text_no_search_should_run_is_a_user_error_on_query(
    indexed: Indexed, text: str
) -> None:
    found = await run(indexed, None, text)
    assert found["edges"] == [] and found["totalCount"] == 0
    errors = found["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [("query", "BAD_USER_INPUT")]
    assert " / " in errors[0]["message"]


async def test_the_length_limit_is_named_in_the_message(indexed: Indexed) -> None:
    found = await run(indexed, None, "x" * (MAX_QUERY_CHARS + 1))
    assert str(MAX_QUERY_CHARS) in found["userErrors"][0]["message"]


async def test_c0_control_characters_are_refused_at_the_edge_naming_the_argument(
    indexed: Indexed,
) -> None:
    body = await indexed.world.post(None, SEARCH, {"q": "seyyar\x01xidmet"})
    assert body["data"] is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "$q"


async def test_unbalanced_quotes_search_the_words(indexed: Indexed) -> None:
    quoted = await run(indexed, "head", '"seyyar xidmet', f={"kinds": ["DOCUMENT"]})
    plain = await run(indexed, "head", "seyyar xidmet", f={"kinds": ["DOCUMENT"]})
    assert quoted["userErrors"] == [] and ids(quoted) == ids(plain) == [indexed.it_doc]
    phrase = await run(indexed, "head", '"avtobuslarinin marsrutlarinin"')
    assert ids(phrase) == [indexed.it_doc]
    wrong_order = await run(indexed, "head", '"marsrutlarinin avtobuslarinin"')
    assert wrong_order["totalCount"] == 0 and wrong_order["userErrors"] == []


async def test_filter_values_are_bounded(indexed: Indexed) -> None:
    found = await run(indexed, None, "novbe", f={"units": [f"U{i}" for i in range(21)]})
    assert [e["field"] for e in found["userErrors"]] == ["filter.units"]
    found = await run(indexed, None, "novbe", f={"years": [1200]})
    assert [e["field"] for e in found["userErrors"]] == ["filter.years"]


async def test_a_listing_by_filter_needs_no_words(indexed: Indexed) -> None:
    found = await run(indexed, None, "", f={"kinds": ["CLAUSE"]}, first=3)
    assert found["userErrors"] == [] and found["totalCount"] == FILLERS
    titles = [e["node"]["title"] for e in found["edges"]]
    assert titles == sorted(titles)  # no words to rank by: by title


async def test_more_like_this_is_trimmed_like_search(indexed: Indexed) -> None:
    world = indexed.world
    similar = (await world.gql(None, MORE_LIKE, {"k": "CLAUSE", "id": "REG-TEST:1.3"}))[
        "moreLikeThis"
    ]
    found = [e["node"]["id"] for e in similar["edges"]]
    assert found and "REG-TEST:1.3" not in found
    assert all(i.startswith("REG-TEST:") for i in found)
    first = (await world.gql(None, MORE_LIKE, {"k": "CLAUSE", "id": "REG-TEST:1.3", "first": 4}))[
        "moreLikeThis"
    ]
    assert first["pageInfo"]["hasNextPage"] is True
    variables = {"k": "CLAUSE", "id": "REG-TEST:1.3", "first": 4}
    second = (
        await world.gql(None, MORE_LIKE, {**variables, "after": first["pageInfo"]["endCursor"]})
    )["moreLikeThis"]
    paged = [e["node"]["id"] for e in first["edges"] + second["edges"]]
    assert paged == found[:8]
    foreign = (
        await world.gql(
            None,
            MORE_LIKE,
            {**variables, "id": "REG-TEST:1.4", "after": first["pageInfo"]["endCursor"]},
        )
    )["moreLikeThis"]
    assert [e["field"] for e in foreign["userErrors"]] == ["after"]
    hidden = (await world.gql("outsider", MORE_LIKE, {"k": "DOCUMENT", "id": indexed.it_doc}))[
        "moreLikeThis"
    ]
    assert hidden["edges"] == [] and hidden["totalCount"] == 0
    bad = (await world.gql(None, MORE_LIKE, {"k": "CLAUSE", "id": " ", "first": 500}))[
        "moreLikeThis"
    ]
    assert {e["field"] for e in bad["userErrors"]} == {"id", "first"}


async def test_an_old_index_answers_during_a_rebuild_with_its_progress(
    indexed: Indexed,
) -> None:
    write_status(indexed.index_dir, IndexStatus.REBUILDING, done=42, reason="requested")
    try:
        found = await run(indexed, None, "novbe", first=1)
    finally:
        write_status(indexed.index_dir, IndexStatus.READY)
    assert found["status"] == "REBUILDING" and found["rebuildProgress"] == 42
    assert found["userErrors"] == [] and found["totalCount"] == FILLERS


async def test_a_missing_index_answers_rebuilding_not_an_error(
    indexed: Indexed, tmp_path: Path
) -> None:
    platform = indexed.world.platform
    serving = platform.search
    platform.search = SearchIndex(tmp_path / "search")  # nothing built there yet
    try:
        found = await run(indexed, "head", "seyyar xidmet")
        similar = (await indexed.world.gql(None, MORE_LIKE, {"k": "CLAUSE", "id": "x"}))[
            "moreLikeThis"
        ]
    finally:
        platform.search = serving
    assert found["status"] == "REBUILDING"
    assert found["edges"] == [] and found["totalCount"] == 0
    assert [(e["code"], e["message"]) for e in found["userErrors"]] == [
        ("SEARCH_REBUILDING", "axtarış yenidən qurulur / search is being rebuilt")
    ]
    assert similar["status"] == "REBUILDING"
    assert [e["code"] for e in similar["userErrors"]] == ["SEARCH_REBUILDING"]
