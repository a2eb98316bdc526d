"""Ranking units by their regulation clauses: every clause indexed with its unit in a Whoosh
RAM index, the appeal's words ORed, BM25F per clause, clause scores aggregated per unit.

Aggregations (``Aggregate``), measured by ``bench/bench_suggest.py``:
- ``max``: the unit's best clause (one precise function decides);
- ``top2``/``top3``: the sum of its best two/three (several matching functions add up);
- ``sum``: all its matching clauses (favours long regulations);
- ``unitdoc``: no clause index, one BM25 document per unit (its clauses concatenated).

Boilerplate: clauses that nearly every unit has in the same words (the head appoints, the unit
answers appeals, reports at the chairman's request...) name no unit in particular; with
``skip_common`` a clause with near-twins (token Jaccard >= ``COMMON_SIMILARITY``) in at least
``COMMON_UNITS`` other units is left out of the index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Literal

from whoosh.analysis import Analyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.query import Or, Term
from whoosh.scoring import BM25F

from asan.search.suggest.analyzers import FieldSpec, prefix_analyzer
from asan.search.suggest.models import ClauseMatch, Corpus, CorpusClause, UnitSuggestion

Aggregate = Literal["max", "top2", "top3", "sum", "unitdoc"]

MAX_QUERY_CHARS = 4000  # an appeal longer than this is judged by its beginning
MAX_QUERY_TERMS = 64  # distinct terms ORed; bounds the work for any input
SNIPPET_CHARS = 180
COMMON_SIMILARITY = 0.6
COMMON_UNITS = 3
LENGTH_NORM = 0.75  # BM25's b: how much a long clause is penalised (Whoosh's default 0.75)
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

    Clauses are compared in order of size, and only with those small enough to reach the
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
    return {key for key, units in twins.items() if len(units) >= COMMON_UNITS}


def _schema(fields: Sequence[FieldSpec]) -> Schema:
    schema = Schema(key=ID(stored=True), unit=ID(stored=True))
    for spec in fields:
        schema.add(spec.name, TEXT(analyzer=spec.analyzer))
    return schema


class UnitSuggester:
    """Built once from a corpus (cheap: under a second for the agency's ~800 clauses); answers
    any number of appeals. Not thread-safe for writes; reads share one searcher."""

    def __init__(
        self,
        corpus: Corpus,
        fields: Sequence[FieldSpec],
        *,
        aggregate: Aggregate = "top2",
        skip_common: bool = True,
        length_norm: float = LENGTH_NORM,
    ) -> None:
        self.corpus = corpus
        self.fields = tuple(fields)
        self.aggregate: Aggregate = aggregate
        self._names = {u.code: u.name for u in corpus.units}
        skip = common_clauses(corpus.clauses) if skip_common else set()
        self.clauses = {c.key: c for c in corpus.clauses if c.key not in skip}
        self.skipped = len(skip)
        self._index = RamStorage().create_index(_schema(self.fields))
        writer = self._index.writer()
        for doc in self._documents():
            writer.add_document(**doc)
        writer.commit()
        self._searcher = self._index.searcher(weighting=BM25F(B=length_norm))

    def _documents(self) -> Iterable[dict[str, str]]:
        if self.aggregate == "unitdoc":
            texts: dict[str, list[str]] = defaultdict(list)
            for clause in self.clauses.values():
                texts[clause.unit_code].append(clause.text)
            for unit, parts in texts.items():
                yield self._document(unit, unit, "\n".join(parts))
            return
        for clause in self.clauses.values():
            yield self._document(clause.key, clause.unit_code, clause.text)

    def _document(self, key: str, unit: str, text: str) -> dict[str, str]:
        return {"key": key, "unit": unit} | {spec.name: text for spec in self.fields}

    def close(self) -> None:
        self._searcher.close()

    def _scored(self, text: str) -> dict[str, list[tuple[float, str]]]:
        """unit -> [(score, clause key)] best first."""
        terms = [
            Term(spec.name, term, boost=spec.boost)
            for spec in self.fields
            for term in query_terms(spec.analyzer, text)
        ]
        if not terms:
            return {}
        query = Or(terms)
        per_unit: dict[str, list[tuple[float, str]]] = defaultdict(list)
        for hit in self._searcher.search(query, limit=None):
            per_unit[hit["unit"]].append((float(hit.score), hit["key"]))
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
        per_unit = self._scored(text)
        ranked = sorted(
            ((self._unit_score(scores), unit) for unit, scores in per_unit.items()),
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
