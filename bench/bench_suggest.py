"""Competent-unit suggestion: precision at 1 and 3 on the labelled sample appeals, as written
and typed without Azerbaijani letters, for the issue's baseline and the clause method's
variants, in one run (issue 12, point 6). Also how long a suggester takes to build and to
answer (p50/p95 over the appeals), for the default method.

Rows:
- ``baseline/regulation``: plain Whoosh BM25F, ``StandardAnalyzer``, one document per whole
  regulation (the departments and the centre; the issue's baseline);
- ``baseline/unit``: the same analyzer, one document per unit (sectors can be named);
- ``<fields>/<aggregate>``: the clause index with the field set (``prefix``, ``prefix-lv``
  without the light verbs, S1's ``azerbaijani`` exact+loose, ``hybrid``) and the per-unit
  aggregation; ``+all`` keeps the boilerplate clauses; ``bg<g>`` divides by the unit's
  background ** g, ``syn<w>`` adds the everyday-words list at weight w. The default method
  is marked; ``prefix/top2`` was the default before background and word list.

``held_out``: the variant is chosen on half of the appeals and judged on the other half (two
folds), an estimate free of the optimism of choosing among the variants on the whole set
(not of the word list's, written after seeing the misses: docs/search-suggest.md); with the
default's p@1 on each fold.

The org structure is imported (idempotently) from the regulations text the seed uses.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from asan.core.platform import Platform
from asan.registry.org.seed import import_regulations
from asan.search.suggest.analyzers import field_set
from asan.search.suggest.baseline import BaselineRanker
from asan.search.suggest.corpus import load_corpus
from asan.search.suggest.evaluation import Figures, Labelled, evaluate
from asan.search.suggest.models import Corpus
from asan.search.suggest.ranking import Aggregate, UnitSuggester
from asan.search.suggest.service import DEFAULT_AGGREGATE, DEFAULT_BACKGROUND, DEFAULT_FIELDS
from asan.search.suggest.synonyms import SYNONYM_WEIGHT
from bench.stats import summarize
from tests.search.appeals import load

_AGGREGATES: tuple[Aggregate, ...] = ("max", "top2", "top3", "sum", "unitdoc")


@dataclass(frozen=True)
class Variant:
    fields: str
    aggregate: Aggregate
    skip_common: bool = True
    background: float = 0.0
    synonym_weight: float = 0.0

    @property
    def default(self) -> bool:
        return self == DEFAULT

    @property
    def name(self) -> str:
        name = f"{self.fields}/{self.aggregate}{'' if self.skip_common else '+all'}"
        if self.background:
            name += f" bg{self.background:g}"
        if self.synonym_weight:
            name += f" syn{self.synonym_weight:g}"
        return name + (" (default)" if self.default else "")

    def build(self, corpus: Corpus) -> UnitSuggester:
        return UnitSuggester(
            corpus,
            field_set(self.fields),
            aggregate=self.aggregate,
            skip_common=self.skip_common,
            background=self.background,
            synonym_weight=self.synonym_weight,
        )


DEFAULT = Variant(DEFAULT_FIELDS, DEFAULT_AGGREGATE, True, DEFAULT_BACKGROUND, SYNONYM_WEIGHT)
VARIANTS: tuple[Variant, ...] = (
    *(
        Variant(fields, aggregate)
        for fields in ("prefix", "azerbaijani", "hybrid")
        for aggregate in _AGGREGATES
    ),
    Variant("prefix", "top2", skip_common=False),
    *(
        Variant(fields, aggregate, True, background, synonyms)
        for fields in ("prefix", "prefix-lv")
        for aggregate in ("max", "top2", "top3")
        for background in (0.0, 0.25, 0.5)
        for synonyms in (0.0, SYNONYM_WEIGHT)
        if (fields, background, synonyms) != ("prefix", 0.0, 0.0)  # the rows above
    ),
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
    default = next(r for r in rows if r["method"] == DEFAULT.name)
    per_fold = {
        form: [round(hits(default, form, fold) / len(fold), 3) for fold in folds] for form in total
    }
    return {
        "chosen": chosen,
        **{f"{form} p@1": round(total[form] / n, 3) for form in total},
        "default p@1 per fold": per_fold,
    }


def _table(rows: list[dict[str, Any]]) -> str:
    columns = [c for c in rows[0] if c not in ("method", "misses")]
    head = f"{'method':44s}" + "".join(f"{c:>22s}" for c in columns)
    lines = [head]
    for row in rows:
        lines.append(f"{row['method']:44s}" + "".join(f"{row[c]:>22}" for c in columns))
    return "\n".join(lines)


def _timings(corpus: Corpus, appeals: list[Labelled]) -> dict[str, Any]:
    started = time.perf_counter()
    suggester = DEFAULT.build(corpus)
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
    for variant in VARIANTS:
        suggester = variant.build(corpus)
        rows.append(_row(variant.name, _ranker(suggester), sets))
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
