"""Generated search documents and queries for the search benchmark (issue 12, Performance).

Text comes from the regulations the org structure is imported from (``data/``): sentences
and their comma-separated parts, so bodies read as Azerbaijani sentences, not word salad.
Around them sit what real documents carry: a document type and subject in the title, names of
citizens and officials (with İ, ı, ə, ş, ü), numbers, dates. Kinds, units, years and statuses
are spread unevenly, as in a registry: most documents are unit-scoped document cards, a few
departments are much busier than others, recent years dominate, and the regulations' clauses
and the published services are public. Everything is drawn from one seeded ``random.Random``:
the same ``count`` and ``seed`` give the same corpus and queries on every machine.

Access tokens follow the lead's naming rule (a kind's tokens carry the kind): ``doc:unit:X``
(the unit's clerks), ``doc:user:N`` (involved people), ``doc:secret:unit:X`` (classified: only
the unit's cleared clerks and the involved), ``public`` (registry data and regulations).
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

from asan.search.analysis import is_stop_word, loose_form
from asan.search.engine import PUBLIC, SearchDoc

REGULATIONS: Final = Path(__file__).resolve().parents[1] / "data" / "asan-regulations.az.txt"

UNITS: Final = tuple(f"DEPT-{n:02d}" for n in range(24))
# Zipf-like: the first departments (reception, legal, the centres) handle most documents.
UNIT_WEIGHTS: Final = tuple(1 / (n + 1) for n in range(len(UNITS)))
YEARS: Final = tuple(range(2013, 2027))
YEAR_WEIGHTS: Final = tuple(1 + (y - 2013) ** 1.5 for y in YEARS)
USERS: Final = 2_000

# (kind, share, statuses with weights)
KINDS: Final = (
    ("document", 0.80, (("registered", 3), ("in_progress", 4), ("executed", 8), ("archived", 2))),
    ("case", 0.06, (("open", 2), ("closed", 5), ("archived", 3))),
    ("clause", 0.06, (("in_force", 9), ("repealed", 1))),
    ("service", 0.05, (("published", 8), ("draft", 2))),
    ("unit", 0.03, (("active", 1),)),
)
DOC_TYPES: Final = (
    "Ərizə",
    "Şikayət",
    "Məktub",
    "Əmr",
    "Qərar",
    "Arayış",
    "Müraciət",
    "Sorğu",
    "Protokol",
    "Xidməti qeyd",
)
FIRST: Final = (
    "İlham", "Əli", "Aytən", "Fərid", "Gülnarə", "Rəşad", "İsmayıl", "Şəbnəm", "Ülviyyə",
    "Tural", "Nərmin", "Elçin", "Günay", "Orxan", "Səbinə", "Ilqar", "Könül", "Vüqar",
)  # fmt: skip
LAST: Final = (
    "Əliyev", "Məmmədov", "Hüseynov", "Quliyev", "İsmayılov", "Həsənov", "Abbasov", "Rzayev",
    "Kərimov", "Cəfərov", "Şükürov", "Qasımov",
)  # fmt: skip
BODIES: Final = ("ƏDN", "DİN", "SN", "ƏƏSMN", "DGK", "ƏMDK", "MN", "TN")


def _clean(text: str) -> str:
    text = text.replace("**", " ")
    text = re.sub(r"^\s*\d+(?:\.\d+)*\.\s*", "", text)
    return re.sub(r"\s+", " ", text).strip()


@cache
def sentences() -> tuple[str, ...]:
    text = unicodedata.normalize("NFC", REGULATIONS.read_text(encoding="utf-8"))
    parts = (_clean(p) for p in re.split(r"(?<=[.;:])\s+|\n+", text))
    return tuple(p for p in parts if len(p.split()) >= 5)


@cache
def fragments() -> tuple[str, ...]:
    """Comma-separated parts of sentences (3-12 words): subjects of titles, shorter bodies."""
    found = {f.strip(" ;:.") for s in sentences() for f in s.split(",")}
    return tuple(sorted(f for f in found if 3 <= len(f.split()) <= 12))


@cache
def vocabulary() -> tuple[str, ...]:
    words = re.findall(r"[^\W\d_]{5,}", " ".join(sentences()))
    return tuple(sorted({w for w in words if not is_stop_word(w)}))


def _name(rng: random.Random) -> str:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    female = first in ("Aytən", "Gülnarə", "Şəbnəm", "Ülviyyə", "Nərmin", "Günay", "Səbinə")
    return f"{first} {last}{'a' if female else ''}"


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _document(rng: random.Random, n: int, year: int) -> tuple[str, str]:
    kind = rng.choice(DOC_TYPES)
    subject = rng.choice(fragments())
    person = _name(rng)
    title = f"{kind} № {n % 9000 + 100}/{year}: {subject}"
    parts = [f"{person} {rng.choice(fragments())}."]
    parts += rng.sample(sentences(), rng.choice((1, 1, 2, 2, 3, 4)))
    parts.append(f"{rng.randint(1, 28)}.{rng.randint(1, 12):02d}.{year}, {_name(rng)}.")
    return title, " ".join(parts)


def _other(rng: random.Random, kind: str) -> tuple[str, str]:
    subject = rng.choice(fragments())
    if kind == "clause":
        return f"{rng.randint(1, 6)}.{rng.randint(1, 40)}. {subject}", rng.choice(sentences())
    if kind == "service":
        return subject.capitalize(), " ".join(rng.sample(sentences(), 2))
    if kind == "case":
        return f"İş № {rng.randint(1, 400)}: {subject}", " ".join(rng.sample(fragments(), 3))
    return f"{subject} şöbəsi", rng.choice(sentences())


def _acl(rng: random.Random, kind: str, unit: str) -> frozenset[str]:
    if kind in ("clause", "service", "unit"):
        return frozenset({PUBLIC})
    involved = {f"doc:user:{rng.randrange(USERS)}" for _ in range(rng.choice((0, 1, 1, 2, 3)))}
    roll = rng.random()
    if roll < 0.03:  # classified: the unit's cleared clerks and the people involved
        return frozenset({f"doc:secret:unit:{unit}", *involved})
    if roll < 0.05:  # a public registry document (a published order, a decision)
        return frozenset({PUBLIC})
    return frozenset({f"doc:unit:{unit}", *involved})


def generate(count: int, seed: int = 12) -> Iterator[SearchDoc]:
    rng = random.Random(seed)
    kinds = [k[0] for k in KINDS]
    shares = [k[1] for k in KINDS]
    statuses = {k[0]: k[2] for k in KINDS}
    for n in range(count):
        kind = rng.choices(kinds, weights=shares)[0]
        unit = rng.choices(UNITS, weights=UNIT_WEIGHTS)[0]
        year = rng.choices(YEARS, weights=YEAR_WEIGHTS)[0]
        title, body = _document(rng, n, year) if kind == "document" else _other(rng, kind)
        yield SearchDoc(
            kind=kind,
            id=f"G-{n}",
            title=title,
            body=body,
            acl=_acl(rng, kind, unit),
            unit=unit,
            state_body=rng.choice(BODIES) if kind == "service" else None,
            year=year,
            status=_weighted(rng, statuses[kind]),
        )


@dataclass(frozen=True, slots=True)
class Caller:
    name: str
    access: frozenset[str]


def callers() -> tuple[Caller, ...]:
    """An anonymous caller, a clerk of a busy unit (cleared for secret, involved in some
    documents) and an administrator holding every unit's tokens (no ``unrestricted``: the
    API never asks so for a person)."""
    clerk = frozenset(
        {PUBLIC, "doc:unit:DEPT-01", "doc:secret:unit:DEPT-01", "doc:user:7", "doc:user:8"}
    )
    admin = frozenset(
        {PUBLIC} | {f"doc:unit:{u}" for u in UNITS} | {f"doc:secret:unit:{u}" for u in UNITS}
    )
    return (
        Caller("anonymous", frozenset({PUBLIC})),
        Caller("clerk", clerk),
        Caller("admin", admin),
    )


@dataclass(frozen=True, slots=True)
class BenchQuery:
    """One query of the bench: ``text`` as a user types it (``"quoted"`` phrase, ``x*``
    prefix), the filters and who asks."""

    shape: str
    text: str
    caller: Caller
    kinds: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()
    years: frozenset[int] = frozenset()


def _filters(rng: random.Random) -> dict[str, frozenset[str] | frozenset[int]]:
    roll = rng.randrange(5)
    if roll == 0:
        return {}
    if roll == 1:
        return {"kinds": frozenset({"document"})}
    if roll == 2:
        return {"units": frozenset({rng.choice(UNITS[:6])})}
    if roll == 3:
        return {"years": frozenset({rng.choice(YEARS[-5:])})}
    return {"kinds": frozenset({"document", "case"}), "years": frozenset(YEARS[-3:])}


SHAPES: Final = (
    "one_word",
    "one_word_plain",
    "two_words",
    "two_words_plain",
    "three_words",
    "prefix",
    "phrase",
)


def _content_words(rng: random.Random) -> list[str]:
    words = re.findall(r"[^\W\d_]+", rng.choice(sentences()))
    return [w for w in words if len(w) >= 3 and not is_stop_word(w)]


def _text(shape: str, rng: random.Random) -> str:
    """Words a user half-remembers from a text: taken in order from one sentence (so they
    co-occur as in real searches), now and then a person's name with a document type."""
    if shape == "prefix":
        return rng.choice(vocabulary())[:4] + "*"
    if shape == "phrase":
        words = rng.choice(sentences()).split()
        start = rng.randrange(0, max(1, len(words) - 2))
        return '"' + " ".join(words[start : start + 2]) + '"'
    k = {"one": 1, "two": 2, "three": 3}[shape.split("_")[0]]
    if k > 1 and rng.random() < 0.15:
        picked = [rng.choice(FIRST), rng.choice(LAST), rng.choice(DOC_TYPES)][:k]
    else:
        words = _content_words(rng)
        while len(words) < k:
            words = _content_words(rng)
        picked = [words[i] for i in sorted(rng.sample(range(len(words)), k))]
    text = " ".join(picked)
    return loose_form(text) if shape.endswith("_plain") else text


def queries(per_shape: int, seed: int = 12) -> list[BenchQuery]:
    """``per_shape`` queries of each shape, the callers and filters taking turns."""
    rng = random.Random(seed + 1)
    who = callers()
    out: list[BenchQuery] = []
    for shape in SHAPES:
        for _ in range(per_shape):
            caller = who[len(out) % len(who)]
            out.append(BenchQuery(shape, _text(shape, rng), caller, **_filters(rng)))  # type: ignore[arg-type]
    return out
