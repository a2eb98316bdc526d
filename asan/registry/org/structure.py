"""The org graph's deterministic codes and English names, derived from a parsed text.

Codes never depend on database ids or import order, so re-importing yields the same nodes and
other domains (documents, users' positions) can refer to them safely:

- ``AGENCY`` the Agency (kind ``agency``), ``APARAT`` its central office (``office``);
- ``DEPT-<KEY>`` a department of the central office, ``CENTRE`` the ASAN centre model
  regulation (kind ``centre``, PART_OF the Agency: the centres are subordinate, not Aparat);
- ``<UNIT>-SEC-<n>`` the n-th sector (1-based) in the order the composition clause (1.4/1.5,
  "tərkibində ... fəaliyyət göstərir") lists them;
- ``REG-<UNIT>`` the regulation of a unit; a clause's key is ``REG-<UNIT>:<number>``;
- positions: ``AGENCY-CHAIRMAN``, ``<UNIT>-HEAD``, ``<UNIT>-DEPUTY`` (the deputy head, LEADS
  the sector the text names), ``<UNIT>-SEC-<n>-HEAD`` (sector heads), ``<UNIT>-STAFF``.

Unit English names are those of ``domain.md``; a unit the table does not know is an error,
because its code would otherwise be guessed.
"""

from __future__ import annotations

import hashlib
import re

from asan.core.text import fold, normalize
from asan.registry.org.models import (
    Clause,
    OrgGraph,
    OrgUnit,
    ParsedRegulation,
    ParsedText,
    Position,
    Regulation,
)

AGENCY = "AGENCY"
APARAT = "APARAT"
CHAIRMAN = "AGENCY-CHAIRMAN"
AGENCY_NAME_EN = (
    "State Agency for Public Service and Social Innovations under the President of the "
    "Republic of Azerbaijan"
)
APARAT_NAME_AZ = "Agentliyin Aparatı"
APARAT_NAME_EN = "Central Office of the Agency"

# folded Azerbaijani unit name -> (code, English name)
UNITS: dict[str, tuple[str, str]] = {
    fold(az): (code, en)
    for az, code, en in (
        ("Hüquqi təminat şöbəsi", "DEPT-LEGAL", "Legal Support Department"),
        ("İnformasiya texnologiyaları şöbəsi", "DEPT-IT", "IT Department"),
        (
            "Nəzarət və qiymətləndirmə şöbəsi",
            "DEPT-MONITORING",
            "Monitoring and Evaluation Department",
        ),
        (
            "Elektron xidmətlərin inkişafı və sosial innovasiyalar şöbəsi",
            "DEPT-ESERVICES",
            "E-Services Development and Social Innovation",
        ),
        ("Beynəlxalq əlaqələr şöbəsi", "DEPT-INTL", "International Relations Department"),
        ("İnsan resursları və təlim şöbəsi", "DEPT-HR", "Human Resources and Training Department"),
        ("Maliyyə və təminat şöbəsi", "DEPT-FINANCE", "Finance and Supply Department"),
        (
            "Elektron sənəd dövriyyəsi şöbəsi",
            "DEPT-EDMS",
            "Electronic Document Circulation Department",
        ),
        (
            "İnformasiya təminatı şöbəsi",
            "DEPT-INFO",
            "Information Support Department (call centre 108, public relations)",
        ),
        (
            "Səyyar xidmətlərin təşkili şöbəsi",
            "DEPT-MOBILE",
            "Mobile Services Department (service buses)",
        ),
        ("“ASAN xidmət” mərkəzi", "CENTRE", "ASAN service centre"),
    )
}

# Sector names are not in the domain table; these translations follow its glossary.
SECTORS_EN: dict[str, str] = {
    fold(az): en
    for az, en in (
        ("Daxili hüquqi tənzimləmə", "Internal Legal Regulation Sector"),
        ("Hüquqi aktların ekspertizası", "Legal Acts Expertise Sector"),
        (
            "İnformasiya resursları və proqramlaşdırma",
            "Information Resources and Programming Sector",
        ),
        ("Texniki təminat", "Technical Support Sector"),
        ("Nəzarət", "Monitoring Sector"),
        ("Qiymətləndirmə", "Evaluation Sector"),
        ("Strateji araşdırmalar", "Strategic Research Sector"),
        (
            "Sosial innovasiyalar və elektron xidmətlərin təkmilləşdirilməsi",
            "Social Innovation and E-Services Improvement Sector",
        ),
        ("Beynəlxalq əlaqələr", "International Relations Sector"),
        ("Protokol", "Protocol Sector"),
        ("Kadr məsələləri", "Personnel Sector"),
        ("Təlim", "Training Sector"),
        ("Maliyyə", "Finance Sector"),
        ("Təminat", "Supply Sector"),
        ("Uçot", "Record-Keeping Sector"),
        ("Elektron sənəd dövriyyəsi", "Electronic Document Circulation Sector"),
        ("Vətəndaşların qəbulu işinin təşkili", "Citizens' Reception Sector"),
        ("“Çağrı” mərkəzi", "Call Centre (108) Sector"),
        ("İctimaiyyətlə əlaqələr", "Public Relations Sector"),
        ("Vətəndaşların hüquqlarının təminatı", "Citizens' Rights Protection Sector"),
        ("Səyyar xidmətlərin təşkili", "Mobile Services Sector"),
    )
}


