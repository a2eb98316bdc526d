"""``suggestCompetentUnit`` through GraphQL on the regulations imported into a real Neo4j:
the same ranking as the suggester itself, public to anonymous callers, bad input refused
naming the argument, and the per-process suggester rebuilt when the change log reports
changed clauses."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from asan.auth.principal import ANONYMOUS
from asan.core.platform import Platform
from asan.graphql.context import Context
from asan.graphql.schema import schema
from asan.registry.org import service as org
from asan.search.querying import CACHE
from asan.search.querying import suggesting as suggesting_module
from asan.search.querying.settings import SearchQuerySettings
from asan.search.querying.suggesting import MAX_TEXT_CHARS
from tests.conftest import reset_graph
from tests.registry.org_support import SOURCE, import_org
from tests.search.appeals import load

pytestmark = pytest.mark.asyncio(loop_scope="session")

SUGGEST = """
query($text: String!, $first: Int) {
  suggestCompetentUnit(text: $text, first: $first) {
    code name score clauses { key number snippet score } unit { code kind }
  }
}"""
APPEALS = load()[:6]
NEW_WORD = "zümrüdvari"


@pytest.fixture(scope="module")
async def regulations(migrated_platform: Platform) -> AsyncIterator[Platform]:
    await reset_graph(migrated_platform)
    await import_org(migrated_platform)
    CACHE.forget()
    patch = pytest.MonkeyPatch()  # ask the change log on every suggestion, not every 30 s
    patch.setattr(
        suggesting_module, "query_settings", lambda: SearchQuerySettings(suggest_check_seconds=0)
    )
    yield migrated_platform
    patch.undo()
    CACHE.forget()


async def run(p: Platform, text: str, first: int | None = None) -> Any:
    variables: dict[str, Any] = {"text": text}
    if first is not None:
        variables["first"] = first
    return await schema.execute(
        SUGGEST, variable_values=variables, context_value=Context(platform=p, principal=ANONYMOUS)
    )


async def suggestions(p: Platform, text: str, first: int | None = None) -> list[dict[str, Any]]:
    result = await run(p, text, first)
    assert result.errors is None, result.errors
    found: list[dict[str, Any]] = result.data["suggestCompetentUnit"]
    return found


@pytest.mark.parametrize("appeal", APPEALS, ids=[a.id for a in APPEALS])
async def test_anonymous_callers_get_the_suggesters_ranking_with_its_clauses(
    regulations: Platform, appeal: Any
) -> None:
    direct = (await CACHE.get(regulations)).suggest_units(appeal.plain, limit=3)
    found = await suggestions(regulations, appeal.plain)
    assert [s["code"] for s in found] == [s.unit_code for s in direct]
    assert [[c["key"] for c in s["clauses"]] for s in found] == [
        [c.key for c in s.clauses] for s in direct
    ]
    assert all(s["unit"]["code"] == s["code"] for s in found)
    assert all(c["key"].endswith(":" + c["number"]) for s in found for c in s["clauses"])
    assert set(appeal.units) & {s["code"] for s in found}, appeal.id  # a labelled unit in 3


async def test_first_bounds_the_list_and_empty_text_suggests_nothing(
    regulations: Platform,
) -> None:
    text = APPEALS[0].text
    assert len(await suggestions(regulations, text, 1)) == 1
    assert len(await suggestions(regulations, text, 10)) == 10
    assert await suggestions(regulations, "   ") == []
    assert await suggestions(regulations, "və ilə") == []


@pytest.mark.parametrize(
    ("text", "first", "field"),
    [
        ("x" * (MAX_TEXT_CHARS + 1), 3, "text"),
        ("səyyar\u202exidmət", 3, "text"),
        ("səyyar xidmət", 0, "first"),
        ("səyyar xidmət", 11, "first"),
    ],
    ids=["too-long", "bidi", "first-0", "first-11"],
)
async def test_bad_input_is_refused_naming_the_argument(
    regulations: Platform, text: str, first: int, field: str
) -> None:
    result = await run(regulations, text, first)
    assert result.data is None
    error = result.errors[0]
    assert error.extensions == {"code": "BAD_USER_INPUT", "field": field}
    assert " / " in error.message


async def test_the_suggester_is_rebuilt_when_the_change_log_reports_changed_clauses(
    regulations: Platform,
) -> None:
    built = await CACHE.get(regulations)
    assert await CACHE.get(regulations) is built  # nothing changed: the same one
    assert await suggestions(regulations, NEW_WORD) == []
    text = SOURCE.read_text(encoding="utf-8")
    clause = next(line for line in text.splitlines() if "səyyar avtobuslar vasitəsilə" in line)
    assert "səyyar avtobuslar" in clause  # a clause of one unit only (the mobile services')
    changed = text.replace(clause, f"{clause[:-1]} və {NEW_WORD} marşrutları.", 1)
    await org.import_text(regulations, changed)  # reports Clause events in the change log
    try:
        rebuilt = await CACHE.get(regulations)
        assert rebuilt is not built
        found = await suggestions(regulations, NEW_WORD)
        assert found and NEW_WORD in found[0]["clauses"][0]["snippet"]
    finally:
        await org.import_text(regulations, text)
