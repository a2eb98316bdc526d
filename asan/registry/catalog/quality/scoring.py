"""Service quality index: how well each service (and each body) is described and reachable.

The agency assesses services on what a citizen needs before coming (documents, fee, term,
legal basis, descriptions), how they can apply (ASAN centre, mobile bus, online), whether the
body fetches data from other information systems instead of asking for paper, and whether a
complaint channel (call centre 108) exists. Everything is computed from the registry itself,
so the index moves as soon as a body completes its entries; each score lists what is missing
so the body knows what to fix.

``score_service`` is pure; the loaders read the facts of many services in one query each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Criterion:
    code: str
    group: str  # information | term | access | integration | complaints
    weight: int
    missing_az: str  # what to fix, said to the body
    missing_en: str


CRITERIA: Final[tuple[Criterion, ...]] = (
    Criterion(
        "documents",
        "information",
        10,
        "tələb olunan sənədlər göstərilməyib",
        "required documents are not listed",
    ),
    Criterion("fee", "information", 10, "rüsum göstərilməyib", "the fee is not stated"),
    Criterion(
        "description", "information", 5, "xidmətin təsviri yoxdur", "no description of the service"
    ),
    Criterion(
        "languages",
        "information",
        5,
        "ingilis və ya rus dilində adı yoxdur",
        "no English or Russian name",
    ),
    Criterion("legal_basis", "information", 5, "hüquqi əsas göstərilməyib", "no legal basis named"),
    Criterion(
        "term", "term", 15, "icra müddəti göstərilməyib", "the processing term is not stated"
    ),
    Criterion(
        "in_person",
        "access",
        10,
        "ASAN xidmət mərkəzində göstərilmir",
        "not offered at an ASAN service centre",
    ),
    Criterion("mobile", "access", 10, "səyyar xidmətdə göstərilmir", "not offered on mobile buses"),
    Criterion(
        "online",
        "access",
        15,
        "elektron (onlayn) müraciət mümkün deyil",
        "cannot be applied for online",
    ),
    Criterion(
        "integration",
        "integration",
        10,
        "heç bir informasiya sistemi ilə inteqrasiya yoxdur",
        "not integrated with any information system",
    ),
    Criterion(
        "complaints",
        "complaints",
        5,
        "108 Çağrı mərkəzi kanalı yoxdur",
        "no call centre 108 channel for questions and complaints",
    ),
)
MAX_SCORE: Final = sum(c.weight for c in CRITERIA)


@dataclass(frozen=True)
class ServiceFacts:
    """What the index looks at, read from the graph in one row per service."""

    code: str
    name_az: str
    body: str | None
    status: str
    documents: int = 0
    fee_stated: bool = False
    has_description: bool = False
    name_en: bool = False
    name_ru: bool = False
    legal_acts: int = 0
    processing_days: int | None = None
    channels: frozenset[str] = frozenset()
    centres: int = 0
    buses: int = 0
    online_url: bool = False
    systems: int = 0


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    met: bool

    @property
    def message(self) -> str:
        c = self.criterion
        return "tamamdır / met" if self.met else f"{c.missing_az} / {c.missing_en}"


@dataclass(frozen=True)
class ServiceQuality:
    code: str
    name_az: str
    body: str | None
    status: str
    score: int  # 0..MAX_SCORE (100)
    results: tuple[CriterionResult, ...]

    @property
    def grade(self) -> str:
        return grade(self.score)

    @property
    def missing(self) -> tuple[CriterionResult, ...]:
        return tuple(r for r in self.results if not r.met)


@dataclass(frozen=True)
class CriterionCoverage:
    criterion: Criterion
    met: int  # services meeting it
    services: int


@dataclass(frozen=True)
class BodyQuality:
    code: str
    name_az: str
    services: int  # public services assessed
    score: float | None  # mean of their scores; None without services
    coverage: tuple[CriterionCoverage, ...]
    weakest: tuple[ServiceQuality, ...]  # lowest scores first

    @property
    def grade(self) -> str | None:
        return None if self.score is None else grade(round(self.score))


def grade(score: int) -> str:
    if score >= 85:
        return "A"
    if score >= 70:
        return "B"
    if score >= 50:
        return "C"
    return "D"


def _met(criterion: str, f: ServiceFacts) -> bool:
    match criterion:
        case "documents":
            return f.documents > 0
        case "fee":
            return f.fee_stated
        case "description":
            return f.has_description
        case "languages":
            return f.name_en and f.name_ru
        case "legal_basis":
            return f.legal_acts > 0
        case "term":
            return f.processing_days is not None
        case "in_person":
            return "ASAN_CENTRE" in f.channels and f.centres > 0
        case "mobile":
            return "MOBILE_BUS" in f.channels and f.buses > 0
        case "online":
            return "ONLINE" in f.channels and f.online_url
        case "integration":
            return f.systems > 0
        case "complaints":
            return "CALL_CENTRE_108" in f.channels
    raise ValueError(f"unknown criterion {criterion}")


def score_service(facts: ServiceFacts) -> ServiceQuality:
    results = tuple(CriterionResult(c, _met(c.code, facts)) for c in CRITERIA)
    return ServiceQuality(
        code=facts.code,
        name_az=facts.name_az,
        body=facts.body,
        status=facts.status,
        score=sum(r.criterion.weight for r in results if r.met),
        results=results,
    )


def summarize_body(
    code: str, name_az: str, scores: Sequence[ServiceQuality], *, weakest: int = 5
) -> BodyQuality:
    met = dict.fromkeys((c.code for c in CRITERIA), 0)
    for score in scores:
        for result in score.results:
            if result.met:
                met[result.criterion.code] += 1
    coverage = tuple(CriterionCoverage(c, met[c.code], len(scores)) for c in CRITERIA)
    ordered = sorted(scores, key=lambda s: (s.score, s.code))
    return BodyQuality(
        code=code,
        name_az=name_az,
        services=len(scores),
        score=round(sum(s.score for s in scores) / len(scores), 1) if scores else None,
        coverage=coverage,
        weakest=tuple(ordered[:weakest]),
    )
