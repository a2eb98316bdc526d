"""Azerbaijani-aware text handling: NFC normalisation, validation, case folding.

``str.lower`` maps "I" to "i" and "İ" to "i̇" (with a combining dot); Azerbaijani needs
"I" -> "ı" and "İ" -> "i". Everything that compares or indexes text goes through ``fold``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from typing import Final

from asan.core.errors import FieldError

_UPPER_TO_LOWER = str.maketrans({"I": "ı", "İ": "i"})
_LOWER_TO_UPPER = str.maketrans({"i": "İ", "ı": "I"})


def normalize(text: str) -> str:
    """NFC and trimmed: the form every stored string takes."""
    return unicodedata.normalize("NFC", text).strip()


def az_lower(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(_UPPER_TO_LOWER).lower()


def az_upper(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(_LOWER_TO_UPPER).upper()


def fold(text: str) -> str:
    """Case-insensitive comparison key for Azerbaijani text."""
    return az_lower(normalize(text))


def has_control_chars(text: str, *, allow_newlines: bool = False) -> bool:
    allowed = {"\n", "\r", "\t"} if allow_newlines else set()
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


# Invisible characters that make a name display as something other than what it holds: bidi
# embeddings/overrides/isolates and marks reorder text ("Trojan Source" spoofing of names in
# lists and exports); zero-width characters make two identical-looking names different keys.
# Azerbaijani (Latin) needs none of them, ZWNJ included.
BIDI_CONTROLS: Final = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
ZERO_WIDTH: Final = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_INVISIBLE: Final = BIDI_CONTROLS | ZERO_WIDTH


def has_invisible_chars(text: str) -> bool:
    """Bidi controls or zero-width characters (see ``BIDI_CONTROLS``, ``ZERO_WIDTH``)."""
    return not _INVISIBLE.isdisjoint(text)


def has_lone_surrogate(text: str) -> bool:
    """A UTF-16 surrogate code point: not text, and Neo4j's driver cannot encode it."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def clean(
    value: str, field: str, *, max_length: int, multiline: bool = False, required: bool = True
) -> tuple[str, FieldError | None]:
    """Normalise one input string; returns it with the error (naming the field) if any.

    Lone surrogates are refused before normalising (NFC of such a string is meaningless and
    anything that encodes it as UTF-8 fails later, far from the field that carried it).
    """
    if has_lone_surrogate(value):
        return "", FieldError(
            field, "yanlış mətn (tək surrogat simvol) / invalid text (lone surrogate)"
        )
    text = normalize(value)
    if required and not text:
        return text, FieldError(field, "boş ola bilməz / must not be empty")
    if len(text) > max_length:
        return text, FieldError(
            field, f"{max_length} simvoldan uzundur / longer than {max_length} characters"
        )
    if has_control_chars(text, allow_newlines=multiline):
        return text, FieldError(field, "idarəetmə simvolları var / contains control characters")
    if has_invisible_chars(text):
        return text, FieldError(
            field,
            "görünməz istiqamət və ya sıfır enli simvollar var / "
            "contains bidi control or zero-width characters",
        )
    return text, None


def storable_key(text: str, max_chars: int, keep: int = 0) -> str:
    """``text`` as a key Neo4j can store and index, whatever a stranger typed.

    A property over the index's size limit fails the write, and a lone surrogate cannot be
    sent to Neo4j at all; such text becomes its SHA-256, after a readable prefix of ``keep``
    characters where that prefix is itself valid text. Short valid text is kept as it is.
    """
    if len(text) <= max_chars and not has_lone_surrogate(text):
        return text
    digest = "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    prefix = text[:keep]
    return f"{prefix}…{digest}" if prefix and not has_lone_surrogate(prefix) else digest


# ------------------------------------------------------------------ Azerbaijani order and lookup

