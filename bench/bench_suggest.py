"""Competent-unit suggestion: precision at 1 and 3 on the labelled sample appeals, as written
and typed without Azerbaijani letters, for the issue's baseline and the clause method's
variants, in one run (issue 12, point 6). Also how long a suggester takes to build and to
answer (p50/p95 over the appeals), for the default method.

Rows:
- ``baseline/regulation``: plain Whoosh BM25F, ``StandardAnalyzer``, one document per whole
  regulation (the departments and the centre; the issue's baseline);
- ``baseline/unit``: the same analyzer, one document per unit (sectors can be named);
- ``<fields>/<aggregate>``: the clause index with the field set (``prefix``, S1's
  ``azerbaijani`` exact+loose, ``hybrid``) and the per-unit aggregation; ``+all`` keeps the
  boilerplate clauses. The default method is marked.

``held_out``: the variant is chosen on half of the appeals and judged on the other half (two
folds), an estimate free of the optimism of choosing the default on the whole set.

The org structure is imported (idempotently) from the regulations text the seed uses.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from asan.core.platform import Platform
from asan.registry.org.seed import import_regulations
from asan.search.suggest.analyzers import field_set
from asan.search.suggest.baseline import BaselineRanker
from asan.search.suggest.corpus import load_corpus
from asan.search.suggest.evaluation import Figures, Labelled, evaluate
from asan.search.suggest.models import Corpus
from asan.search.suggest.ranking import Aggregate, UnitSuggester
from asan.search.suggest.service import DEFAULT_AGGREGATE, DEFAULT_FIELDS
from bench.stats import summarize
from tests.search.appeals import load

_AGGREGATES: tuple[Aggregate, ...] = ("max", "top2", "top3", "sum", "unitdoc")
VARIANTS: tuple[tuple[str, Aggregate, bool], ...] = (
    *(
        (fields, aggregate, True)
        for fields in ("prefix", "azerbaijani", "hybrid")
        for aggregate in _AGGREGATES
    ),
    (DEFAULT_FIELDS, DEFAULT_AGGREGATE, False),
)


def _row(
    name: str, rank: Callable[[str], Sequence[str]], sets: dict[str, list[Labelled]]
) -> dict[str, Any]:
    figures: dict[str, Figures] = {form: evaluate(rank, appeals) for form, appeals in sets.items()}
    return {
        "method": name,
        **{f"{form} {k}": v for form, f in figures.items() for k, v in f.row().items() if k != "n"},
        "misses": {form: [m.id for m in f.misses] for form, f in figures.items()},
    }


def _ranker(suggester: UnitSuggester) -> Callable[[str], list[str]]:
    return lambda text: [s.unit_code for s in suggester.suggest_units(text)]


def _held_out(rows: list[dict[str, Any]], ids: list[str]) -> dict[str, Any]:
    """How good choosing the variant on the same appeals makes the figures look: two folds
    (appeals alternately), the variant best on one fold (mean p@1 of both forms) judged on the
    other, hits summed over both folds."""
    variants = [r for r in rows if not r["method"].startswith("baseline/")]
    folds = [set(ids[0::2]), set(ids[1::2])]

    def hits(row: dict[str, Any], form: str, fold: set[str]) -> int:
        return len(fold - set(row["misses"][form]))

    total = {"written": 0, "plain": 0}
    chosen = []
    for i, fold in enumerate(folds):
        other = folds[1 - i]
        best = max(variants, key=lambda r: hits(r, "written", other) + hits(r, "plain", other))
        chosen.append(best["method"])
        for form in total:
            total[form] += hits(best, form, fold)
    n = len(ids)
    return {"chosen": chosen, **{f"{form} p@1": round(total[form] / n, 3) for form in total}}


def _table(rows: list[dict[str, Any]]) -> str:
    columns = [c for c in rows[0] if c not in ("method", "misses")]
    head = f"{'method':28s}" + "".join(f"{c:>22s}" for c in columns)
    lines = [head]
    for row in rows:
        lines.append(f"{row['method']:28s}" + "".join(f"{row[c]:>22}" for c in columns))
    return "\n".join(lines)


def _timings(corpus: Corpus, appeals: list[Labelled]) -> dict[str, Any]:
    started = time.perf_counter()
    suggester = UnitSuggester(corpus, field_set(DEFAULT_FIELDS), aggregate=DEFAULT_AGGREGATE)
    build_ms = (time.perf_counter() - started) * 1000
    samples = []
    for appeal in appeals:
        start = time.perf_counter()
        suggester.suggest_units(appeal.text)
        samples.append((time.perf_counter() - start) * 1000)
    suggester.close()
    return {"build_ms": round(build_ms, 1), "suggest": summarize(samples)}


async def run(platform: Platform) -> dict[str, Any]:
    await import_regulations(platform)
    corpus = await load_corpus(platform.db)
    appeals = load()
    sets = {
        "written": [Labelled(a.id, a.text, a.units) for a in appeals],
        "plain": [Labelled(a.id, a.plain, a.units) for a in appeals],
    }
    rows = []
    for mode in ("regulation", "unit"):
        baseline = BaselineRanker(corpus, mode)
        rows.append(_row(f"baseline/{mode}", baseline.rank, sets))
        baseline.close()
    for fields, aggregate, skip in VARIANTS:
        suggester = UnitSuggester(corpus, field_set(fields), aggregate=aggregate, skip_common=skip)
        default = (fields, aggregate, skip) == (DEFAULT_FIELDS, DEFAULT_AGGREGATE, True)
        name = f"{fields}/{aggregate}{'' if skip else '+all'}{' (default)' if default else ''}"
        rows.append(_row(name, _ranker(suggester), sets))
        suggester.close()
    print(_table(rows), flush=True)
    return {
        "appeals": len(appeals),
        "clauses": len(corpus.clauses),
        "units": len(corpus.units),
        "rows": rows,
        "held_out": _held_out(rows, [a.id for a in appeals]),
        "timing": _timings(corpus, sets["written"] + sets["plain"]),
    }
