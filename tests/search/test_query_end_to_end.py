"""Issue 12's "done when", end to end: documents registered through GraphQL, the index built
by the real search sources from Neo4j (``load`` of every id, as a rebuild does), and a clerk
finding their unit's document by a phrase typed without Azerbaijani letters through the
``search`` query, while a user of another unit finds nothing (no hit, no total, no facet)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.search.index import SearchIndex
from asan.search.sources import all_sources
from tests.edms.conftest import World, make_world
from tests.edms.support import REGISTER, letter
from tests.search.query_support import SEARCH, facet, ids, search_of

pytestmark = pytest.mark.asyncio(loop_scope="session")

SUBJECT = "Səyyar xidmət avtobuslarının Şəmkir rayonuna göndərilməsi haqqında"
PHRASE = '"seyyar xidmet avtobuslarinin"'  # typed without ə, ı


@pytest.fixture(scope="module")
async def world(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[World, str]]:
    world = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("e2e-keys"))
    data = await world.gql("registrar", REGISTER, {"input": {"card": letter(SUBJECT)}})
    payload: dict[str, Any] = data["registerDocument"]
    assert payload["userErrors"] == []
    other = letter("Səyyar xidmət avtobuslarının təmiri", unit="DEPT-HR")
    assert (await world.gql("registrar", REGISTER, {"input": {"card": other}}))["registerDocument"][
        "userErrors"
    ] == []
    original = migrated_platform.search
    migrated_platform.search = SearchIndex(tmp_path_factory.mktemp("e2e-index") / "search")
    docs = []
    for source in all_sources():
        docs += await source.load(migrated_platform, await source.all_ids(migrated_platform))
    migrated_platform.search.writer().rebuild(docs)
    yield world, payload["document"]["documentId"]
    migrated_platform.search = original
    await world.client.aclose()


async def test_a_clerk_finds_the_document_by_a_phrase_typed_without_the_letters(
    world: tuple[World, str],
) -> None:
    w, document_id = world
    found = search_of(await w.gql("head", SEARCH, {"q": PHRASE}))
    assert found["userErrors"] == [] and found["status"] == "READY"
    assert ids(found) == [document_id]
    node = found["edges"][0]["node"]
    assert node["kind"] == "DOCUMENT" and node["unit"] == "DEPT-IT"
    assert node["node"] == {"__typename": "Document", "documentId": document_id, "subject": SUBJECT}
    assert facet(found, "kind") == {"document": 1}


async def test_a_user_of_another_unit_does_not(world: tuple[World, str]) -> None:
    w, _ = world
    found = search_of(await w.gql("outsider", SEARCH, {"q": PHRASE}))
    # only their own unit's document matches for them, and the total counts only it
    assert [e["node"]["unit"] for e in found["edges"]] == ["DEPT-HR"]
    assert found["totalCount"] == 1 and facet(found, "unit") == {"DEPT-HR": 1}
    it_only = search_of(await w.gql("outsider", SEARCH, {"q": PHRASE, "f": {"units": ["DEPT-IT"]}}))
    assert it_only["totalCount"] == 0 and it_only["edges"] == []
    assert all(it_only["facets"][name] == [] for name in it_only["facets"])
    anonymous = search_of(await w.gql(None, SEARCH, {"q": PHRASE}))
    assert anonymous["totalCount"] == 0
