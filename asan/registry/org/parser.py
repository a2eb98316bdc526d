"""Reads the agency's regulations text (Əsasnamə) into typed records; pure, no I/O.

The source is a converted document, so the parser tolerates its artefacts: Markdown bold
markers (``**``), list dashes before clause numbers (``- 5.1.17.**``), a title or decision
wrapped over several lines or split by blank lines, and a clause continued after a blank
line. It is strict about meaning: an unknown month, a functions section naming a sector the
unit does not have, a duplicate clause number or a sector nobody leads is a ``ParseError``
naming the line, because a silently wrong org structure would mislead every later use.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from asan.core.text import fold
from asan.registry.org.models import (
    Decision,
    ParsedClause,
    ParsedPosition,
    ParsedRegulation,
    ParsedSection,
    ParsedText,
)

MONTHS: dict[str, int] = {
    "yanvar": 1,
    "fevral": 2,
    "mart": 3,
    "aprel": 4,
    "may": 5,
    "iyun": 6,
    "iyul": 7,
    "avqust": 8,
    "sentyabr": 9,
    "oktyabr": 10,
    "noyabr": 11,
    "dekabr": 12,
}

# A clause number has two or more parts and may carry an amendment suffix: 5.1.11, 3.1.2-1.
CLAUSE_RE = re.compile(r"^(?P<number>\d+(?:\.\d+)+(?:-\d+)?)\.\s*(?P<text>.*)$")
HEADING_RE = re.compile(r"^(?P<number>\d+)\.\s*(?P<heading>[^\d\s].*)$")
DECISION_MARK_RE = re.compile(r"qərarı\s+ilə\s+təsdiq\s+edilmişdir", re.IGNORECASE)
DECISION_RE = re.compile(
    r"[“\"]?(?P<day>\d{1,2})[”\"]?\s+(?P<month>[^\W\d_]+)\s+(?P<year>\d{4})-c\w+\s+il\s+"
    r"tarixli\s+(?P<number>\S+)\s+nömrəli\s+qərar"
)
UNIT_RE = re.compile(r"Agentliyinin\s+(?:tabeliyində\s+olan\s+)?(?P<unit>.+?)\s+haqqında")
COMPOSITION_RE = re.compile(r"tərkibində\s+(?P<list>.+?)\s+fəaliyyət\s+göstərir")
SECTOR_LIST_SPLIT_RE = re.compile(r"\s+sektoru(?:\s*,\s*|\s+və\s+|\s*$)")
SECTOR_HEADING_RE = re.compile(r"^(?P<sector>.+?)\s+sektorunun\s+funksiyaları\.?$")
HEAD_RE = re.compile(r"azad\s+edilən\s+(?P<role>müdir|direktor)\s+rəhbərlik\s+edir")
DEPUTY_RE = re.compile(r"müavini\s+vardır")
DEPUTY_SECTOR_RE = re.compile(r"eyni\s+zamanda\s+(?P<sector>.+?)\s+sektoruna\s+rəhbərlik\s+edən")
SECTOR_HEADS_RE = re.compile(
    r"^(?:Şöbənin|Mərkəzin)\s+(?P<sectors>.+?)\s+sektor(?:una|larına)\s+.*"
    r"sektor\s+müdir(?:i|ləri)\s+rəhbərlik\s+edir"
)
STAFF_RE = re.compile(r"digər\s+əməkdaşları\s+.*azad\s+edilir")
ACTING_RE = re.compile(r"olmadıqda\s+onun\s+səlahiyyətlərini\s+.*müavini")
SEPARATORS_RE = re.compile(r"^(?:[\s,]|və)*$")


class ParseError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass
class _Chunk:
    line: int
    parts: list[str]

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.parts)).strip()


def _clean_line(raw: str) -> str:
    line = raw.replace("**", "").strip()
    if line.startswith("- ") and line[2:3].isdigit():
        line = line[2:].strip()
    return line


def _chunks(text: str) -> list[_Chunk]:
    """Blank-line separated blocks, split further wherever a line starts a clause or heading."""
    chunks: list[_Chunk] = []
    current: _Chunk | None = None
    for index, raw in enumerate(text.splitlines(), start=1):
        line = _clean_line(raw)
        if not line:
            current = None
            continue
        if current is None or CLAUSE_RE.match(line) or HEADING_RE.match(line):
            current = _Chunk(index, [line])
            chunks.append(current)
        else:
            current.parts.append(line)
    return chunks


def parse_decision(text: str, line: int = 0) -> Decision:
    match = DECISION_RE.search(text)
    if match is None:
        raise ParseError(line, f"no decision number and date in: {text[:120]}")
    month = MONTHS.get(fold(match["month"]))
    if month is None:
        raise ParseError(line, f"unknown month name {match['month']!r}")
    try:
        when = date(int(match["year"]), month, int(match["day"]))
    except ValueError as exc:
        raise ParseError(line, f"invalid decision date: {exc}") from exc
    return Decision(number=match["number"], date=when)


def parse_sector_list(text: str) -> tuple[str, ...]:
    """Sector names of a composition clause ("tərkibində A sektoru və B sektoru ...")."""
    match = COMPOSITION_RE.search(text)
    if match is None:
        return ()
    return tuple(p.strip() for p in SECTOR_LIST_SPLIT_RE.split(match["list"]) if p.strip())


def _find_sectors(phrase: str, sectors: tuple[str, ...], line: int) -> tuple[str, ...]:
    """Which known sectors a phrase like "Uçot və Təminat" names, in the phrase's order.

    Names themselves contain "və", so the phrase is matched against the unit's own sector
    names rather than split; anything left over besides separators is an error.
    """
    folded = fold(phrase)
    found: list[tuple[int, str]] = []
    rest = folded
    for sector in sorted(sectors, key=len, reverse=True):
        pattern = re.compile(rf"(?<!\w){re.escape(fold(sector))}(?!\w)")
        match = pattern.search(rest)
        if match:
            found.append((match.start(), sector))
            rest = rest[: match.start()] + " " * len(match[0]) + rest[match.end() :]
    if not found or not SEPARATORS_RE.match(rest):
        raise ParseError(line, f"unknown sector(s) in {phrase!r}; the unit has {list(sectors)}")
    return tuple(sector for _, sector in sorted(found))


@dataclass
class _RawClause:
    number: str
    line: int
    parts: list[str]

    @property
    def section(self) -> int:
        return int(self.number.split(".")[0])

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.parts)).strip()


@dataclass
class _Builder:
    line: int
    decision: Decision
    title_parts: list[str] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)
    clauses: list[_RawClause] = field(default_factory=list)
    sectors: tuple[str, ...] = ()

    def build(self, index: int) -> ParsedRegulation:
        title = re.sub(r"\s+", " ", " ".join(self.title_parts)).strip()
        unit = UNIT_RE.search(title)
        if unit is None:
            raise ParseError(self.line, f"no unit name in the title {title!r}")
        unit_name = unit["unit"].strip()
        folded = fold(unit_name)
        if folded.endswith("şöbəsi"):
            unit_kind = "department"
        elif folded.endswith("mərkəzi"):
            unit_kind = "centre"
        else:
            raise ParseError(self.line, f"unit {unit_name!r} is neither a şöbə nor a mərkəz")
        if not self.clauses:
            raise ParseError(self.line, f"regulation of {unit_name!r} has no clauses")

        for raw in self.clauses:
            if raw.section == 1 and not self.sectors:
                self.sectors = parse_sector_list(raw.text)
        sector_of_section: dict[int, str | None] = {}
        sections: list[ParsedSection] = []
        for section in self.sections:
            named = SECTOR_HEADING_RE.match(section.heading)
            sector = None
            if named:
                sector = _find_sectors(named["sector"], self.sectors, self.line)[0]
            sector_of_section[section.number] = sector
            sections.append(ParsedSection(section.number, section.heading, sector))

        clauses: list[ParsedClause] = []
        seen: set[str] = set()
        for raw in self.clauses:
            number, line = raw.number, raw.line
            if number in seen:
                raise ParseError(line, f"duplicate clause {number} in {unit_name!r}")
            seen.add(number)
            if raw.section not in sector_of_section:
                raise ParseError(line, f"clause {number} outside any section heading")
            sector = sector_of_section[raw.section]
            clauses.append(ParsedClause(number, raw.section, raw.text, sector, line))

        organisation = sections[-1].number
        positions, acting = _positions(
            [c for c in clauses if c.section == organisation], self.sectors, self.line
        )
        return ParsedRegulation(
            index=index,
            decision=self.decision,
            title=title,
            unit_name=unit_name,
            unit_kind=unit_kind,
            sectors=self.sectors,
            sections=tuple(sections),
            clauses=tuple(clauses),
            positions=positions,
            acting_clause=acting,
        )


def _positions(
    clauses: list[ParsedClause], sectors: tuple[str, ...], line: int
) -> tuple[tuple[ParsedPosition, ...], str | None]:
    """Positions the organisation section establishes, and the acting-authority clause."""
    positions: list[ParsedPosition] = []
    acting: str | None = None
    head_role = ""
    for clause in clauses:
        text = clause.text
        if (head := HEAD_RE.search(text)) and not head_role:
            head_role = head["role"]
            positions.append(ParsedPosition("head", head_role, None, clause.number))
        elif DEPUTY_RE.search(text):
            led = DEPUTY_SECTOR_RE.search(text)
            sector = _find_sectors(led["sector"], sectors, clause.line)[0] if led else None
            role = f"{head_role} müavini" + (" – sektor müdiri" if sector else "")
            positions.append(ParsedPosition("deputy_head", role, sector, clause.number))
        elif heads := SECTOR_HEADS_RE.search(text):
            for sector in _find_sectors(heads["sectors"], sectors, clause.line):
                positions.append(
                    ParsedPosition("sector_head", "sektor müdiri", sector, clause.number)
                )
        elif STAFF_RE.search(text):
            positions.append(ParsedPosition("staff", "əməkdaş", None, clause.number))
        elif ACTING_RE.search(text) and acting is None:
            acting = clause.number
    if not head_role:
        raise ParseError(line, "the organisation section names no head (müdir/direktor)")
    led_sectors = [p.sector for p in positions if p.sector]
    if sorted(led_sectors) != sorted(sectors):
        raise ParseError(
            line, f"sectors led {led_sectors} do not match the unit's sectors {list(sectors)}"
        )
    return tuple(positions), acting


def parse_regulations(source: str) -> ParsedText:
    text = unicodedata.normalize("NFC", source)
    regulations: list[ParsedRegulation] = []
    builder: _Builder | None = None
    current_clause: _RawClause | None = None
    for chunk in _chunks(text):
        content = chunk.text
        if DECISION_MARK_RE.search(content):
            if builder is not None:
                regulations.append(builder.build(len(regulations)))
            builder = _Builder(chunk.line, parse_decision(content, chunk.line))
            current_clause = None
            continue
        if builder is None:
            raise ParseError(chunk.line, "text before the first approving decision")
        if clause := CLAUSE_RE.match(content):
            if not builder.sections:
                raise ParseError(chunk.line, f"clause {clause['number']} before any section")
            current_clause = _RawClause(clause["number"], chunk.line, [clause["text"]])
            builder.clauses.append(current_clause)
        elif heading := HEADING_RE.match(content):
            if builder.title_parts or builder.sections:
                builder.sections.append(
                    ParsedSection(int(heading["number"]), heading["heading"].strip(), None)
                )
                current_clause = None
            else:
                raise ParseError(chunk.line, "section heading before the regulation's title")
        elif not builder.sections:
            builder.title_parts.append(content)
        elif current_clause is not None:
            current_clause.parts.append(content)
        else:
            raise ParseError(chunk.line, f"text outside any clause: {content[:80]!r}")
    if builder is None:
        raise ParseError(1, "no regulation found")
    regulations.append(builder.build(len(regulations)))
    return ParsedText(tuple(regulations))
