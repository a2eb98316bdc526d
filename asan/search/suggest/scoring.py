"""A small in-memory BM25 index over the regulation clauses.

The suggester's corpus is a few hundred short clauses, and its method scores every clause
for many pseudo-appeals at build time (the units' background, ``ranking.py``): an inverted
index of precomputed per-posting weights answers a query in microseconds where a Whoosh
searcher takes milliseconds. The formula is Whoosh's BM25F, so figures stay comparable with
the search index: idf = ln(N / (df + 1)) + 1 and, per field,
idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average length)), each field's sum
multiplied by its boost. Whoosh analyzers (plain callables yielding tokens) tokenize.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from asan.search.suggest.analyzers import FieldSpec

K1 = 1.2
LENGTH_NORM = 0.75  # BM25's b: how much a long clause is penalised (Whoosh's default 0.75)


@dataclass(frozen=True)
class Doc:
    key: str
    unit: str
    text: str


class ClauseIndex:
    """Field -> term -> [(doc number, weight without the query's boost)]."""

    def __init__(
        self, fields: Sequence[FieldSpec], docs: Iterable[Doc], *, b: float = LENGTH_NORM
    ) -> None:
        self.fields = tuple(fields)
        self.docs = list(docs)
        self.terms: dict[str, list[set[str]]] = {}  # field -> per doc, its distinct terms
        self._postings: dict[str, dict[str, list[tuple[int, float]]]] = {}
        for spec in self.fields:
            counts = [Counter(t.text for t in spec.analyzer(doc.text)) for doc in self.docs]
            self.terms[spec.name] = [set(c) for c in counts]
            lengths = [sum(c.values()) for c in counts]
            average = (sum(lengths) / len(lengths)) if lengths else 1.0
            df: Counter[str] = Counter(t for c in counts for t in c)
            n = len(self.docs)
            postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
            for number, (c, length) in enumerate(zip(counts, lengths, strict=True)):
                norm = K1 * ((1 - b) + b * length / (average or 1.0))
                for term, tf in c.items():
                    idf = math.log(n / (df[term] + 1)) + 1
                    postings[term].append((number, idf * tf * (K1 + 1) / (tf + norm)))
            self._postings[spec.name] = dict(postings)

    def score(self, query: dict[str, dict[str, float]]) -> dict[int, float]:
        """Document number -> score for ``query``: field -> {term: weight}; the field's
        boost is applied here."""
        scores: dict[int, float] = defaultdict(float)
        for spec in self.fields:
            postings = self._postings[spec.name]
            for term, weight in query.get(spec.name, {}).items():
                for number, value in postings.get(term, ()):
                    scores[number] += spec.boost * weight * value
        return scores
