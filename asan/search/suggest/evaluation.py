"""Precision at 1 and at k of a ranking over a labelled set of appeals.

A hit at k: one of the first k units is among the appeal's labels (the labels list every unit
the regulations make competent). ``strict_p1`` counts only the first label, the most specific
unit, as right: what a router wants when it sends the appeal on without a human.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Labelled:
    id: str
    text: str
    units: tuple[str, ...]


@dataclass(frozen=True)
class Miss:
    id: str
    expected: tuple[str, ...]
    got: tuple[str, ...]


@dataclass
class Figures:
    n: int
    p1: float
    p3: float
    strict_p1: float
    misses: list[Miss] = field(default_factory=list)

    def row(self) -> dict[str, float | int]:
        return {
            "n": self.n,
            "p@1": round(self.p1, 3),
            "p@3": round(self.p3, 3),
            "strict p@1": round(self.strict_p1, 3),
        }


def evaluate(rank: Callable[[str], Sequence[str]], appeals: Sequence[Labelled]) -> Figures:
    hits1 = hits3 = strict = 0
    misses: list[Miss] = []
    for appeal in appeals:
        got = tuple(rank(appeal.text))[:3]
        labels = set(appeal.units)
        if got and got[0] in labels:
            hits1 += 1
        else:
            misses.append(Miss(appeal.id, appeal.units, got))
        if labels & set(got):
            hits3 += 1
        if got and got[0] == appeal.units[0]:
            strict += 1
    n = len(appeals)
    return Figures(
        n=n,
        p1=hits1 / n if n else 0.0,
        p3=hits3 / n if n else 0.0,
        strict_p1=strict / n if n else 0.0,
        misses=misses,
    )
