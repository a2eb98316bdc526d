"""Everyday words citizens use for what the regulations name otherwise.

An appeal says "sayt", "kobud", "növbə talonu", "spravka", "zarplata"; the regulations say
"internet resursları", "etik davranış qaydaları", "elektron növbə", "arayış", "əmək haqqı".
Each entry maps a citizen's word (matched as the beginning of a folded word of the appeal,
so "saytı", "saytınız", "sayti" all count) to wording taken from the regulations themselves
(a test checks every wording's words occur in the imported clauses). The expansion's terms
join the appeal's with a lower weight (``SYNONYM_WEIGHT``): they add evidence, they never
replace the citizen's words.

The list covers the agency's functions broadly (site and systems, conduct, queues, pay,
staff matters, press, premises, payments), written from the regulations' wording and the
words citizens use, Russian loanwords typed in Latin letters included; it names no unit and
no appeal. See docs/search-suggest.md for how it was measured.
"""

from __future__ import annotations

import re
from typing import Final

from asan.core.text import search_fold

SYNONYM_WEIGHT: Final = 0.5
MIN_KEY: Final = 4  # shorter keys must match a whole word

# (citizen words, regulation wording). Keys are folded (search_fold) at import.
_ENTRIES: Final[tuple[tuple[tuple[str, ...], str], ...]] = (
    # the agency's websites and systems
    (("sayt", "portal", "veb", "web"), "internet saytları internet resursları"),
    (("açılmır", "xəta", "oşibka", "zavis", "donub"), "proqram texniki fasiləsiz iş"),
    (("kompüter", "printer", "skaner"), "kompüter avadanlıqları texniki təminat"),
    (("facebook", "instagram", "telegram", "tiktok"), "sosial şəbəkələr"),
    # conduct of staff, complaints
    (
        ("kobud", "qışqır", "hörmətsiz", "təhqir", "nəzakətsiz", "həyasız"),
        "etik davranış qaydaları nəzakətlik",
    ),
    (("jaloba", "jalob"), "şikayət"),
    (("rüşvət", "vzyatka", "hədiyyə istə"), "korrupsiya hüquqpozmaları"),
    # queues, opening days
    (("ocered", "talon", "sıra"), "elektron növbə vətəndaş axını"),
    (("bayram", "novruz", "şənbə", "istirahət gün"), "təqvimin bütün günlərində"),
    (("zəng", "telefon", "zvonok"), "Çağrı mərkəzi zənglər"),
    # staff matters
    (("spravka",), "arayış"),
    (("zarplata", "maaş"), "əmək haqqı"),
    (("premiya", "bonus"), "mükafat"),
    (("otpusk",), "məzuniyyət"),
    (("komandirovka",), "ezamiyyət"),
    (("kurs", "treninq", "seminar"), "təlim ixtisasartırma ixtisasların artırılması"),
    (("vakansiya", "iş elanı"), "müsabiqə vakant vəzifələr"),
    (("volontyor", "volonter"), "könüllülər"),
    (("dogovor",), "müqavilə"),
    (("prikaz",), "əmr"),
    # press, premises, payments
    (("jurnalist", "müxbir", "reportaj"), "KİV kütləvi informasiya vasitələri"),
    (("kamera", "çəkiliş"), "video"),
    (("tualet", "kirli", "zibil"), "təmizlik işləri"),
    (("pulumu", "ödədim", "qaytar", "vozvrat"), "ödəniş"),
)

_WORD = re.compile(r"\w+")


def _compile() -> tuple[tuple[str, str], ...]:
    pairs = []
    for keys, wording in _ENTRIES:
        for key in keys:
            pairs.append((search_fold(key), wording))
    return tuple(pairs)


SYNONYMS: Final = _compile()


def wordings() -> tuple[str, ...]:
    """Every regulation wording the list expands to (for the test that they exist)."""
    return tuple(dict.fromkeys(wording for _, wording in _ENTRIES))


def expansion(text: str) -> str:
    """The regulation wording for the citizen's words in ``text``, each wording once."""
    folded = search_fold(text)
    words = _WORD.findall(folded)
    found: dict[str, None] = {}
    for key, wording in SYNONYMS:
        if " " in key:
            hit = key in folded
        elif len(key) < MIN_KEY:
            hit = key in words
        else:
            hit = any(word.startswith(key) for word in words)
        if hit:
            found.setdefault(wording, None)
    return " ".join(found)
