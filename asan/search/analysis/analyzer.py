"""The Whoosh analyzer for Azerbaijani text: tokenizer and one filter doing the rest.

Whoosh's own pieces are wrong for Azerbaijani: ``LowercaseFilter`` is ``str.lower`` ("İ"
becomes "i" plus a combining dot, "I" becomes "i" instead of "ı"), ``LanguageAnalyzer("tr")``
silently runs without a stemmer, Snowball's Turkish stemmer knows neither "ə" nor "-lər/-də",
and ASCII folding turns "ə" into "a". So the analyzer is a tokenizer of letter/digit runs
(NFC first, so decomposed "ş" stays one letter) followed by ``AzerbaijaniFilter``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, Final, Literal

from whoosh.analysis import Composable, Filter, Token, Tokenizer

from asan.search.analysis.folding import (
    exact_form,
    loose_form,
    nfc,
    without_apostrophe_suffix,
)
from asan.search.analysis.stemming import stems
from asan.search.analysis.stopwords import STOP_WORDS

Form = Literal["exact", "loose"]

# Letters and digits; an apostrophe inside a word stays in it (its suffix is dropped later);
# hyphens, quotes and every other sign separate words ("2013-cü", "sosial-iqtisadi").
WORD: Final = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")
MAX_TOKEN_CHARS: Final = 64


class AzerbaijaniTokenizer(Tokenizer):  # type: ignore[misc]
    """Letter and digit runs of the NFC text, with character offsets into that text."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        for pos, match in enumerate(WORD.finditer(nfc(value)), start=start_pos):
            token.text = match.group()
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = token.text
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


@lru_cache(maxsize=262_144)
def terms_of(word: str, form: Form, stem: bool) -> tuple[str, ...]:
    """The index terms of one token (cached: a text repeats its words); none for a stop word
    or a word too long to be one. Stop words go even with Whoosh's ``removestops=False``
    (the highlighter's), since they are never indexed."""
    word = without_apostrophe_suffix(word)
    if not word or len(word) > MAX_TOKEN_CHARS:
        return ()
    plain = loose_form(word)
    if plain in STOP_WORDS:
        return ()
    loose = form == "loose"
    folded = plain if loose else exact_form(word)
    return stems(folded, loose=loose) if stem else (folded,)


class AzerbaijaniFilter(Filter):  # type: ignore[misc]
    """Folds, drops stop words, stems, and emits the exact or the loose form.

    Stop words are removed with the positions closed up (a phrase typed without "və" still
    matches); an ambiguous ending yields a second stem at the same position (see
    ``stemming.stems``). ``stem=False`` keeps whole words (prefix expansion uses that).
    """

    def __init__(self, form: Form = "exact", *, stem: bool = True) -> None:
        self.form: Form = form
        self.stem = stem

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, AzerbaijaniFilter)
            and other.form == self.form
            and other.stem == self.stem
        )

    def __hash__(self) -> int:
        return hash((self.form, self.stem))

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        shift = 0
        for token in tokens:
            forms = terms_of(token.text, self.form, self.stem)
            if not forms:
                shift += 1
                continue
            if token.positions:
                token.pos -= shift
            for text in forms:
                token.text = text
                yield token


def azerbaijani_analyzer(form: Form = "exact", *, stem: bool = True) -> Composable:
    """The analyzer of one field: ``form="exact"`` keeps Azerbaijani letters, ``"loose"``
    matches text typed without them. Index both fields of a text and query both, with a
    boost on the exact one, so exact spellings rank higher (see docs/search-analyzer.md)."""
    return AzerbaijaniTokenizer() | AzerbaijaniFilter(form, stem=stem)


def analyze(text: str, form: Form = "exact", *, stem: bool = True) -> list[list[str]]:
    """The terms of ``text`` grouped by position: ``[["vətəndaş"], ["qanu", "qanun"]]``."""
    out: list[list[str]] = []
    last = -1
    for token in azerbaijani_analyzer(form, stem=stem)(text, positions=True):
        if token.pos != last:
            out.append([])
            last = token.pos
        out[-1].append(token.text)
    return out
