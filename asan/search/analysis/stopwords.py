"""A small list of Azerbaijani function words that carry no meaning in a search.

Kept small on purpose: every word removed here can never be searched for. Stored in the
loose form, so "ve" typed without the letters is dropped just like "və". The ordinal endings
("2013-cü") stand alone once the hyphen splits them, and mean nothing alone.
"""

from __future__ import annotations

from typing import Final

from asan.search.analysis.folding import loose_form

_WORDS: Final = """
və ilə üçün da də ki bu o bir hər ya yaxud həm isə əgər amma lakin ancaq kimi qədər görə
sonra əvvəl habelə həmçinin eləcə onun onların həmin belə digər yalnız ən nə bunun buna
bundan onu ona ondan olan olaraq etibarən üzrə tərəfindən barədə
cı ci cu cü ncı nci ncu ncü
"""

STOP_WORDS: Final = frozenset(loose_form(word) for word in _WORDS.split())


def is_stop_word(word: str) -> bool:
    """``word`` in any spelling (exact or loose, any case)."""
    return loose_form(word) in STOP_WORDS
