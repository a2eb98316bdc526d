"""Ranking units by their regulation clauses: every clause indexed with its unit
(``scoring.ClauseIndex``), the appeal's words ORed, BM25F per clause, clause scores
aggregated per unit, then divided by the unit's background (below).

Aggregations (``Aggregate``), measured by ``bench/bench_suggest.py``:
- ``max``: the unit's best clause (one precise function decides);
- ``top2``/``top3``: the sum of its best two/three (several matching functions add up);
- ``sum``: all its matching clauses (favours long regulations);
- ``unitdoc``: no clause index, one BM25 document per unit (its clauses concatenated).

Boilerplate: clauses that nearly every unit has in the same words (the head appoints, the unit
answers appeals, reports at the chairman's request...) name no unit in particular; with
``skip_common`` a clause with near-twins (token Jaccard >= ``COMMON_SIMILARITY``) in at least
``COMMON_UNITS`` other units is left out of the index.

Background: a unit whose clauses are written in the agency's everyday words (centres,
services, citizens, documents) scores well on any appeal, so its score is weak evidence.
Every indexed clause is put to the suggester as if it were an appeal; a unit's background
is its mean aggregated score over the clauses of units outside its family (itself, its
parent or sectors, its sibling sectors), relative to the mean over all units. With
``background`` = g > 0 a unit's score is divided by its background ** g: a unit that
matches everything needs more evidence to come first. Nothing from the labelled appeals is
used: the pseudo-appeals are the regulations' own clauses.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Literal

from whoosh.analysis import Analyzer

from asan.search.suggest.analyzers import FieldSpec, prefix_analyzer
from asan.search.suggest.models import (
    ClauseMatch,
    Corpus,
    CorpusClause,
    CorpusUnit,
    UnitSuggestion,
)
from asan.search.suggest.scoring import LENGTH_NORM, ClauseIndex, Doc
from asan.search.suggest.synonyms import expansion

Aggregate = Literal["max", "top2", "top3", "sum", "unitdoc"]

MAX_QUERY_CHARS = 4000  # an appeal longer than this is judged by its beginning
MAX_QUERY_TERMS = 64  # distinct terms ORed; bounds the work for any input
SNIPPET_CHARS = 180
COMMON_SIMILARITY = 0.6
COMMON_UNITS = 3
CLAUSES_PER_UNIT = 3  # matched clauses named per suggested unit


def query_terms(analyzer: Analyzer, text: str) -> list[str]:
    """The distinct terms of ``text`` in first-seen order, at most ``MAX_QUERY_TERMS``."""
    seen: dict[str, None] = {}
    for token in analyzer(text[:MAX_QUERY_CHARS], mode="query"):
        if token.text:
            seen.setdefault(token.text, None)
            if len(seen) >= MAX_QUERY_TERMS:
                break
    return list(seen)


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + " …"


def common_clauses(clauses: Sequence[CorpusClause]) -> set[str]:
    """Keys of clauses with near-twins in at least ``COMMON_UNITS`` other units.

    Remembered for the last few corpora: the pass takes a second or more, and the bench and
    the tests build many suggesters over one corpus."""
    return set(_common_clauses(tuple(clauses)))


@lru_cache(maxsize=4)
def _common_clauses(clauses: tuple[CorpusClause, ...]) -> frozenset[str]:
    """Clauses are compared in order of size, and only with those small enough to reach the
    similarity at all (Jaccard <= smaller / larger), which keeps the pairwise pass cheap."""
    fold = prefix_analyzer()
    shapes = sorted(
        ((frozenset(t.text for t in fold(c.text)), c.key, c.unit_code) for c in clauses),
        key=lambda shape: len(shape[0]),
    )
    twins: dict[str, set[str]] = defaultdict(set)
    for i, (words, key, unit) in enumerate(shapes):
        if not words:
            continue
        for other_words, other_key, other_unit in shapes[i + 1 :]:
            if COMMON_SIMILARITY * len(other_words) > len(words):
                break  # every later clause is larger still
            if unit == other_unit:
                continue
            if len(words & other_words) >= COMMON_SIMILARITY * len(words | other_words):
                twins[key].add(other_unit)
                twins[other_key].add(unit)
    return frozenset(key for key, units in twins.items() if len(units) >= COMMON_UNITS)


Query = dict[str, dict[str, float]]  # field -> {term: weight}


def family(units: Sequence[CorpusUnit]) -> Callable[[str, str], bool]:
    """Whether two candidate units are one family: the same unit, a unit and its parent, two
    sectors of one candidate unit. A sector's functions are also its department's, so they
    do not count against each other in the background."""
    parent = {u.code: u.parent_code for u in units}

    def related(a: str, b: str) -> bool:
        pa, pb = parent.get(a), parent.get(b)
        return a == b or pa == b or pb == a or (pa is not None and pa == pb and pa in parent)

    return related


class UnitSuggester:
    """Built once from a corpus (well under a second for the agency's ~800 clauses besides
    the boilerplate pass); answers any number of appeals. Read-only once built."""

    def __init__(
        self,
        corpus: Corpus,
        fields: Sequence[FieldSpec],
        *,
        aggregate: Aggregate = "top2",
        skip_common: bool = True,
        length_norm: float = LENGTH_NORM,
        background: float = 0.0,
        synonym_weight: float = 0.0,
    ) -> None:
        self.corpus = corpus
        self.fields = tuple(fields)
        self.aggregate: Aggregate = aggregate
        self._names = {u.code: u.name for u in corpus.units}
        skip = common_clauses(corpus.clauses) if skip_common else set()
        self.clauses = {c.key: c for c in corpus.clauses if c.key not in skip}
        self.skipped = len(skip)
        self._index = ClauseIndex(self.fields, self._documents(), b=length_norm)
        self.synonym_weight = synonym_weight
        self.background_power = background
        self.background = self._background(corpus) if background else {}

    def _documents(self) -> Iterable[Doc]:
        if self.aggregate == "unitdoc":
            texts: dict[str, list[str]] = defaultdict(list)
            for clause in self.clauses.values():
                texts[clause.unit_code].append(clause.text)
            for unit, parts in texts.items():
                yield Doc(unit, unit, "\n".join(parts))
            return
        for clause in self.clauses.values():
            yield Doc(clause.key, clause.unit_code, clause.text)

    def close(self) -> None:
        """Nothing to release (the index is plain memory); kept for callers that close."""

    def _background(self, corpus: Corpus) -> dict[str, float]:
        related = family(corpus.units)
        totals: dict[str, float] = defaultdict(float)
        for clause in self.clauses.values():
            for unit, scores in self._scored(self._query(clause.text)).items():
                if not related(unit, clause.unit_code):
                    totals[unit] += self._unit_score(scores)
        units = {doc.unit for doc in self._index.docs}
        mean = sum(totals[u] for u in units) / len(units) if units else 0.0
        if not mean:
            return {}
        # a unit no other unit's clause ever matches gets the smallest background seen
        floor = min((totals[u] for u in units if totals[u]), default=mean)
        return {u: max(totals[u], floor) / mean for u in units}

    def _query(self, text: str, *, expand: bool = False) -> Query:
        """The appeal's terms per field, weight 1; with ``expand``, the regulation wording
        of its everyday words (``synonyms``) joins them at ``synonym_weight``."""
        query = {
            spec.name: dict.fromkeys(query_terms(spec.analyzer, text), 1.0) for spec in self.fields
        }
        extra = expansion(text[:MAX_QUERY_CHARS]) if expand and self.synonym_weight else ""
        if extra:
            for spec in self.fields:
                terms = query[spec.name]
                for term in query_terms(spec.analyzer, extra):
                    terms.setdefault(term, self.synonym_weight)
        return query

    def _scored(self, query: Query) -> dict[str, list[tuple[float, str]]]:
        """unit -> [(score, clause key)] best first."""
        per_unit: dict[str, list[tuple[float, str]]] = defaultdict(list)
        docs = self._index.docs
        for number, score in self._index.score(query).items():
            per_unit[docs[number].unit].append((score, docs[number].key))
        for scores in per_unit.values():
            scores.sort(reverse=True)
        return per_unit

    def _unit_score(self, scores: list[tuple[float, str]]) -> float:
        values = [s for s, _ in scores]
        if self.aggregate in ("max", "unitdoc"):
            return values[0]
        if self.aggregate == "top2":
            return sum(values[:2])
        if self.aggregate == "top3":
            return sum(values[:3])
        return sum(values)

    def _normalised(self, unit: str, score: float) -> float:
        if not self.background:
            return score
        return score / math.pow(self.background.get(unit, 1.0), self.background_power)

    def _matches(self, unit: str, text: str, scores: list[tuple[float, str]]) -> list[ClauseMatch]:
        if self.aggregate == "unitdoc":  # the document is the unit: name its best clauses
            scores = self._clause_scores(unit, text)
        matches = []
        for score, key in scores[:CLAUSES_PER_UNIT]:
            clause = self.clauses[key]
            matches.append(ClauseMatch(clause.number, snippet(clause.text), key, round(score, 3)))
        return matches

    def _clause_scores(self, unit: str, text: str) -> list[tuple[float, str]]:
        """Clauses of ``unit`` by how many of the appeal's terms they hold (unitdoc only)."""
        analyzer = self.fields[0].analyzer
        terms = set(query_terms(analyzer, text))
        scored = []
        for clause in self.clauses.values():
            if clause.unit_code != unit:
                continue
            words = {t.text for t in analyzer(clause.text)}
            if shared := len(words & terms):
                scored.append((float(shared), clause.key))
        return sorted(scored, reverse=True)

    def suggest_units(self, text: str, *, limit: int = 3) -> list[UnitSuggestion]:
        """The units best matching ``text``, best first, each with the clauses that matched.

        Empty text, only stop words or only punctuation: an empty list (never every unit)."""
        per_unit = self._scored(self._query(text, expand=True))
        ranked = sorted(
            (
                (self._normalised(unit, self._unit_score(scores)), unit)
                for unit, scores in per_unit.items()
            ),
            key=lambda pair: (-pair[0], pair[1]),
        )
        return [
            UnitSuggestion(
                unit_code=unit,
                name=self._names.get(unit, unit),
                score=round(score, 3),
                clauses=self._matches(unit, text, per_unit[unit]),
            )
            for score, unit in ranked[: max(0, limit)]
        ]
