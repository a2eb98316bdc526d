"""Parsed clauses to a Whoosh query, with every expansion bounded.

Per word: its exact stems in the exact fields (boosted), its loose stems in the loose fields,
and for words of 5+ letters found in fewer than ``FUZZY_WHEN_RARER_THAN`` documents the loose
terms one edit away (at most ``MAX_FUZZY_TERMS``, boosted low), so a typo still finds and
ranks below the right spelling. Prefixes
expand to the ``MAX_PREFIX_TERMS`` most frequent index terms among the first
``MAX_PREFIX_SCAN`` that start with them. Phrases keep word order, in either spelling.
No clause ever turns into a scan of the whole lexicon.
"""

from __future__ import annotations

import heapq
from itertools import islice
from typing import Final

from whoosh.query import And, NullQuery, Or, Query, Sequence, Term
from whoosh.reading import IndexReader

from asan.search.analysis import analyze, exact_form, loose_form
from asan.search.querytext import Clause, ClauseKind
from asan.search.whoosh_engine.schema import BODY_EXACT, BODY_LOOSE, TITLE_EXACT, TITLE_LOOSE

EXACT_BOOST: Final = 2.0
TITLE_BOOST: Final = 1.5
FUZZY_BOOST: Final = 0.3
PREFIX_BOOST: Final = 0.8
MIN_FUZZY_LETTERS: Final = 5
FUZZY_WHEN_RARER_THAN: Final = 5  # documents holding the word as typed
MAX_FUZZY_TERMS: Final = 16
MAX_PREFIX_TERMS: Final = 48
MAX_PREFIX_SCAN: Final = 2_000
PREFIX_BACKOFF: Final = 3  # "vətəndaşl*" also finds the stem "vətəndaş"

_FIELDS: Final = (
    (TITLE_EXACT, "exact", EXACT_BOOST * TITLE_BOOST),
    (BODY_EXACT, "exact", EXACT_BOOST),
    (TITLE_LOOSE, "loose", TITLE_BOOST),
    (BODY_LOOSE, "loose", 1.0),
)


def _terms(field: str, texts: list[str], boost: float) -> Query:
    if len(texts) == 1:
        return Term(field, texts[0], boost=boost)
    return Or([Term(field, text) for text in texts], boost=boost)


def _near(reader: IndexReader, word: str, stems: list[str]) -> list[str]:
    """Loose title and body terms one edit from the word's stem, looked up only for a word of 5+
    letters that is rare in the index (a typo is; a common word needs no neighbours, and
    the edit-distance walk of the lexicon is the costliest step of a query)."""
    if len(loose_form(word)) < MIN_FUZZY_LETTERS:
        return []
    fields = (TITLE_LOOSE, BODY_LOOSE)
    if sum(reader.doc_frequency(f, s) for f in fields for s in stems) >= FUZZY_WHEN_RARER_THAN:
        return []
    found: dict[str, None] = {}
    for field in fields:
        for term in islice(reader.terms_within(field, stems[0], 1, prefix=1), MAX_FUZZY_TERMS):
            if term not in stems:
                found[term] = None
    return list(found)[:MAX_FUZZY_TERMS]


def _word(reader: IndexReader, word: str) -> Query | None:
    parts: list[Query] = []
    near: list[str] | None = None
    for field, form, boost in _FIELDS:
        positions = analyze(word, form)  # type: ignore[arg-type]
        if not positions:
            return None
        stems = positions[0]
        parts.append(_terms(field, stems, boost))
        if form == "loose":
            if near is None:
                near = _near(reader, word, stems)
            parts.extend(Term(field, t, boost=boost * FUZZY_BOOST) for t in near)
    return Or(parts)


def _prefix_terms(reader: IndexReader, field: str, prefix: str) -> list[str]:
    decode = reader.schema[field].from_bytes
    scanned = islice(reader.expand_prefix(field, prefix), MAX_PREFIX_SCAN)
    found = [decode(b) for b in scanned]
    best = heapq.nlargest(MAX_PREFIX_TERMS, found, key=lambda t: reader.doc_frequency(field, t))
    for cut in range(1, PREFIX_BACKOFF + 1):
        shorter = prefix[:-cut]
        if len(shorter) >= 3 and shorter not in best and reader.doc_frequency(field, shorter):
            best.append(shorter)
    return best


def _prefix(reader: IndexReader, word: str) -> Query | None:
    parts: list[Query] = []
    for field, form, boost in _FIELDS:
        prefix = exact_form(word) if form == "exact" else loose_form(word)
        texts = _prefix_terms(reader, field, prefix)
        if texts:
            parts.append(Or([Term(field, t) for t in texts], boost=boost * PREFIX_BOOST))
    return Or(parts) if parts else NullQuery


def _phrase(text: str) -> Query | None:
    parts: list[Query] = []
    for field, form, boost in _FIELDS:
        positions = analyze(text, form)  # type: ignore[arg-type]
        if not positions:
            return None
        steps = [_terms(field, alternatives, 1.0) for alternatives in positions]
        parts.append(steps[0] if len(steps) == 1 else Sequence(steps, boost=boost))
    return Or(parts)


def compile_clauses(reader: IndexReader, clauses: tuple[Clause, ...]) -> Query | None:
    """All clauses must match; ``None`` when none of them leaves a term to look for."""
    compiled: list[Query] = []
    for clause in clauses:
        if clause.kind is ClauseKind.WORD:
            query = _word(reader, clause.text)
        elif clause.kind is ClauseKind.PREFIX:
            query = _prefix(reader, clause.text)
        else:
            query = _phrase(clause.text)
        if query is not None:
            compiled.append(query)
    if not compiled:
        return None
    return compiled[0] if len(compiled) == 1 else And(compiled)
