"""Competent-unit suggestion on the regulations imported into a real Neo4j, judged on the
labelled sample appeals (tests/search/appeals/appeals.yaml)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest

from asan.core.platform import Platform
from asan.core.text import search_fold
from asan.search.suggest import UnitSuggester, load_suggester
from asan.search.suggest.analyzers import FIELD_SETS, field_set, prefix_analyzer
from asan.search.suggest.baseline import BaselineRanker
from asan.search.suggest.corpus import load_corpus
from asan.search.suggest.evaluation import Labelled, evaluate
from asan.search.suggest.models import CANDIDATE_KINDS, Corpus
from asan.search.suggest.ranking import family, query_terms
from asan.search.suggest.scoring import ClauseIndex, Doc
from asan.search.suggest.synonyms import expansion, wordings
from tests.conftest import reset_graph
from tests.registry.org_support import import_org
from tests.search.appeals import AZERBAIJANI_LETTERS, Appeal, load

APPEALS = load()


@dataclass
class World:
    corpus: Corpus
    suggester: UnitSuggester
    clause_units: dict[str, str]  # clause key -> the unit it CONCERNS, as Neo4j holds it


@pytest.fixture(scope="module")
async def world(migrated_platform: Platform) -> AsyncIterator[World]:
    p = migrated_platform
    await reset_graph(p)
    await import_org(p)
    corpus = await load_corpus(p.db)
    rows = await p.db.read(
        "MATCH (c:Clause)-[:CONCERNS]->(u:OrgUnit) RETURN c.key AS key, u.code AS unit"
    )
    suggester = await load_suggester(p)
    yield World(corpus, suggester, {r["key"]: r["unit"] for r in rows})
    suggester.close()


def written(appeals: list[Appeal]) -> list[Labelled]:
    return [Labelled(a.id, a.text, a.units) for a in appeals]


def plain(appeals: list[Appeal]) -> list[Labelled]:
    return [Labelled(a.id, a.plain, a.units) for a in appeals]


def test_the_labelled_set_is_large_enough_and_half_of_it_typed_without_letters() -> None:
    assert len(APPEALS) >= 60
    assert len({a.id for a in APPEALS}) == len(APPEALS)
    for appeal in APPEALS:
        assert AZERBAIJANI_LETTERS & set(appeal.text), appeal.id  # written with the letters
        assert not AZERBAIJANI_LETTERS & set(appeal.plain), appeal.id
        assert appeal.units and appeal.clauses, appeal.id


async def test_labels_name_real_units_and_the_clauses_that_make_them_competent(
    world: World,
) -> None:
    """Every label is a candidate unit in the imported graph, and every cited clause exists
    and concerns one of the appeal's labelled units (labels are derived from the text)."""
    candidates = {u.code for u in world.corpus.units}
    assert {u.kind for u in world.corpus.units} == set(CANDIDATE_KINDS)
    for appeal in APPEALS:
        assert set(appeal.units) <= candidates, appeal.id
        for key in appeal.clauses:
            assert key in world.clause_units, (appeal.id, key)
            assert world.clause_units[key] in appeal.units, (appeal.id, key)


async def test_suggestions_name_units_with_the_clauses_that_matched(world: World) -> None:
    text = "Anam əlildir, mərkəzə gələ bilmir. Səyyar xidmət evə gələ bilər? pulsuzdur?"
    suggestions = world.suggester.suggest_units(text, limit=3)
    assert 1 <= len(suggestions) <= 3
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)
    assert suggestions[0].unit_code == "DEPT-MOBILE"
    assert suggestions[0].name == "Səyyar xidmətlərin təşkili şöbəsi"
    clauses = {c.key: c for c in world.corpus.clauses}
    asked = {t for spec in world.suggester.fields for t in query_terms(spec.analyzer, text)}
    for suggestion in suggestions:
        assert suggestion.clauses
        for match in suggestion.clauses:
            clause = clauses[match.key]
            assert clause.unit_code == suggestion.unit_code
            assert clause.number == match.number
            assert match.snippet.rstrip(" …") in clause.text
            terms = {t.text for spec in world.suggester.fields for t in spec.analyzer(clause.text)}
            assert terms & asked, match  # the clause holds words of the appeal