# The Azerbaijani Latin alphabet in its own order ("x" after "h", "q" after "k"); "w", which
# only foreign names use, sits after "v" as in the Latin alphabet.
AZ_ALPHABET: Final = "abcçdeəfgğhxıijkqlmnoöprsştuüvwyz"
_LETTER_RANK: Final = {letter: rank for rank, letter in enumerate(AZ_ALPHABET)}

# Primary weights, all below U+D800 so that code-point, UTF-16 and UTF-8 orders agree (Neo4j
# compares strings by one of them): space < punctuation and symbols < digits < Azerbaijani
# Latin letters < every other letter (Cyrillic, ...). The separator sorts below all of them,
# so a name sorts before every longer name it starts.
_SEPARATOR: Final = "\x01"
_SPACE: Final = 0x0020
_SYMBOLS: Final = 0x0100  # + min(code point, 0x0EFF)
_DIGITS: Final = 0x1000  # + digit value
_AZ_LETTERS: Final = 0x1100  # + rank in AZ_ALPHABET
_OTHER_LETTERS: Final = 0x2000  # + min(code point, 0xB000)


def _base(ch: str) -> str:
    """A letter without its diacritics (é -> e, ё -> е); Azerbaijani letters stay whole."""
    if ch in _LETTER_RANK:
        return ch
    decomposed = unicodedata.normalize("NFD", ch)
    return decomposed[0] if decomposed else ch


def _weight(ch: str) -> int:
    if ch.isspace():
        return _SPACE
    base = _base(ch)
    if base in _LETTER_RANK:
        return _AZ_LETTERS + _LETTER_RANK[base]
    if base.isdigit():
        return _DIGITS + unicodedata.digit(base, 0)
    if base.isalpha():
        return _OTHER_LETTERS + min(ord(base), 0xB000)
    return _SYMBOLS + min(ord(base), 0x0EFF)


def az_sort_key(text: str) -> str:
    """A string whose code-point order is Azerbaijani alphabetical order of ``text``.

    Stored on nodes (``nameSortKey``) so that Neo4j orders and keyset-pages names the way an
    Azerbaijani reader expects, which code-point order of the names does not ("Dövlət" before
    "Dəfn", "Ə" after "Ü"). Three levels joined by a separator below every weight: letters by
    the alphabet, case- and accent-insensitive (İ/i, I/ı folded the Azerbaijani way); then the
    folded text (accents decide); then the text itself (case decides), so different names never
    share a key and the order is total.
    """
    folded = fold(text)
    primary = "".join(chr(_weight(ch)) for ch in folded)
    return f"{primary}{_SEPARATOR}{folded}{_SEPARATOR}{normalize(text)}"


# What a reader types without an Azerbaijani keyboard: ə as e, ı as i, ç/ğ/ö/ş/ü without marks.
_PLAIN_LETTERS: Final = str.maketrans({"ə": "e", "ı": "i"})


def search_fold(text: str) -> str:
    """Case- and diacritic-free form of ``text`` for lookup (``seyyar`` finds ``səyyar``).

    Azerbaijani folding first (İ -> i, I -> ı), then ə -> e and ı -> i, then every combining
    mark dropped (ç, ğ, ö, ş, ü, é, Russian ё); Russian is lower-cased by the same step.
    Stored texts and typed queries go through this one function, so they always agree.
    """
    plain = fold(text).translate(_PLAIN_LETTERS)
    decomposed = unicodedata.normalize("NFD", plain)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_text(*parts: str | None) -> str:
    """The stored lookup text of a node: its names (az/en/ru) and code, each ``search_fold``-ed.

    Parts are joined by a newline, which no name or query may contain, so a query never
    matches across two names.
    """
    return "\n".join(search_fold(part) for part in parts if part)


def name_keys(*names: str | None, code: str | None = None) -> dict[str, str]:
    """The derived properties every named node stores: ``nameFold``, ``nameSortKey`` and
    ``searchText`` (the first name is the one lists are ordered by)."""
    first = names[0] if names and names[0] else ""
    return {
        "nameFold": fold(first),
        "nameSortKey": az_sort_key(first),
        "searchText": search_text(*names, code),
    }
