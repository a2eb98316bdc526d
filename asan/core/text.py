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
