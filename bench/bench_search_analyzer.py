"""Query cost of the Azerbaijani analyzer and the Whoosh engine on generated documents
(issue 12, points 1 and 8: a first look, not the issue's full search benchmark).

Documents are built from the sentences of the regulations seed (deterministic, seeded):
a title of 4-8 words and a body of 3-6 sentences; 60% public, 30% readable by one of ten
units, 10% by one user. Queries are words sampled from the same vocabulary (1-3 per query),
asked as written, typed without Azerbaijani letters, with one typo, as a prefix and as a
phrase, by a caller holding "public" and one unit token (so trimming runs on every query).
Reported: indexing throughput (one writer, one commit) per wall second and per CPU second,
index size, query p50/p95 per shape in wall time and in this process's CPU time (the CPU
figures hold on a machine shared with other work; the wall ones do not), and the average
total. Run alone with ``python -m bench.bench_search_analyzer [docs]``
(no services needed) or as ``python -m bench bench_search_analyzer``.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from asan.search.analysis import is_stop_word, loose_form
from asan.search.engine import PUBLIC, SearchDoc, SearchQuery, unit_token, user_token
from asan.search.whoosh_engine import WhooshEngine
from bench.stats import summarize

SEED = Path(__file__).resolve().parents[1] / ".." / "shared" / "seed" / "asan-regulations.az.txt"
DOCS = int(os.environ.get("ASAN_BENCH_SEARCH_DOCS", "20000"))
QUERIES = 200
UNITS = [f"DEPT-{n}" for n in range(10)]


def _sentences() -> list[str]:
    text = unicodedata.normalize("NFC", SEED.read_text(encoding="utf-8"))
    parts = re.split(r"(?<=[.;:])\s+", text)
    return [p.strip() for p in parts if len(p.split()) >= 5]


def generate(count: int, rng: random.Random) -> Iterator[SearchDoc]:
    sentences = _sentences()
    for n in range(count):
        body = " ".join(rng.sample(sentences, rng.randint(3, 6)))
        words = rng.choice(sentences).split()
        title = " ".join(words[: rng.randint(4, 8)])
        roll = rng.random()
        unit = rng.choice(UNITS)
        if roll < 0.6:
            acl = frozenset({PUBLIC})
        elif roll < 0.9:
            acl = frozenset({unit_token(unit)})
        else:
            acl = frozenset({user_token(f"u-{n % 100}")})
        yield SearchDoc(
            kind=rng.choice(("document", "clause", "service", "case")),
            id=f"G-{n}",
            title=title,
            body=body,
            acl=acl,
            unit=unit,
            year=rng.randint(2010, 2025),
            status=rng.choice(("draft", "registered", "in_force", "published")),
        )


def _vocabulary() -> list[str]:
    words = re.findall(r"[^\W\d_]{5,}", " ".join(_sentences()))
    return sorted({w for w in words if not is_stop_word(w)})


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word))
    return word[:i] + word[i + 1 :]


def _shapes(rng: random.Random) -> dict[str, Callable[[], str]]:
    vocab = _vocabulary()
    sentences = _sentences()

    def words(k: int) -> list[str]:
        return rng.sample(vocab, k)

    def phrase() -> str:
        ws = rng.choice(sentences).split()
        start = rng.randrange(0, max(1, len(ws) - 2))
        return '"' + " ".join(ws[start : start + 2]) + '"'

    return {
        "one_word": lambda: words(1)[0],
        "two_words": lambda: " ".join(words(2)),
        "three_words": lambda: " ".join(words(3)),
        "one_word_loose": lambda: loose_form(words(1)[0]),
        "two_words_loose": lambda: loose_form(" ".join(words(2))),
        "one_word_typo": lambda: _typo(words(1)[0], rng),
        "prefix": lambda: words(1)[0][:4] + "*",
        "phrase": phrase,
    }


def measure(count: int = DOCS) -> dict[str, Any]:
    rng = random.Random(12)
    root = Path(tempfile.mkdtemp(prefix="asan-bench-search-"))
    try:
        engine = WhooshEngine(root / "index")
        docs = list(generate(count, rng))
        started, cpu = time.perf_counter(), time.process_time()
        written = engine.index(docs)
        index_s, index_cpu = time.perf_counter() - started, time.process_time() - cpu
        size = sum(p.stat().st_size for p in (root / "index").iterdir())
        access = frozenset({PUBLIC, unit_token("DEPT-3")})
        out: dict[str, Any] = {
            "docs": written,
            "index_docs_per_s": round(written / index_s, 1),
            "index_docs_per_cpu_s": round(written / index_cpu, 1),
            "index_mb": round(size / 2**20, 1),
        }
        for name, make in _shapes(rng).items():
            texts = [make() for _ in range(QUERIES)]
            samples, cpu_ms, totals = [], [], []
            for text in texts[:5]:  # warm-up
                engine.query(SearchQuery(text, access=access))
            for text in texts:
                t0, c0 = time.perf_counter(), time.process_time()
                results = engine.query(SearchQuery(text, access=access))
                samples.append((time.perf_counter() - t0) * 1000)
                cpu_ms.append((time.process_time() - c0) * 1000)
                totals.append(results.total)
            cpu = summarize(cpu_ms)
            out[name] = {
                **summarize(samples),
                "cpu_p50_ms": cpu["p50_ms"],
                "cpu_p95_ms": cpu["p95_ms"],
                "avg_total": round(sum(totals) / len(totals), 1),
            }
        engine.close()
        return out
    finally:
        shutil.rmtree(root, ignore_errors=True)


async def run(platform: Any) -> dict[str, Any]:
    """The ``python -m bench`` entry; the platform is not used (the index is local)."""
    return measure()


if __name__ == "__main__":
    import json

    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else DOCS), indent=2))
