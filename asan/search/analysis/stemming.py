"""Light, conservative suffix stripping for Azerbaijani nouns.

A noun takes at most a plural, a possessive and a case ending, in that order
("vətəndaş-lar-ın", "müraciət-lər-ə", "sənəd-lər-i-ndə"). The chains are generated from
those three slots with the buffer consonants (y, n, s) vowel-final stems take, and kept only
when their vowels agree in backness (vowel harmony), so nonsense endings are never stripped.

Conservative by design, because a wrong cut merges unrelated words and no ranking undoes it:
- the longest matching chain is removed, then again only for an ending of an earlier slot
  (a possessive or plural left before a case), never twice the same slot;
- a chain starting with a vowel needs a consonant before it and leaves at least 4 letters;
  a bare ı/i/u/ü leaves at least 5; a bare a/ə (dative) is never stripped, since many
  nouns end in a/ə ("ərizə", "dövriyyə", "icra"): typo tolerance covers "müraciətə";
- a chain starting with a buffer consonant (y, n, s) needs a vowel before it;
- every stem keeps at least 3 letters (2 before a plural: "iş-lər"), so short words ("ad",
  "evdə") are left alone; the instrumental "-la/-lə" only follows a consonant.
The same rules run on the loose form (chains mapped through ``loose_form``), so index and
query agree whichever way a word is typed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import product
from typing import Final

from asan.search.analysis.folding import loose_form

MIN_STEM: Final = 3
MIN_STEM_BEFORE_PLURAL: Final = 2  # "iş-lər", "ad-lar"
MIN_STEM_AFTER_VOWEL_SUFFIX: Final = 4
MIN_STEM_AFTER_BARE_VOWEL: Final = 5
MAX_ROUNDS: Final = 3

PLURAL: Final = 0
POSSESSIVE: Final = 1
CASE: Final = 2

_BACK: Final = frozenset("aıou")
_FRONT: Final = frozenset("əeiöü")
_VOWELS: Final = _BACK | _FRONT
_LOOSE_VOWELS: Final = frozenset("aeiou")
_BUFFERS: Final = frozenset("yns")

_PLURAL: Final = ("lar", "lər")
# Possessives ending in a consonant (1st/2nd person) and in a vowel (3rd person), after a
# consonant-final stem; the "s"/"m"/"n" variants follow a vowel-final one.
_POSS_CONS_AFTER_CONS: Final = (
    "ım", "im", "um", "üm", "ın", "in", "un", "ün",
    "ımız", "imiz", "umuz", "ümüz", "ınız", "iniz", "unuz", "ünüz",
)  # fmt: skip
_POSS_CONS_AFTER_VOWEL: Final = (
    "mız", "miz", "muz", "müz", "nız", "niz", "nuz", "nüz",
)  # fmt: skip
_POSS3_AFTER_CONS: Final = ("ı", "i", "u", "ü")
_POSS3_AFTER_VOWEL: Final = ("sı", "si", "su", "sü")
_CASE_AFTER_CONS: Final = (
    "ın", "in", "un", "ün", "a", "ə", "ı", "i", "u", "ü",
    "da", "də", "dan", "dən", "la", "lə",
)  # fmt: skip
_CASE_AFTER_VOWEL: Final = (
    "nın", "nin", "nun", "nün", "ya", "yə", "nı", "ni", "nu", "nü",
    "da", "də", "dan", "dən", "yla", "ylə",
)  # fmt: skip
_CASE_AFTER_POSS3: Final = (
    "nın", "nin", "nun", "nün", "na", "nə", "nı", "ni", "nu", "nü",
    "nda", "ndə", "ndan", "ndən", "yla", "ylə",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Chain:
    """One ending and what the stem before it must look like."""

    text: str
    needs_vowel_before: bool
    min_stem: int
    needs_consonant_before: bool = False
    first_slot: int = CASE
    last_slot: int = CASE


def _harmonic(text: str) -> bool:
    vowels = {ch for ch in text if ch in _VOWELS}
    return vowels <= _BACK or vowels <= _FRONT


def _endings() -> set[tuple[str, ...]]:
    """Every plural/possessive/case sequence, as its segments."""
    out: set[tuple[str, ...]] = set()
    cases_after_cons = [(c,) for c in _CASE_AFTER_CONS]
    for case in _CASE_AFTER_CONS + _CASE_AFTER_VOWEL:
        out.add((case,))
    for poss in _POSS_CONS_AFTER_CONS + _POSS_CONS_AFTER_VOWEL + _POSS3_AFTER_CONS:
        out.add((poss,))
    for poss in _POSS3_AFTER_VOWEL:
        out.add((poss,))
    for poss3 in _POSS3_AFTER_CONS + _POSS3_AFTER_VOWEL:
        out.update((poss3, case) for case in _CASE_AFTER_POSS3)
    for poss in _POSS_CONS_AFTER_CONS + _POSS_CONS_AFTER_VOWEL:
        out.update((poss, *case) for case in cases_after_cons)
    for plural in _PLURAL:
        out.add((plural,))
        out.update((plural, *case) for case in cases_after_cons)
        out.update((plural, poss) for poss in _POSS_CONS_AFTER_CONS + _POSS3_AFTER_CONS)
        for poss, case in product(_POSS_CONS_AFTER_CONS, _CASE_AFTER_CONS):
            out.add((plural, poss, case))
        for poss3, case in product(_POSS3_AFTER_CONS, _CASE_AFTER_POSS3):
            out.add((plural, poss3, case))
    return out


def _slot(segment: str) -> int:
    """The earliest slot a segment can fill ("ın" is a possessive or a genitive: 1)."""
    if segment in _PLURAL:
        return PLURAL
    possessives = (
        _POSS_CONS_AFTER_CONS + _POSS_CONS_AFTER_VOWEL + _POSS3_AFTER_CONS + _POSS3_AFTER_VOWEL
    )
    return POSSESSIVE if segment in possessives else CASE


def _chain(text: str, first: str, vowels: frozenset[str]) -> Chain | None:
    if len(text) == 1 and text in ("a", "ə", "e"):
        return None  # bare dative: never (see the module docstring)
    if first in vowels:
        floor = MIN_STEM_AFTER_BARE_VOWEL if len(text) == 1 else MIN_STEM_AFTER_VOWEL_SUFFIX
        return Chain(text, needs_vowel_before=False, min_stem=floor)
    if text.startswith(("lar", "lər", "ler")):
        return Chain(text, needs_vowel_before=False, min_stem=MIN_STEM_BEFORE_PLURAL)
    instrumental = text in ("la", "lə", "le")  # "-yla/-ylə" after a vowel
    return Chain(
        text,
        needs_vowel_before=first in _BUFFERS,
        min_stem=MIN_STEM,
        needs_consonant_before=instrumental,
    )


@lru_cache(maxsize=2)
def chains(loose: bool) -> tuple[Chain, ...]:
    """The endings this stemmer strips, longest first (exact or loose spelling)."""
    found: dict[str, Chain] = {}
    vowels = _LOOSE_VOWELS if loose else _VOWELS
    for segments in _endings():
        exact = "".join(segments)
        if not _harmonic(exact):
            continue
        text = loose_form(exact) if loose else exact
        chain = _chain(text, text[0], vowels)
        if chain is None:
            continue
        first, last = _slot(segments[0]), max(_slot(s) for s in segments)
        previous = found.get(text)
        if previous is not None:
            # Two sources of one spelling: keep the stricter conditions (fewer wrong cuts).
            if previous.min_stem > chain.min_stem:
                chain = previous
            first = min(first, previous.first_slot)
            last = max(last, previous.last_slot)
        found[text] = replace(chain, first_slot=first, last_slot=last)
    return tuple(sorted(found.values(), key=lambda c: (-len(c.text), c.text)))


@lru_cache(maxsize=2)
def _by_last_letter(loose: bool) -> dict[str, tuple[Chain, ...]]:
    """``chains`` grouped by their last letter (longest first), so a word is compared with
    the few endings it can have."""
    grouped: dict[str, list[Chain]] = {}
    for chain in chains(loose):
        grouped.setdefault(chain.text[-1], []).append(chain)
    return {letter: tuple(group) for letter, group in grouped.items()}


def _cuts(word: str, loose: bool, before: int = CASE + 1) -> list[tuple[Chain, str]]:
    """Every ending that may be removed from ``word``, longest first, with the stem left;
    only endings of slots before ``before`` (what an earlier cut left can only end in a
    plural or possessive)."""
    vowels = _LOOSE_VOWELS if loose else _VOWELS
    found: list[tuple[Chain, str]] = []
    for chain in _by_last_letter(loose).get(word[-1], ()):
        if chain.last_slot >= before or not word.endswith(chain.text):
            continue
        stem = word[: -len(chain.text)]
        if len(stem) < chain.min_stem:
            continue
        ends_in_vowel = stem[-1] in vowels
        vowel_initial = chain.text[0] in vowels
        # Vowel-initial endings follow consonants; buffer-initial ones (y, n, s) follow
        # vowels; "lar", "da", "dan", "la" follow either.
        if (vowel_initial or chain.needs_consonant_before) and ends_in_vowel:
            continue
        if chain.needs_vowel_before and not ends_in_vowel:
            continue
        found.append((chain, _restore_consonant(stem, loose) if vowel_initial else stem))
    return found


def _restore_consonant(stem: str, loose: bool) -> str:
    """k/q that turned into y/ğ before a vowel ("agentliyi" -> "agentlik", "ayağı" -> "ayaq")."""
    if len(stem) < MIN_STEM_AFTER_BARE_VOWEL or stem[-2] not in _VOWELS:
        return stem
    if stem[-1] == "y":
        return stem[:-1] + "k"
    if stem[-1] == ("g" if loose else "ğ"):
        return stem[:-1] + "q"
    return stem


def _reduce(word: str, loose: bool, before: int) -> str:
    """The longest cut, repeated while one of an earlier slot applies."""
    current = word
    for _ in range(MAX_ROUNDS):
        cuts = _cuts(current, loose, before)
        if not cuts:
            break
        chain, current = cuts[0]
        before = chain.first_slot
    return current


@lru_cache(maxsize=65536)
def stems(word: str, *, loose: bool = False) -> tuple[str, ...]:
    """The stem of an already folded word, and a second reading when the ending is ambiguous.

    ``word`` is an ``exact_form`` (or, with ``loose``, a ``loose_form``). "qanunun" is
    "qanun" + "un" but "Bakının" is "Bakı" + "nın": without a dictionary both readings are
    kept (the longest ending's first), indexed at the same position, and a query matches
    either. Words of ``MIN_STEM`` letters or fewer and words with digits stay whole.
    """
    if len(word) <= MIN_STEM or not word.isalpha():
        return (word,)
    cuts = _cuts(word, loose)
    if not cuts:
        return (word,)
    first_chain, first_stem = cuts[0]
    readings = [_reduce(first_stem, loose, first_chain.first_slot)]
    vowel_first = first_chain.text[0] in (_LOOSE_VOWELS if loose else _VOWELS)
    for chain, other in cuts[1:]:
        if (chain.text[0] in (_LOOSE_VOWELS if loose else _VOWELS)) != vowel_first:
            alternative = _reduce(other, loose, chain.first_slot)
            if alternative not in readings:
                readings.append(alternative)
            break
    if len(readings[0]) <= MIN_STEM:
        readings.append(word)  # "qayda" may be "qay-da" or a word: keep both readings
    return tuple(readings)


def stem(word: str, *, loose: bool = False) -> str:
    """The main stem of an already folded word (see ``stems``); never empty."""
    return stems(word, loose=loose)[0]
