"""The pages' languages: Azerbaijani (default), English and Russian.

The language is the URL's first segment (``/az/...``, ``/en/...``, ``/ru/...``), so a shared
link opens in the language it was copied in. Messages live in ``messages/<lang>.json``, one
flat key -> text map per language; a test checks that every language has every key.
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


@cache
def catalog(lang: Lang) -> dict[str, str]:
    data = json.loads((MESSAGES / f"{lang}.json").read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"messages/{lang}.json is not a key -> text map")
    return {str(k): str(v) for k, v in data.items()}


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
