"""The search benchmark's corpus and baseline (bench/search_*.py) on a tiny corpus: the
generator is deterministic and spreads kinds and access like real documents, and the raw
Whoosh baseline asks the same question as the engine (same totals), so the bench's ratio
compares like with like. No timings are asserted."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from asan.search.engine import PUBLIC, SearchQuery
from asan.search.whoosh_engine import WhooshEngine
from asan.search.whoosh_engine.schema import schema
from bench import search_raw
from bench.bench_search import indexing
from bench.search_corpus import KINDS, SHAPES, generate, queries
from bench.search_queries import whoosh_phase

DOCS = 300


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench-corpus") / "index"
    engine = WhooshEngine(path)
    engine.index(generate(DOCS))
    engine.close()
    return path


def test_the_corpus_is_the_same_for_a_seed_and_spread_like_a_registry() -> None:
    docs = list(generate(DOCS))
    assert docs == list(generate(DOCS))
    assert docs != list(generate(DOCS, seed=13))
    kinds = Counter(d.kind for d in docs)
    assert set(kinds) == {k[0] for k in KINDS}
    assert kinds.most_common(1)[0][0] == "document"
    public = [d for d in docs if PUBLIC in d.acl]
    assert all(d.acl == frozenset({PUBLIC}) for d in docs if d.kind in ("clause", "service"))
    assert 0 < len([d for d in public if d.kind == "document"]) < kinds["document"] / 5
    assert any(t.startswith("doc:secret:unit:") for d in docs for t in d.acl)
    assert len({d.year for d in docs}) > 5 and len({d.unit for d in docs}) > 10
    assert any("İ" in d.body or "ı" in d.body for d in docs)


def test_raw_whoosh_finds_what_the_engine_finds(indexed: Path) -> None:
    engine = WhooshEngine(indexed, create=False)
    ix = whoosh_index.open_dir(str(indexed))
    asked = queries(4)
    found = 0
    with ix.searcher() as searcher:
        for q in asked:
            mine = engine.query(
                SearchQuery(
                    q.text, access=q.caller.access, kinds=q.kinds, units=q.units, years=q.years
                )
            ).total
            raw = search_raw.search(searcher, q)
            found += raw
            if q.shape == "prefix":
                # the engine also tries the prefix minus a few letters as a stem
                assert mine >= raw, q
            else:
                assert mine == raw, q
    engine.close()
    ix.close()
    assert found > 0
    assert {q.shape for q in asked} == set(SHAPES)
    assert {q.caller.name for q in asked} == {"anonymous", "clerk", "admin"}


def test_the_measurements_run_on_a_tiny_corpus(indexed: Path) -> None:
    written = indexing(60, batch=30)
    assert written["docs"] == 60 and written["batch"] == 30
    assert written["engine"]["docs_per_s"] > 0 and written["raw"]["docs_per_s"] > 0
    figures = whoosh_phase(str(indexed), 1)
    assert figures["queries"] == len(SHAPES)
    assert figures["peak_rss_mb"] >= figures["rss_mb_after_open_and_warmup"] > 0
    assert figures["all"]["engine"]["avg_total"] == figures["all"]["raw"]["avg_total"] or (
        figures["prefix"]["engine"]["avg_total"] > figures["prefix"]["raw"]["avg_total"]
    )


def test_a_raw_index_of_the_same_fields_is_the_engines_schema(tmp_path: Path) -> None:
    ix = whoosh_index.create_in(str(tmp_path), schema())
    assert search_raw.write(ix, generate(20)) == 20
    ix.close()
    assert WhooshEngine(tmp_path, create=False).doc_count() == 20
