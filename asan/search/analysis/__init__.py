"""Azerbaijani text analysis for the search index (issue 12, point 1).

- ``azerbaijani_analyzer(form)``: the Whoosh analyzer of a field, ``"exact"`` (Turkic case
  folding, Azerbaijani letters kept) or ``"loose"`` (as typed without them);
- ``exact_form(word)``, ``loose_form(word)``: the two spellings a word is indexed under;
- ``stem(word, loose=)``, ``stems(...)``: light suffix stripping of a folded word;
- ``analyze(text, form)``: the terms a text yields, by position;
- ``is_stop_word(word)``, ``STOP_WORDS``.
See docs/search-analyzer.md.
"""

from asan.search.analysis.analyzer import (
    AzerbaijaniFilter,
    AzerbaijaniTokenizer,
    Form,
    analyze,
    azerbaijani_analyzer,
)
from asan.search.analysis.folding import exact_form, loose_form
from asan.search.analysis.stemming import stem, stems
from asan.search.analysis.stopwords import STOP_WORDS, is_stop_word

__all__ = [
    "STOP_WORDS",
    "AzerbaijaniFilter",
    "AzerbaijaniTokenizer",
    "Form",
    "analyze",
    "azerbaijani_analyzer",
    "exact_form",
    "is_stop_word",
    "loose_form",
    "stem",
    "stems",
]
