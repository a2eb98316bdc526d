"""Whether two appeals are on the same matter: similarity of their subjects' word stems.

Azerbaijani is agglutinative ("pensiya", "pensiyanın", "pensiyamı" are one word with different
endings), so words are folded (``asan.core.text.fold``: İ/ı-aware, case-insensitive) and cut to
a stem of ``STEM`` letters before comparing; short function words are dropped. The score is the
Jaccard index of the two stem sets, 0..1.
"""

from __future__ import annotations

import re

from asan.core.text import fold

STEM = 5
MIN_WORD = 3
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# frequent words that say nothing about the matter
_STOP = frozenset(
    {
        "və",
        "ilə",
        "üçün",
        "barədə",
        "haqqında",
        "olan",
        "olaraq",
        "bu",
        "ki",
        "da",
        "də",
        "mən",
        "məni",
        "mənim",
        "xahiş",
        "edirəm",
        "müraciət",
        "müraciəti",
        "etmək",
        "edilməsi",
    }
)


def stems(text: str) -> frozenset[str]:
    words = _WORD.findall(fold(text))
    return frozenset(w[:STEM] for w in words if len(w) >= MIN_WORD and w not in _STOP)


def similarity(a: str, b: str) -> float:
    left, right = stems(a), stems(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)
