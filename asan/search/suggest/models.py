"""What the competent-unit suggestion reads (the org structure's clauses) and what it answers.

Plain records, independent of the engine: the corpus comes from Neo4j, the answer goes to
GraphQL (later) and to the evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass

# The units an appeal can be sent to: the Aparat's departments, their sectors and the model
# "ASAN xidmət" centre with its sectors (the Agency and the Aparat as a whole are not).
CANDIDATE_KINDS = ("department", "sector", "centre")


@dataclass(frozen=True)
class CorpusUnit:
    code: str
    kind: str
    name: str  # Azerbaijani, as the regulation names it
    parent_code: str | None


@dataclass(frozen=True)
class CorpusClause:
    key: str  # REG-<unit>:<number>
    unit_code: str  # the unit the clause concerns (a sector for its sector's section)
    number: str
    section: int
    heading: str  # the section's heading, "" when the regulation does not list it
    text: str


@dataclass(frozen=True)
class Corpus:
    units: tuple[CorpusUnit, ...]
    clauses: tuple[CorpusClause, ...]

    def unit(self, code: str) -> CorpusUnit:
        for unit in self.units:
            if unit.code == code:
                return unit
        raise KeyError(code)


@dataclass(frozen=True)
class ClauseMatch:
    number: str  # "5.1.4", within the regulation of the unit (or of the sector's department)
    snippet: str  # the clause text, cut at a word boundary
    key: str  # REG-<unit>:<number>, unique across regulations
    score: float


@dataclass(frozen=True)
class UnitSuggestion:
    unit_code: str
    name: str
    score: float
    clauses: list[ClauseMatch]
