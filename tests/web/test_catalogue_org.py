"""The structure pages and the competent-unit helper against the regulations imported into a
real Neo4j: the tree, a unit's clauses, and the helper showing what the suggester ranks."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from html import unescape

import httpx
import pytest

from asan.app import create_app
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.registry.org import service as org
from asan.search.querying import CACHE
from tests.conftest import reset_graph
from tests.registry.org_support import import_org
from tests.search.appeals import load


@pytest.fixture(scope="module")
async def client(
    settings: Settings, migrated_platform: Platform
) -> AsyncIterator[httpx.AsyncClient]:
    await reset_graph(migrated_platform)
    await import_org(migrated_platform)
    CACHE.forget()
    app = create_app(settings, migrated_platform)
    app.state.platform = migrated_platform
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://asan.test") as c:
        yield c
    CACHE.forget()


def listed(html: str) -> list[str]:
    return re.findall(r'<li data-code="([^"]+)"', html)


async def test_structure_tree_and_a_units_clauses(
    client: httpx.AsyncClient, migrated_platform: Platform
) -> None:
    regulations = await org.all_regulations(migrated_platform)
    assert regulations
    answer = await client.get("/az/org")
    assert answer.status_code == 200
    codes = listed(answer.text)
    assert {r.unit_code for r in regulations} <= set(codes)
    regulation = regulations[0]
    (page,) = await org.clauses_of_regulations(
        migrated_platform, [org.ClausePageRequest(regulation.code, None, None, 2000)]
    )
    unit = await client.get(f"/en/org/{regulation.unit_code}")
    assert unit.status_code == 200
    text = unescape(unit.text)
    assert "Regulation" in text and "published in Azerbaijani only" in text
    assert regulation.title in text
    for clause in page.clauses:
        assert f"<strong>{clause.number}.</strong> {clause.text}" in text
    missing = await client.get("/ru/org/NO-SUCH-UNIT")
    assert missing.status_code == 404 and "Страница не найдена" in missing.text


async def test_helper_shows_the_suggesters_units_and_clauses(
    client: httpx.AsyncClient, migrated_platform: Platform
) -> None:
    appeal = load()[0]
    expected = (await CACHE.get(migrated_platform)).suggest_units(appeal.plain, limit=3)
    assert expected
    answer = await client.get("/en/helper", params={"text": appeal.plain})
    assert answer.status_code == 200
    assert listed(answer.text) == [s.unit_code for s in expected]
    page = unescape(answer.text)
    for suggestion in expected:
        for clause in suggestion.clauses:
            assert f"<strong>{clause.number}.</strong> {clause.snippet}" in page
    empty = await client.get("/az/helper")
    assert empty.status_code == 200 and "Səlahiyyətli bölmələr" not in unescape(empty.text)


async def test_helper_bad_input_gives_a_message(client: httpx.AsyncClient) -> None:
    long = await client.get("/en/helper", params={"text": "söz " * 2600})
    assert long.status_code == 200 and "The text is too long" in long.text
    assert 'aria-invalid="true"' in long.text
    bidi = await client.get("/ru/helper", params={"text": "səyyar\u202exidmət"})
    assert bidi.status_code == 200 and "недопустимые символы" in bidi.text
    assert "Компетентные подразделения" not in bidi.text
