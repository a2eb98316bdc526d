"""Plain typed records of the org structure: what the parser reads and what the graph holds.

The parser's records (``Parsed*``) keep the text's own words (unit and sector names as
written); the graph records carry the deterministic codes assigned in ``codes.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Decision:
    """The chairman's decision approving a regulation, as written above its title."""

    number: str
    date: date


@dataclass(frozen=True)
class ParsedSection:
    number: int
    heading: str
    sector: str | None  # the sector a "... sektorunun funksiyaları" section describes


@dataclass(frozen=True)
class ParsedClause:
    number: str  # "5.1.11", "3.1.2-1"
    section: int
    text: str  # the clause text without its number, continuation lines joined
    sector: str | None  # the named sector it concerns; None: the unit itself
    line: int  # 1-based line of the clause number in the source, for error messages

    @property
    def amended(self) -> bool:
        """A "-N" suffix marks a clause inserted by a later amendment."""
        return "-" in self.number


@dataclass(frozen=True)
class ParsedPosition:
    kind: str  # head | deputy_head | sector_head | staff
    role: str  # the role as the text names it: "müdir", "direktor", "sektor müdiri"...
    sector: str | None  # sector led (sector_head, or the deputy who also leads a sector)
    clause: str  # the clause that establishes the position


@dataclass(frozen=True)
class ParsedRegulation:
    index: int  # 0-based order in the source text
    decision: Decision
    title: str
    unit_name: str
    unit_kind: str  # department | centre
    sectors: tuple[str, ...]
    sections: tuple[ParsedSection, ...]
    clauses: tuple[ParsedClause, ...]
    positions: tuple[ParsedPosition, ...]
    acting_clause: str | None  # "when the head is absent, the deputy exercises the powers"

    def clause(self, number: str) -> ParsedClause:
        for clause in self.clauses:
            if clause.number == number:
                return clause
        raise KeyError(number)

    def section_headings(self) -> tuple[str, ...]:
        return tuple(f"{s.number}. {s.heading}" for s in self.sections)

    def section(self, number: int) -> ParsedSection:
        for section in self.sections:
            if section.number == number:
                return section
        raise KeyError(number)


@dataclass(frozen=True)
class ParsedText:
    regulations: tuple[ParsedRegulation, ...]

    @property
    def clause_count(self) -> int:
        return sum(len(r.clauses) for r in self.regulations)

    @property
    def amended_count(self) -> int:
        return sum(1 for r in self.regulations for c in r.clauses if c.amended)

    @property
    def sector_count(self) -> int:
        return sum(len(r.sectors) for r in self.regulations)

    def counts(self) -> dict[str, int]:
        return {
            "regulations": len(self.regulations),
            "sectors": self.sector_count,
            "sections": sum(len(r.sections) for r in self.regulations),
            "clauses": self.clause_count,
            "amended": self.amended_count,
            "positions": sum(len(r.positions) for r in self.regulations),
        }

    def by_unit(self, unit_name: str) -> ParsedRegulation:
        for regulation in self.regulations:
            if regulation.unit_name == unit_name:
                return regulation
        raise KeyError(unit_name)


# --- graph records -------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgUnit:
    code: str
    kind: str  # agency | office | department | sector | centre
    name_az: str
    name_en: str | None
    name_fold: str
    parent_code: str | None = None


@dataclass(frozen=True)
class Regulation:
    code: str
    unit_code: str
    title: str
    decision_number: str
    decision_date: date
    sections: tuple[str, ...] = ()  # "5. Hüquqi aktların ekspertizası sektorunun funksiyaları"


@dataclass(frozen=True)
class Clause:
    key: str  # regulation code + ":" + number
    regulation_code: str
    section: int
    number: str
    text: str
    text_hash: str
    amended: bool
    current: bool
    sort_key: str
    concerns_code: str
    section_heading: str | None = None


@dataclass(frozen=True)
class Position:
    code: str
    kind: str  # chairman | head | deputy_head | sector_head | staff
    title: str
    unit_code: str
    leads_code: str | None = None  # the sector a deputy head also leads
    acts_for_head: bool = False  # the regulation names this deputy as the head's stand-in


@dataclass(frozen=True)
class Delegation:
    id: str
    from_position: str
    to_position: str
    valid_from: date
    valid_until: date
    reason: str


@dataclass(frozen=True)
class ActingAuthority:
    unit_code: str
    on: date
    head: Position
    acting: Position  # the head itself, or the deputy under a delegation covering ``on``
    delegation: Delegation | None = None


@dataclass(frozen=True)
class OrgGraph:
    """Everything the import writes, derived from one parsed text."""

    units: tuple[OrgUnit, ...]
    regulations: tuple[Regulation, ...]
    clauses: tuple[Clause, ...]
    positions: tuple[Position, ...]


@dataclass(frozen=True)
class ImportReport:
    regulations: int
    units: int
    clauses: int
    changed: dict[str, int] = field(default_factory=dict)  # kind -> records created/changed

    @property
    def status(self) -> str:
        return "updated" if any(self.changed.values()) else "unchanged"

    def line(self) -> str:
        return (
            f"org structure: {self.regulations} regulations, {self.units} units, "
            f"{self.clauses} clauses ({self.status})"
        )
