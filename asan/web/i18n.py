"""The pages' languages: Azerbaijani (default), English and Russian.

The language is the URL's first segment (``/az/...``, ``/en/...``, ``/ru/...``), so a shared
link opens in the language it was copied in. Messages live in ``messages/<lang>.json`` and in
``messages/<part>/<lang>.json`` (one folder per part of the interface, so parts do not edit one
shared file), each a flat key -> text map; a key defined twice is an error, and a test checks
that every language has every key.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Final, Literal

Lang = Literal["az", "en", "ru"]
LANGS: Final[tuple[Lang, ...]] = ("az", "en", "ru")
DEFAULT_LANG: Final[Lang] = "az"
MESSAGES: Final = Path(__file__).parent / "messages"


def message_files(lang: Lang) -> list[Path]:
    """The top-level file of ``lang`` and each part's, in a stable order."""
    return [MESSAGES / f"{lang}.json", *sorted(MESSAGES.glob(f"*/{lang}.json"))]


@cache
def catalog(lang: Lang) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in message_files(lang):
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError(f"{path.relative_to(MESSAGES)} is not a key -> text map")
        for key, text in data.items():
            if key in merged:
                raise ValueError(f"message {key!r} is defined twice ({path.relative_to(MESSAGES)})")
            merged[str(key)] = str(text)
    return merged


def lang_of(value: str | None) -> Lang:
    for lang in LANGS:
        if value == lang:
            return lang
    return DEFAULT_LANG


def translate(lang: Lang, key: str, **values: object) -> str:
    """The text of ``key`` in ``lang`` (the Azerbaijani text when missing there, the key
    itself when missing everywhere, so a gap shows instead of failing the page)."""
    text = catalog(lang).get(key) or catalog(DEFAULT_LANG).get(key) or key
    return text.format(**values) if values else text