async def test_typed_without_letters_suggests_what_written_with_them_does(world: World) -> None:
    text = "Səyyar avtobus bizim kəndə nə vaxt gələcək, hansı xidmətlər göstəriləcək?"
    typed = "Seyyar avtobus bizim kende ne vaxt gelecek, hansi xidmetler gosterilecek?"
    with_letters = world.suggester.suggest_units(text)
    without = world.suggester.suggest_units(typed)
    assert [s.unit_code for s in without] == [s.unit_code for s in with_letters]
    assert with_letters[0].unit_code in {"DEPT-MOBILE", "CENTRE-SEC-3"}


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t", "və ilə üçün bu", "!!! ??? ...", '"""((', "\x00\x07\x1b", "*"],
    ids=["empty", "whitespace", "stop-words", "punctuation", "syntax", "control", "wildcard"],
)
async def test_bad_input_gives_no_suggestion(world: World, text: str) -> None:
    assert world.suggester.suggest_units(text) == []


async def test_a_huge_appeal_is_bounded_and_limit_is_respected(world: World) -> None:
    huge = "mərkəzdə işçi kobud davranır " * 400  # ~12 KB
    assert len(world.suggester.suggest_units(huge, limit=2)) == 2
    assert world.suggester.suggest_units("səyyar avtobus", limit=0) == []


async def test_the_method_beats_the_baseline_as_written_and_without_letters(
    world: World,
) -> None:
    """Measured, not asserted to a target: the clause method against plain Whoosh BM25 with
    StandardAnalyzer over whole regulations, on both forms of the labelled appeals."""
    baseline = BaselineRanker(world.corpus, "regulation")

    def method(text: str) -> list[str]:
        return [s.unit_code for s in world.suggester.suggest_units(text)]

    try:
        for appeals in (written(APPEALS), plain(APPEALS)):
            ours = evaluate(method, appeals)
            theirs = evaluate(baseline.rank, appeals)
            assert ours.p1 > theirs.p1, (ours.row(), theirs.row())
            assert ours.p3 >= theirs.p3, (ours.row(), theirs.row())
    finally:
        baseline.close()


@pytest.mark.parametrize("fields", FIELD_SETS)
async def test_every_field_set_ranks_units_with_their_clauses(world: World, fields: str) -> None:
    """S1's analyzer (``azerbaijani``, ``hybrid``) and the stand-ins plug into the same ranking."""
    suggester = UnitSuggester(world.corpus, field_set(fields), aggregate="max", skip_common=False)
    try:
        suggestions = suggester.suggest_units("Səyyar avtobus kəndimizə nə vaxt gələcək?")
    finally:
        suggester.close()
    assert {"DEPT-MOBILE", "CENTRE-SEC-3"} & {s.unit_code for s in suggestions}
    assert all(s.clauses for s in suggestions)


def ranks(suggester: UnitSuggester) -> Callable[[str], list[str]]:
    return lambda text: [s.unit_code for s in suggester.suggest_units(text)]


async def test_the_default_method_reaches_the_issue_target_and_beats_the_previous_one(
    world: World,
) -> None:
    """The issue's target (precision at 1 of at least 0.85, as written and typed without the
    letters), measured on the labelled set; and no worse than the plain clause method
    (5-letter prefixes, two best clauses, no background, no word list) at 1 and at 3."""
    previous = UnitSuggester(world.corpus, field_set("prefix"), aggregate="top2")
    for appeals in (written(APPEALS), plain(APPEALS)):
        ours = evaluate(ranks(world.suggester), appeals)
        theirs = evaluate(ranks(previous), appeals)
        assert ours.p1 >= 0.85, (ours.row(), [m.id for m in ours.misses])
        assert ours.p1 >= theirs.p1 and ours.p3 >= theirs.p3, (ours.row(), theirs.row())


async def test_backgrounds_are_relative_to_the_mean_unit_and_tell_units_apart(
    world: World,
) -> None:
    background = world.suggester.background
    indexed = {c.unit_code for c in world.suggester.clauses.values()}
    assert set(background) == indexed
    assert sum(background.values()) / len(background) == pytest.approx(1.0)
    assert min(background.values()) > 0
    assert max(background.values()) > 1.1 * min(background.values())


async def test_a_unit_is_not_weighed_against_its_own_family(world: World) -> None:
    related = family(world.corpus.units)
    sectors = [u for u in world.corpus.units if u.kind == "sector"]
    sector = sectors[0]
    assert sector.parent_code is not None
    sibling = next(u for u in sectors if u.parent_code == sector.parent_code and u != sector)
    stranger = next(u for u in sectors if u.parent_code != sector.parent_code)
    assert related(sector.code, sector.parent_code) and related(sector.parent_code, sector.code)
    assert related(sector.code, sibling.code)
    assert not related(sector.code, stranger.code)
    departments = [u for u in world.corpus.units if u.kind == "department"]
    assert not related(departments[0].code, departments[1].code)  # both under the Aparat


async def test_the_word_list_expands_to_wording_the_regulations_use(world: World) -> None:
    """Every word the list adds begins a word of some imported clause (so it can match and
    stays the regulations' own wording)."""
    words = {w for c in world.corpus.clauses for w in search_fold(c.text).split()}
    words = {w.strip("«»“”\"'(),.;:") for w in words}
    for wording in wordings():
        for word in search_fold(wording).split():
            assert any(w.startswith(word) for w in words), (wording, word)


def test_everyday_words_expand_as_written_and_without_letters() -> None:
    assert "internet resursları" in expansion("asan.gov.az saytı açılmır")
    assert expansion("Qışqırdı, kobud idi") == expansion("Qisqirdi, kobud idi")
    assert "etik davranış" in expansion("Qisqirdi")
    assert expansion("spravka lazimdir") == "arayış"
    assert expansion("kobudluq") != ""  # a key matches the beginning of a word
    assert expansion("mənim sualım var") == ""
    assert expansion("") == ""


def test_light_verbs_carry_no_terms() -> None:
    """ "etmədi" (did not) and "etmədən" (without doing) cut to 5 letters are the same term;
    the light verbs are dropped so that a citizen's verb does not match a clause's."""
    analyzer = prefix_analyzer(light_verbs=True)
    assert [t.text for t in analyzer("izah etmədi, təmin etmədən edilir olunur")] == [
        "izah",
        "temin",
    ]
    assert "etmed" in [t.text for t in prefix_analyzer()("izah etmədi")]


def test_the_clause_index_scores_like_bm25() -> None:
    """Rarer terms weigh more, a term repeated counts with saturation, a longer document
    with the same matches scores lower, and a boost multiplies."""
    (spec,) = field_set("prefix")
    docs = [
        Doc("a", "U1", "səyyar avtobus kəndə gəlir"),
        Doc("b", "U2", "səyyar xidmət mərkəzi"),
        Doc("c", "U3", "mərkəzi xidmət mərkəzi xidmət uzun uzun mətn burada davam edir"),
        Doc("d", "U4", "mərkəzi xidmət"),
    ]
    index = ClauseIndex([spec], docs)
    scores = index.score({"prefix": {"avtob": 1.0, "xidme": 1.0}})
    assert set(scores) == {0, 1, 2, 3}
    assert scores[0] > scores[1]  # "avtob" is rarer than "xidme"
    assert scores[3] > scores[2] > 0  # same term, longer document
    boosted = index.score({"prefix": {"avtob": 2.0}})
    assert boosted[0] == pytest.approx(2 * index.score({"prefix": {"avtob": 1.0}})[0])
    assert index.score({"prefix": {"yoxdur": 1.0}}) == {}
