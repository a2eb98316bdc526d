"""Azerbaijani-aware text handling: NFC normalisation, validation, case folding.

``str.lower`` maps "I" to "i" and "İ" to "i̇" (with a combining dot); Azerbaijani needs
"I" -> "ı" and "İ" -> "i". Everything that compares or indexes text goes through ``fold``.
"""

from __future__ import annotations

import unicodedata

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


def clean(
    value: str, field: str, *, max_length: int, multiline: bool = False, required: bool = True
) -> tuple[str, FieldError | None]:
    """Normalise one input string; returns it with the error (naming the field) if any."""
    text = normalize(value)
    if required and not text:
        return text, FieldError(field, "boş ola bilməz / must not be empty")
    if len(text) > max_length:
        return text, FieldError(
            field, f"{max_length} simvoldan uzundur / longer than {max_length} characters"
        )
    if has_control_chars(text, allow_newlines=multiline):
        return text, FieldError(field, "idarəetmə simvolları var / contains control characters")
    return text, None
