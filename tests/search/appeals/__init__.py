"""The labelled sample appeals (appeals.yaml) and their forms typed without Azerbaijani letters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

SOURCE = Path(__file__).with_name("appeals.yaml")

# What a Latin keyboard leaves of Azerbaijani letters (the substitutions; "I" for "İ").
_LATIN_KEYBOARD = str.maketrans(
    {
        "ə": "e", "Ə": "E", "ı": "i", "İ": "I", "ş": "s", "Ş": "S", "ç": "c", "Ç": "C",
        "ğ": "g", "Ğ": "G", "ö": "o", "Ö": "O", "ü": "u", "Ü": "U",
    }
)  # fmt: skip
AZERBAIJANI_LETTERS = frozenset("əƏıİşŞçÇğĞöÖüÜ")


def typed_without_letters(text: str) -> str:
    return text.translate(_LATIN_KEYBOARD)


@dataclass(frozen=True)
class Appeal:
    id: str
    text: str  # as written
    plain: str  # the same appeal typed without Azerbaijani letters
    units: tuple[str, ...]  # competent units, the most specific first
    clauses: tuple[str, ...]  # REG-<unit>:<number> keys that make them competent
    note: str


def load() -> list[Appeal]:
    rows = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    return [
        Appeal(
            id=row["id"],
            text=row["text"],
            plain=row.get("plain") or typed_without_letters(row["text"]),
            units=tuple(row["units"]),
            clauses=tuple(row["clauses"]),
            note=row.get("note", ""),
        )
        for row in rows
    ]
