"""What a user typed into the search box, as clauses any engine can run.

Forgiving on purpose: an unclosed quote quotes nothing, lone wildcards and punctuation are
ignored, stop words are dropped. Refused with a user message: over-long text, control
characters and more words than a query may hold (each word costs a few index lookups).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Final

from asan.core.text import has_control_chars, has_lone_surrogate
from asan.search.analysis import is_stop_word, loose_form
from asan.search.analysis.analyzer import WORD
from asan.search.engine import MAX_QUERY_CHARS, QueryRejected

MAX_CLAUSES: Final = 24
MIN_PREFIX: Final = 2
_QUOTES: Final = re.compile(r"[\"“”„«»]")
_WORD_OR_PREFIX: Final = re.compile("(" + WORD.pattern + r")(\*?)")


class ClauseKind(Enum):
    WORD = "word"
    PHRASE = "phrase"
    PREFIX = "prefix"


@dataclass(frozen=True, slots=True)
class Clause:
    kind: ClauseKind
    text: str  # as typed (a prefix without its "*"); engines analyse it themselves


def _words(segment: str) -> list[Clause]:
    out: list[Clause] = []
    for match in _WORD_OR_PREFIX.finditer(segment):
        word, star = match.group(1), match.group(2)
        if star:
            if len(loose_form(word)) >= MIN_PREFIX:
                out.append(Clause(ClauseKind.PREFIX, word))
        elif not is_stop_word(word):
            out.append(Clause(ClauseKind.WORD, word))
    return out


def parse(text: str) -> tuple[Clause, ...]:
    """The clauses of ``text`` (all must match); empty when nothing searchable is left.

    Raises ``QueryRejected`` for text no search should run.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryRejected(
            f"sorğu {MAX_QUERY_CHARS} simvoldan uzundur / "
            f"the query is longer than {MAX_QUERY_CHARS} characters"
        )
    if has_lone_surrogate(text) or has_control_chars(text, allow_newlines=True):
        raise QueryRejected(
            "sorğuda idarəetmə simvolları var / the query contains control characters"
        )
    parts = _QUOTES.split(text)
    if len(parts) % 2 == 0:  # an unclosed quote: its text is searched as words
        parts[-2:] = [parts[-2] + " " + parts[-1]]
    clauses: list[Clause] = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            clauses.extend(_words(part))
            continue
        words = [w for w in WORD.findall(part) if not is_stop_word(w)]
        if len(words) > 1:
            clauses.append(Clause(ClauseKind.PHRASE, part.strip()))
        elif words:
            clauses.append(Clause(ClauseKind.WORD, words[0]))
    if len(clauses) > MAX_CLAUSES:
        raise QueryRejected(
            f"sorğuda {MAX_CLAUSES} sözdən çox var / the query has more than {MAX_CLAUSES} words"
        )
    return tuple(clauses)
