"""The search engine interface on its Whoosh implementation, with clauses of the regulations.

The index lives in a temporary directory (derived data; Neo4j and MinIO are not involved at
this layer). One engine per module, built once; tests that change it use their own.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from asan.search.engine import (
    PUBLIC,
    DocRef,
    EmptyReason,
    QueryRejected,
    SearchDoc,
    SearchEngine,
    SearchQuery,
    SearchResults,
    SearchUnavailable,
    SortOrder,
    unit_token,
    user_token,
)
from asan.search.whoosh_engine import WhooshEngine

IT = unit_token("DEPT-IT")
EVERYONE = frozenset({PUBLIC})
IT_STAFF = frozenset({PUBLIC, IT})

DOCS = (
    SearchDoc(
        "clause", "mobile-2.1.3", "Səyyar xidmətlərin təşkili şöbəsi, 2.1.3",
        "mərkəzlərdə göstərilən xidmətlərin səyyar avtobuslar vasitəsilə həyata "
        "keçirilməsini təmin edir.",
        acl=EVERYONE, unit="DEPT-MOBILE", year=2013, status="in_force",
    ),
    SearchDoc(
        "clause", "legal-5.1.9", "Hüquqi təminat şöbəsi, 5.1.9",
        "fəaliyyəti ilə bağlı daxil olan ərizə və şikayətlərə baxmaq və qanunla müəyyən "
        "edilmiş qaydada tədbirlər görmək, vətəndaşların müraciətlərinə baxmaq;",
        acl=EVERYONE, unit="DEPT-LEGAL", year=2013, status="in_force",
    ),
    SearchDoc(
        "clause", "edms-1.4", "Elektron sənəd dövriyyəsi şöbəsi, 1.4",
        "Şöbə “Elektron sənəd dövriyyəsi” sözləri yazılmış möhürə malikdir.",
        acl=EVERYONE, unit="DEPT-EDMS", year=2014, status="in_force",
    ),
    SearchDoc(
        "clause", "edms-3.2", "Elektron sənəd dövriyyəsi şöbəsi, 3.2",
        "dövriyyəsi təmin edilən sənədlərin siyahısını aparır.",
        acl=EVERYONE, unit="DEPT-EDMS", year=2014, status="in_force",
    ),
    SearchDoc(
        "document", "DOC-1", "İlham Məmmədovun şikayəti",
        "Vətəndaşların müraciətləri üzrə səyyar xidmət avtobusunun qrafiki barədə şikayət.",
        acl=frozenset({IT}), unit="DEPT-IT", year=2024, status="registered",
    ),
    SearchDoc(
        "document", "DOC-2", "Seyyar xidmet qrafiki",
        "seyyar xidmet avtobusu Qubada olacaq",
        acl=frozenset({IT}), unit="DEPT-IT", year=2025, status="draft",
    ),
    SearchDoc(
        "document", "DOC-3", "Şəxsi qeyd",
        "səyyar xidmət barədə şəxsi qeyd",
        acl=frozenset({user_token("u-1")}), unit="DEPT-IT", year=2025, status="draft",
    ),
    SearchDoc(
        "service", "DIN-002", "Doğum haqqında şəhadətnamənin verilməsi",
        "Vətəndaşlıq vəziyyəti aktlarının qeydiyyatı: doğumun qeydə alınması.",
        acl=EVERYONE, state_body="DIN", year=2020, status="published",
    ),
    SearchDoc(
        "document", "DOC-4", "Şikayat (yazı xətası ilə)",
        "bu sənəddə şikayat sözü səhv yazılıb",
        acl=EVERYONE, unit="DEPT-IT", year=2023, status="registered",
    ),
)  # fmt: skip


def ask(
    engine: SearchEngine, text: str, access: frozenset[str] = EVERYONE, **kw: object
) -> SearchResults:
    return engine.query(SearchQuery(text, access=access, **kw))  # type: ignore[arg-type]


def ids(results: SearchResults) -> list[str]:
    return [hit.id for hit in results.hits]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WhooshEngine]:
    built = WhooshEngine(tmp_path_factory.mktemp("search") / "index")
    assert built.index(DOCS) == len(DOCS)
    yield built
    built.close()


def test_every_document_is_counted(engine: WhooshEngine) -> None:
    assert engine.doc_count() == len(DOCS)


def test_typed_without_azerbaijani_letters_finds_the_written_text(engine: WhooshEngine) -> None:
    assert "mobile-2.1.3" in ids(ask(engine, "seyyar xidmet"))
    found = set(ids(ask(engine, "vetendaslarin muracietleri", IT_STAFF)))
    assert found == {"DOC-1", "legal-5.1.9"}  # "vətəndaşların müraciətləri/-nə"
    assert ids(ask(engine, "VETENDASLARIN muracietlerine")) == ["legal-5.1.9"]


def test_exact_spelling_ranks_above_the_same_word_typed_without_letters(tmp_path: Path) -> None:
    engine = WhooshEngine(tmp_path / "index")
    engine.index(
        [
            SearchDoc("document", "written", "Səyyar xidmət avtobusu", "qrafik", acl=EVERYONE),
            SearchDoc("document", "typed", "Seyyar xidmet avtobusu", "qrafik", acl=EVERYONE),
        ]
    )
    assert ids(ask(engine, "səyyar xidmət")) == ["written", "typed"]
    assert ids(ask(engine, "seyyar xidmet")) == ["typed", "written"]
    assert ids(ask(engine, "SƏYYAR")) == ["written", "typed"]
    engine.close()


def test_dotted_and_dotless_capitals_match(engine: WhooshEngine) -> None:
    for typed in ("İlham", "ILHAM", "ilham", "Ilham"):
        assert ids(ask(engine, typed, IT_STAFF)) == ["DOC-1"], typed


def test_a_one_letter_typo_still_finds_and_ranks_below_the_right_spelling(
    engine: WhooshEngine,
) -> None:
    found = ids(ask(engine, "şikayat", IT_STAFF))  # as DOC-4 misspells it
    assert found[0] == "DOC-4" and {"legal-5.1.9", "DOC-1"} <= set(found)
    assert "edms-1.4" in ids(ask(engine, "elekron"))  # a letter left out
    assert ids(ask(engine, "şəhadətnamanin")) == ["DIN-002"]
    assert ids(ask(engine, "dogm")) == []  # under 5 letters: no typo tolerance
    assert ids(ask(engine, "dogum")) == ["DIN-002"]


def test_phrases_keep_word_order_in_either_spelling(engine: WhooshEngine) -> None:
    # Stemmed: "sənədlərin dövriyyəsi" is the phrase "sənəd dövriyyə" (both EDMS titles).
    assert set(ids(ask(engine, '"sənədlərin dövriyyəsi"'))) == {"edms-1.4", "edms-3.2"}
    assert ids(ask(engine, '"dövriyyəsi sənədlərin"')) == []  # only apart in edms-3.2
    assert set(ids(ask(engine, "dövriyyəsi sənədlərin"))) == {"edms-1.4", "edms-3.2"}
    assert ids(ask(engine, '"elektron sened dovriyyesi" mohur*')) == ["edms-1.4"]
    assert set(ids(ask(engine, "sənədlərin dövriyyəsi"))) == {"edms-1.4", "edms-3.2"}


def test_prefixes_expand_in_both_forms(engine: WhooshEngine) -> None:
    assert "mobile-2.1.3" in ids(ask(engine, "avtob*"))
    assert "DIN-002" in ids(ask(engine, "sehadetn*"))
    assert "legal-5.1.9" in ids(ask(engine, "vətəndaşl* müraciətlər*"))
    assert ids(ask(engine, "zzq*")) == []


@pytest.mark.parametrize("text", ["", "   ", "və", "ve ile ucun", "*", '"', "?!"])
def test_nothing_to_search_gives_an_empty_result(engine: WhooshEngine, text: str) -> None:
    results = ask(engine, text, IT_STAFF)
    assert results.total == 0 and results.hits == ()
    assert results.empty_reason is EmptyReason.NO_TERMS


@pytest.mark.parametrize("text", ["x" * 10_240, "xidmət\x00", "səyyar\x1b[31m", "a\ud800"])
def test_unsearchable_text_is_refused_with_a_message(engine: WhooshEngine, text: str) -> None:
    with pytest.raises(QueryRejected, match=" / "):
        ask(engine, text)


def test_an_unbalanced_quote_searches_the_words(engine: WhooshEngine) -> None:
    assert "mobile-2.1.3" in ids(ask(engine, 'səyyar "avtobuslar'))


def test_trimming_changes_hits_totals_and_facets_inside_the_query(engine: WhooshEngine) -> None:
    anonymous = ask(engine, "səyyar xidmət")
    staff = ask(engine, "səyyar xidmət", IT_STAFF)
    owner = ask(engine, "səyyar xidmət", frozenset({PUBLIC, IT, user_token("u-1")}))
    assert (anonymous.total, staff.total, owner.total) == (1, 3, 4)
    assert anonymous.facets["kind"] == {"clause": 1}
    assert staff.facets["kind"] == {"clause": 1, "document": 2}
    assert staff.facets["status"] == {"in_force": 1, "registered": 1, "draft": 1}
    assert owner.facets["unit"] == {"DEPT-MOBILE": 1, "DEPT-IT": 3}
    assert set(ids(owner)) - set(ids(staff)) == {"DOC-3"}


def test_a_caller_without_tokens_sees_nothing(engine: WhooshEngine) -> None:
    results = ask(engine, "səyyar", frozenset())
    assert results.total == 0 and results.empty_reason is EmptyReason.NO_ACCESS
    stranger = ask(engine, "səyyar", frozenset({user_token("nobody")}))
    assert stranger.total == 0 and stranger.hits == () and stranger.facets["kind"] == {}


def test_system_jobs_ask_unrestricted(engine: WhooshEngine) -> None:
    assert ask(engine, "səyyar", frozenset(), unrestricted=True).total == 4


def test_filters_narrow_and_facets_follow(engine: WhooshEngine) -> None:
    results = ask(engine, "xidmət", IT_STAFF, kinds=frozenset({"document"}))
    assert set(ids(results)) == {"DOC-1", "DOC-2"}
    assert results.facets["year"] == {"2024": 1, "2025": 1}
    assert ids(ask(engine, "xidmət", IT_STAFF, years=frozenset({2025}))) == ["DOC-2"]
    assert ids(ask(engine, "", state_bodies=frozenset({"DIN"}))) == ["DIN-002"]


def test_sorting_and_pages(engine: WhooshEngine) -> None:
    newest = ask(engine, "xidmət", IT_STAFF, sort=SortOrder.NEWEST)
    assert [h.year for h in newest.hits] == sorted((h.year for h in newest.hits), reverse=True)
    listed = ask(engine, "", kinds=frozenset({"clause"}), sort=SortOrder.TITLE)
    titles = [h.title for h in listed.hits]
    assert titles[0].startswith("Elektron") and titles[-1].startswith("Səyyar")
    first = ask(engine, "", kinds=frozenset({"clause"}), limit=2)
    rest = ask(engine, "", kinds=frozenset({"clause"}), offset=2, limit=2)
    assert first.total == rest.total == 4
    assert ids(first) + ids(rest) == ids(listed)


def test_highlights_mark_the_matched_words_in_the_stored_text(engine: WhooshEngine) -> None:
    hit = ask(engine, "avtobus", IT_STAFF, kinds=frozenset({"clause"})).hits[0]
    assert any("<mark>avtobuslar</mark>" in snippet for snippet in hit.highlights)
    hits = ask(engine, "sened dovriyyesi", kinds=frozenset({"clause"})).hits
    hit = next(h for h in hits if h.id == "edms-1.4")
    assert any("<mark>sənəd</mark> <mark>dövriyyəsi</mark>" in s for s in hit.highlights)
    assert ask(engine, "seyyar", highlights=False).hits[0].highlights == ()


def test_more_like_this_is_trimmed_too(engine: WhooshEngine) -> None:
    similar = engine.more_like_this(DocRef("document", "DOC-1"), IT_STAFF)
    assert "DOC-2" in ids(similar) and "DOC-1" not in ids(similar)
    assert "DOC-3" not in ids(similar)
    assert engine.more_like_this(DocRef("document", "DOC-1"), EVERYONE).hits == ()
    assert "edms-3.2" in ids(engine.more_like_this(DocRef("clause", "edms-1.4"), EVERYONE))


QUERIES = (
    "seyyar xidmet", "səyyar", "şikayət", '"sənəd dövriyyəsi"', "vətəndaşl*", "ILHAM",
    "elekron", "xidmət qrafiki", "",
)  # fmt: skip


def answers(engine: SearchEngine) -> list[tuple[int, list[str], dict[str, dict[str, int]]]]:
    out = []
    for text in QUERIES:
        r = ask(engine, text, frozenset({PUBLIC, IT, user_token("u-1")}), kinds=frozenset())
        if not text:
            r = ask(engine, text, IT_STAFF, units=frozenset({"DEPT-IT"}))
        out.append((r.total, sorted(ids(r)), {k: dict(v) for k, v in r.facets.items()}))
    return out


def test_delete_and_rebuild_answer_like_the_incremental_index(tmp_path: Path) -> None:
    incremental = WhooshEngine(tmp_path / "incremental")
    extra = SearchDoc("document", "DOC-9", "Səyyar xidmət", "müvəqqəti", acl=frozenset({IT}))
    incremental.index(DOCS[:5])
    incremental.index([*DOCS[5:], extra])
    changed = replace(DOCS[7], body=DOCS[7].body + " səyyar xidmət")
    incremental.index([changed])  # replaces, never duplicates
    assert incremental.delete([DocRef("document", "DOC-9"), DocRef("document", "nope")]) == 1
    assert incremental.doc_count() == len(DOCS)
    assert "DOC-9" not in ids(ask(incremental, "səyyar", IT_STAFF))

    rebuilt = WhooshEngine(tmp_path / "rebuilt")
    rebuilt.index([DOCS[0]])  # something to replace
    seen: list[int] = []
    assert rebuilt.rebuild([*DOCS[:7], changed, DOCS[8]], progress=seen.append) == len(DOCS)
    assert seen[-1] == len(DOCS)
    assert answers(rebuilt) == answers(incremental)
    assert "DIN-002" in ids(ask(rebuilt, "səyyar"))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers
    incremental.close()
    rebuilt.close()


def test_writers_in_threads_are_serialised(tmp_path: Path) -> None:
    engine = WhooshEngine(tmp_path / "index")
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            engine.index(
                SearchDoc("document", f"T-{n}-{i}", f"qeyd {n}", "səyyar", acl=EVERYONE)
                for i in range(20)
            )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == [] and engine.doc_count() == 80
    engine.close()


def test_an_index_of_another_schema_is_refused_unless_empty(tmp_path: Path) -> None:
    from asan.search.index import SearchIndex

    (tmp_path / "old").mkdir()
    engine = WhooshEngine(tmp_path / "old")
    engine.index(DOCS[:1])
    engine.close()
    toc = next((tmp_path / "old").glob("_MAIN_*.toc"))
    toc.write_bytes(b"damaged")
    with pytest.raises(SearchUnavailable, match="old"):
        SearchIndex(tmp_path / "old").check()
    fresh = SearchIndex(tmp_path / "new")
    fresh.check()  # missing: being built by the indexer, the node stays ready
    with pytest.raises(SearchUnavailable, match="does not exist yet"):
        fresh.engine().doc_count()  # readers never create the directory
    assert fresh.writer().doc_count() == 0
    assert fresh.engine().doc_count() == 0


def test_a_document_nobody_may_read_is_refused_and_the_batch_not_written(tmp_path: Path) -> None:
    engine = WhooshEngine(tmp_path / "index")
    batch = [DOCS[0], SearchDoc("document", "X", "gizli", "səyyar", acl=frozenset())]
    with pytest.raises(ValueError, match="without access tokens"):
        engine.index(batch)
    assert engine.doc_count() == 0
    engine.close()


HOLD_THE_LOCK = """
import sys
from pathlib import Path
from asan.search.whoosh_engine.engine import WhooshEngine
from asan.search.whoosh_engine.gate import writing
engine = WhooshEngine(Path(sys.argv[1]))
with writing(engine._index(), engine.path):
    print("locked", flush=True)
    sys.stdin.readline()
"""


def test_a_second_writing_process_is_refused_not_waited_for_forever(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from asan.search.whoosh_engine import SearchBusy, gate

    path = tmp_path / "index"
    engine = WhooshEngine(path)
    engine.index(DOCS[:1])
    other = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "locked"
        monkeypatch.setattr(gate, "WRITER_WAIT_SECONDS", 0.5)
        with pytest.raises(SearchBusy, match="another process"):
            engine.index(DOCS[1:2])
        assert ids(ask(engine, "səyyar")) == ["mobile-2.1.3"]  # readers are not blocked
    finally:
        other.communicate("\n", timeout=30)
    engine.index(DOCS[1:2])  # the lock is free again
    assert engine.doc_count() == 2
    engine.close()