class UnknownUnit(ValueError):
    pass


def unit_code(unit_name: str) -> str:
    try:
        return UNITS[fold(unit_name)][0]
    except KeyError:
        raise UnknownUnit(f"unit {unit_name!r} is not in the org catalogue (domain.md)") from None


def regulation_code(code_of_unit: str) -> str:
    return f"REG-{code_of_unit}"


def clause_key(code_of_regulation: str, number: str) -> str:
    return f"{code_of_regulation}:{number}"


def sort_key(number: str) -> str:
    """Natural order as a string: 3.1.2 < 3.1.2-1 < 3.1.3 < 3.1.10."""
    base, _, suffix = number.partition("-")
    padded = ".".join(f"{int(part):04d}" for part in base.split("."))
    return f"{padded}-{int(suffix):04d}" if suffix else padded


def text_hash(text: str) -> str:
    return hashlib.sha256(normalize(text).encode()).hexdigest()


def agency_name(title: str) -> str:
    """The Agency's name in the nominative, from a title's "... Agentliyinin <unit>"."""
    match = re.search(r"^(.*?Agentliyi)nin\b", title)
    return match[1] if match else "Dövlət Agentliyi"


def _sector_code(code_of_unit: str, index: int) -> str:
    return f"{code_of_unit}-SEC-{index + 1}"


def _regulation_graph(
    reg: ParsedRegulation,
) -> tuple[list[OrgUnit], Regulation, list[Clause], list[Position]]:
    code = unit_code(reg.unit_name)
    en = UNITS[fold(reg.unit_name)][1]
    parent = APARAT if reg.unit_kind == "department" else AGENCY
    units = [OrgUnit(code, reg.unit_kind, reg.unit_name, en, fold(reg.unit_name), parent)]
    sector_codes: dict[str, str] = {}
    for index, sector in enumerate(reg.sectors):
        sector_codes[sector] = _sector_code(code, index)
        name = f"{sector} sektoru"
        units.append(
            OrgUnit(
                sector_codes[sector], "sector", name, SECTORS_EN.get(fold(sector)), fold(name), code
            )
        )
    reg_code = regulation_code(code)
    regulation = Regulation(
        reg_code, code, reg.title, reg.decision.number, reg.decision.date, reg.section_headings()
    )
    clauses = [
        Clause(
            key=clause_key(reg_code, c.number),
            regulation_code=reg_code,
            section=c.section,
            number=c.number,
            text=c.text,
            text_hash=text_hash(c.text),
            amended=c.amended,
            current=True,
            sort_key=sort_key(c.number),
            concerns_code=sector_codes[c.sector] if c.sector else code,
        )
        for c in reg.clauses
    ]
    positions: list[Position] = []
    for p in reg.positions:
        if p.kind == "head":
            positions.append(Position(f"{code}-HEAD", "head", f"{reg.unit_name}: {p.role}", code))
        elif p.kind == "deputy_head":
            positions.append(
                Position(
                    f"{code}-DEPUTY",
                    "deputy_head",
                    f"{reg.unit_name}: {p.role}",
                    code,
                    leads_code=sector_codes[p.sector] if p.sector else None,
                    acts_for_head=reg.acting_clause is not None,
                )
            )
        elif p.kind == "sector_head" and p.sector:
            sector = sector_codes[p.sector]
            positions.append(
                Position(f"{sector}-HEAD", "sector_head", f"{p.sector} sektoru: {p.role}", sector)
            )
        elif p.kind == "staff":
            positions.append(Position(f"{code}-STAFF", "staff", f"{reg.unit_name}: {p.role}", code))
    return units, regulation, clauses, positions


def build_graph(parsed: ParsedText) -> OrgGraph:
    first_title = parsed.regulations[0].title if parsed.regulations else ""
    agency_az = agency_name(first_title)
    units = [
        OrgUnit(AGENCY, "agency", agency_az, AGENCY_NAME_EN, fold(agency_az)),
        OrgUnit(APARAT, "office", APARAT_NAME_AZ, APARAT_NAME_EN, fold(APARAT_NAME_AZ), AGENCY),
    ]
    regulations: list[Regulation] = []
    clauses: list[Clause] = []
    positions = [Position(CHAIRMAN, "chairman", "Agentliyin sədri", AGENCY)]
    for reg in parsed.regulations:
        u, r, c, p = _regulation_graph(reg)
        units += u
        regulations.append(r)
        clauses += c
        positions += p
    codes = [u.code for u in units]
    if len(codes) != len(set(codes)):
        raise UnknownUnit(f"two regulations describe the same unit: {sorted(codes)}")
    return OrgGraph(tuple(units), tuple(regulations), tuple(clauses), tuple(positions))
