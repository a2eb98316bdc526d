"""The two forms every Azerbaijani word is indexed under.

The exact form keeps the Azerbaijani letters and only folds case the Turkic way (İ -> i,
I -> ı), so "İcra" and "ICRA" meet but "seyyar" and "səyyar" do not. The loose form is what
someone without an Azerbaijani keyboard types (ə -> e, ı -> i, ş -> s, ç -> c, ğ -> g,
ö -> o, ü -> u): never ə -> a, which generic ASCII folding does and which nobody types.
Both reuse ``asan.core.text`` so the index and the registry's lookups agree.
"""

from __future__ import annotations

import unicodedata
from typing import Final

from asan.core.text import fold, search_fold

# Apostrophes that join a suffix to a name or abbreviation ("ASAN'ın", "Bakı’da").
APOSTROPHES: Final = frozenset("'’ʼ`´")


def exact_form(word: str) -> str:
    """Turkic case folding only: the form an exact spelling is matched by."""
    return fold(word)


def loose_form(word: str) -> str:
    """Case- and diacritic-free form: ``loose_form("Səyyar") == loose_form("seyyar")``."""
    return search_fold(word)


def nfc(text: str) -> str:
    """NFC without trimming, so character offsets of highlights stay those of the stored text."""
    return unicodedata.normalize("NFC", text)


def without_apostrophe_suffix(word: str) -> str:
    """ "ASAN'ın" -> "ASAN": what follows an apostrophe is a case ending, never a new word."""
    for index, ch in enumerate(word):
        if ch in APOSTROPHES:
            return word[:index]
    return word
