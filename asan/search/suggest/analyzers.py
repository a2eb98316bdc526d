"""The field sets the suggestion can index clauses with, by name, so that the evaluation
compares them in one run. A field set is one or more (field, analyzer, boost): a clause is
indexed in every field and an appeal's words are looked up in every field, ORed.

- ``azerbaijani``: S1's analyzer (``asan.search.analysis``), the one the search index uses:
  an ``exact`` field (Azerbaijani letters kept) boosted over a ``loose`` field (as typed
  without them), both with its light suffix stemming;
- ``prefix``: Azerbaijani folding without its letters (``search_fold``: "seyyar" = "səyyar"),
  a few stop words, then every word cut to its first ``PREFIX`` letters. Prefix truncation is
  the classic crude stemmer for agglutinative languages (Turkish IR studies found 5-letter
  prefixes about as good as a real stemmer): "müraciətlərə", "müraciətin" and "muracietleri"
  all become "murac";
- ``prefix-lv``: ``prefix`` without the light verbs (``LIGHT_VERBS``): Azerbaijani builds
  most verbs from a noun and "etmək"/"edilmək"/"olmaq" ("təmin etmək", "həyata keçirilməsi
  təmin edilir", "təsdiq olunmuş"), so their forms carry no meaning of their own, and cut to
  5 letters they collide across tenses ("etmədi", did not, = "etmədən", without);
- ``hybrid``: ``azerbaijani`` and ``prefix``, every field ORed;
- ``standard``: Whoosh's ``StandardAnalyzer`` (the issue's baseline): ``str.lower``, no
  stemming and no Azerbaijani letters handling.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from whoosh.analysis import Analyzer, Filter, RegexTokenizer, StandardAnalyzer

from asan.core.text import search_fold
from asan.search.analysis import azerbaijani_analyzer

PREFIX = 5
EXACT_BOOST = 1.5

# Folded (search_fold) function words of appeals and regulations for the ``prefix`` fields;
# matching them says nothing about competence.
STOP_WORDS = frozenset(
    """
    ve ile ucun bu o bir da de ki ne ya yoxsa hele amma cox hec men biz siz sen onlar niye
    nece olar var yox uzre kimi qeder artiq hem yaxud habele ise eger ona onun bizim sizin
    mene menim size sizi her hansi kim salam zehmet edin edirem isteyirem
    """.split()
)


# Folded beginnings of the auxiliary ("light") verbs etmək, edilmək, olmaq, olunmaq.
LIGHT_VERBS = ("etm", "edil", "edir", "olun", "olma", "oldu", "olacaq", "olar")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    analyzer: Analyzer
    boost: float = 1.0


class _FoldStopPrefix(Filter):  # type: ignore[misc]  # whoosh ships no type information
    """search_fold, drop stop words and one-letter tokens (and with ``light_verbs`` the
    auxiliary verbs), keep the first ``size`` letters."""

    def __init__(self, size: int, light_verbs: bool = False) -> None:
        self.size = size
        self.dropped: tuple[str, ...] = LIGHT_VERBS if light_verbs else ()

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for token in tokens:
            text = search_fold(token.text)
            if len(text) < 2 or text in STOP_WORDS or text.startswith(self.dropped):
                continue
            token.text = text[: self.size]
            yield token


def prefix_analyzer(size: int = PREFIX, *, light_verbs: bool = False) -> Analyzer:
    return RegexTokenizer(r"\w+") | _FoldStopPrefix(size, light_verbs)


def standard_analyzer() -> Analyzer:
    return StandardAnalyzer()


FIELD_SETS = ("azerbaijani", "prefix", "prefix-lv", "hybrid", "standard")


def field_set(name: str, *, exact_boost: float = EXACT_BOOST) -> tuple[FieldSpec, ...]:
    if name == "azerbaijani":
        return (
            FieldSpec("exact", azerbaijani_analyzer("exact"), exact_boost),
            FieldSpec("loose", azerbaijani_analyzer("loose"), 1.0),
        )
    if name == "prefix":
        return (FieldSpec("prefix", prefix_analyzer()),)
    if name == "prefix-lv":
        return (FieldSpec("prefix", prefix_analyzer(light_verbs=True)),)
    if name == "hybrid":
        return (*field_set("azerbaijani", exact_boost=exact_boost), *field_set("prefix"))
    if name == "standard":
        return (FieldSpec("standard", standard_analyzer()),)
    raise LookupError(f"unknown field set {name!r}; known: {', '.join(FIELD_SETS)}")
