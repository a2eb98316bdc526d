"""Archive cases in the search index, trimmed by the archive's own read rule.

Real Neo4j (cases built through the archive's use cases), a Whoosh index of the test's own.
The token a case carries is checked against the policy (``archive.read``) for every
principal of the EDMS world and more (anonymous, the system, service accounts with and
without the archive scope) and every case: the search finds a case iff the policy lets the
principal read it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from asan.archive.cases.searching import SOURCES
from asan.archive.cases.use_cases import change_status
from asan.archive.nomenclature.policy import READ
from asan.auth.policy import Resource, can
from asan.auth.principal import ANONYMOUS, SYSTEM, Principal
from asan.core.changelog import ChangeEvent, head_seq
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.search.engine import SearchQuery
from asan.search.sources import access_of
from asan.search.whoosh_engine import WhooshEngine
from tests.archive.support import BuiltCase, build_case
from tests.edms.conftest import World, make_world
from tests.search.edms_source_support import all_hits, follow, index_all

SOURCE = SOURCES[0]


@pytest.fixture(scope="module")
async def world(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    built = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("case-keys"))
    yield built
    await built.client.aclose()


@pytest.fixture(scope="module")
async def cases(world: World) -> dict[str, BuiltCase]:
    """Cases of two years and two units, open, closed and in the unit's archive."""
    return {
        "it-letters": await build_case(
            world, year=2023, number=1, documents=1, title="Daxil olan məktublar"
        ),
        "it-orders": await build_case(
            world, year=2024, number=2, documents=0, title="Əmrlərin surətləri", to="closed"
        ),
        "hr-files": await build_case(
            world,
            year=2024,
            number=3,
            unit="DEPT-HR",
            documents=0,
            permanent=True,
            title="İşçilərin şəxsi işləri",
            to="open",
        ),
    }


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[WhooshEngine]:
    found = WhooshEngine(tmp_path / "index", create=True)
    yield found
    found.close()


def principals(w: World) -> dict[str, Principal]:
    found = {who: w.principal(who) for who in w.users}
    found.update(
        {
            "anonymous": ANONYMOUS,
            "system": SYSTEM,
            "service-archive": Principal("c1", "service", scopes=frozenset({"archive"})),
            "service-read": Principal("c2", "service", scopes=frozenset({READ})),
            "service-registry": Principal("c3", "service", scopes=frozenset({"registry"})),
            "service-none": Principal("c4", "service", roles=frozenset({"registrar"})),
        }
    )
    return found


async def test_tokens_agree_with_the_archive_read_rule(
    world: World, cases: dict[str, BuiltCase], engine: WhooshEngine
) -> None:
    w = world
    assert await index_all(w.platform, engine, SOURCE) == len(cases)
    rows = await w.platform.db.read(
        "MATCH (c:Case) RETURN c.id AS id, c.unit AS unit, c.status AS status, c.year AS year"
    )
    allowed_some = denied_some = False
    for who, principal in principals(w).items():
        results, ids = all_hits(
            engine,
            SearchQuery(text="", access=access_of(principal, SOURCES), kinds=frozenset({"case"})),
        )
        by_rule = {
            r["id"]
            for r in rows
            if can(
                principal, READ, Resource("Case", r["id"], org_unit=r["unit"], status=r["status"])
            )
        }
        assert ids == by_rule, who
        assert results.total == len(by_rule), who
        units = {r["unit"] for r in rows if r["id"] in by_rule}
        assert set(results.facets["unit"]) == units, who
        allowed_some |= bool(by_rule)
        denied_some |= not by_rule
    assert allowed_some and denied_some


async def test_a_case_is_found_by_its_title_typed_without_letters(
    world: World, cases: dict[str, BuiltCase], engine: WhooshEngine
) -> None:
    w = world
    await index_all(w.platform, engine, SOURCE)

    def search(principal: Principal, text: str) -> tuple[int, list[str], dict[str, dict[str, int]]]:
        found = engine.query(SearchQuery(text=text, access=access_of(principal, SOURCES)))
        return (
            found.total,
            [h.id for h in found.hits],
            {k: dict(v) for k, v in found.facets.items()},
        )

    total, ids, facets = search(w.principal("outsider"), "daxil olan mektublar")
    assert ids == [cases["it-letters"].case_id]
    assert facets["unit"] == {"DEPT-IT": 1} and facets["year"] == {"2023": 1}
    assert facets["status"] == {"unit_archive": 1}
    hit = engine.query(
        SearchQuery(text="iscilerin sexsi", access=access_of(w.principal("executor1"), SOURCES))
    ).hits
    assert [(h.id, h.title) for h in hit] == [
        (cases["hr-files"].case_id, "DEPT-HR-03 İşçilərin şəxsi işləri")
    ]
    # the heading it stands under: the unit's name
    assert search(w.principal("auditor"), "kadrlar")[1] == [cases["hr-files"].case_id]
    for nobody in (ANONYMOUS, Principal("c3", "service", scopes=frozenset({"registry"}))):
        total, ids, facets = search(nobody, "daxil olan mektublar")
        assert (total, ids) == (0, [])
        assert all(not counts for counts in facets.values())


async def test_changes_reach_the_index_through_the_change_log(
    world: World, cases: dict[str, BuiltCase], engine: WhooshEngine
) -> None:
    w = world
    await index_all(w.platform, engine, SOURCE)
    start = await head_seq(w.platform.db)
    orders = cases["it-orders"].case_id
    await change_status(w.platform, w.principal("archivist"), orders, "unit_archive")
    await follow(w.platform, engine, SOURCES, start)
    found = engine.query(
        SearchQuery(text="emrlerin suretleri", access=access_of(w.principal("head"), SOURCES))
    )
    assert [(h.id, h.status) for h in found.hits] == [(orders, "unit_archive")]

    def event(kind: str, entity: str, *fields: str) -> ChangeEvent:
        return ChangeEvent(0, datetime.now(UTC), kind, entity, "updated", fields, "t", "t", None)

    hr = {cases["hr-files"].case_id}
    assert await SOURCE.affected(w.platform, [event("OrgUnit", "DEPT-HR", "nameAz")]) == hr
    assert await SOURCE.affected(w.platform, [event("OrgUnit", "DEPT-HR", "kind")]) == set()
    assert await SOURCE.affected(w.platform, [event("Case", "X-1")]) == {"X-1"}
