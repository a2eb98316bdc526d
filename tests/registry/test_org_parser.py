"""The regulations parser against the real text, with counts taken independently by regex."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from asan.core.text import fold
from asan.registry.org.models import ParsedText
from asan.registry.org.parser import ParseError, parse_decision, parse_regulations
from asan.registry.org.structure import build_graph, sort_key

SOURCE = Path(__file__).resolve().parents[2] / "data" / "asan-regulations.az.txt"

# Independent of the parser: one regex over raw lines (list dashes and ** artefacts allowed).
CLAUSE_LINE = re.compile(r"^(?:- )?\d+\.\d+(?:\.\d+)*(?:-\d+)?\.(?:\*\*)?\s", re.M)
AMENDED_LINE = re.compile(r"^(?:- )?\d+(?:\.\d+)+-\d+\.", re.M)
HEADING_LINE = re.compile(r"^\d+\.\s*[^\d\s.]", re.M)

# The table of ../shared/domain.md: unit, English name, sectors.
DOMAIN_TABLE: list[tuple[str, str, list[str]]] = [
    (
        "Hüquqi təminat şöbəsi",
        "Legal Support Department",
        ["Daxili hüquqi tənzimləmə", "Hüquqi aktların ekspertizası"],
    ),
    (
        "İnformasiya texnologiyaları şöbəsi",
        "IT Department",
        ["İnformasiya resursları və proqramlaşdırma", "Texniki təminat"],
    ),
    (
        "Nəzarət və qiymətləndirmə şöbəsi",
        "Monitoring and Evaluation Department",
        ["Nəzarət", "Qiymətləndirmə"],
    ),
    (
        "Elektron xidmətlərin inkişafı və sosial innovasiyalar şöbəsi",
        "E-Services Development and Social Innovation",
        [
            "Strateji araşdırmalar",
            "Sosial innovasiyalar və elektron xidmətlərin təkmilləşdirilməsi",
        ],
    ),
    (
        "Beynəlxalq əlaqələr şöbəsi",
        "International Relations Department",
        ["Beynəlxalq əlaqələr", "Protokol"],
    ),
    (
        "İnsan resursları və təlim şöbəsi",
        "Human Resources and Training Department",
        ["Kadr məsələləri", "Təlim"],
    ),
    ("Maliyyə və təminat şöbəsi", "Finance and Supply Department", ["Maliyyə", "Təminat", "Uçot"]),
    (
        "Elektron sənəd dövriyyəsi şöbəsi",
        "Electronic Document Circulation Department",
        ["Elektron sənəd dövriyyəsi", "Vətəndaşların qəbulu işinin təşkili"],
    ),
    (
        "İnformasiya təminatı şöbəsi",
        "Information Support Department (call centre 108, public relations)",
        ["“Çağrı” mərkəzi", "İctimaiyyətlə əlaqələr"],
    ),
    ("Səyyar xidmətlərin təşkili şöbəsi", "Mobile Services Department (service buses)", []),
    (
        "“ASAN xidmət” mərkəzi",
        "ASAN service centre",
        [
            "Vətəndaşların qəbulu işinin təşkili",
            "Vətəndaşların hüquqlarının təminatı",
            "Səyyar xidmətlərin təşkili",
            "Uçot",
        ],
    ),
]


@cache
def raw() -> str:
    return SOURCE.read_text(encoding="utf-8")


@cache
def parsed() -> ParsedText:
    return parse_regulations(raw())


def test_counts_match_independent_regex_counts() -> None:
    text = parsed()
    assert len(text.regulations) == 11
    assert text.clause_count == len(CLAUSE_LINE.findall(raw())) == 835
    assert text.amended_count == len(AMENDED_LINE.findall(raw())) == 6
    assert text.counts()["sections"] == len(HEADING_LINE.findall(raw()))
    assert text.counts()["regulations"] == raw().count("nömrəli qərarı")


def test_clause_count_per_regulation_matches_the_raw_segments() -> None:
    segments = raw().split("nömrəli qərarı")[1:]  # each regulation follows its decision
    expected = [len(CLAUSE_LINE.findall(segment)) for segment in segments]
    assert [len(r.clauses) for r in parsed().regulations] == expected


def test_units_english_names_and_sectors_match_the_domain_table() -> None:
    graph = build_graph(parsed())
    english = {u.name_az: u.name_en for u in graph.units}
    assert [r.unit_name for r in parsed().regulations] == [row[0] for row in DOMAIN_TABLE]
    for unit, en, sectors in DOMAIN_TABLE:
        regulation = parsed().by_unit(unit)
        assert list(regulation.sectors) == sectors, unit
        assert english[unit] == en
    assert parsed().by_unit("“ASAN xidmət” mərkəzi").unit_kind == "centre"
    assert parsed().by_unit("Hüquqi təminat şöbəsi").unit_kind == "department"


def test_decisions_number_and_date() -> None:
    decisions = {r.unit_name: r.decision for r in parsed().regulations}
    assert decisions["Hüquqi təminat şöbəsi"].number == "9/14-05"
    assert decisions["Hüquqi təminat şöbəsi"].date == date(2013, 10, 4)
    assert decisions["İnformasiya texnologiyaları şöbəsi"].number == "9.1.9/E-05"
    assert decisions["İnformasiya texnologiyaları şöbəsi"].date == date(2014, 12, 29)
    # a decision wrapped over five bold lines
    assert decisions["Maliyyə və təminat şöbəsi"].date == date(2013, 10, 4)
    assert {d.number for d in decisions.values()} == {"9/14-05", "9.1.9/E-05"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sədri 4 oktyabr 2013-cü il tarixli 9/14-05 nömrəli qərarı", date(2013, 10, 4)),
        ("sədri “29” dekabr 2014-cü il tarixli 9.1.9/E-05 nömrəli qərarı", date(2014, 12, 29)),
        ("1 İyun 2015-ci il tarixli 1/2 nömrəli qərarı", date(2015, 6, 1)),
        ("31 avqust 2016-cı il tarixli 7 nömrəli qərarı", date(2016, 8, 31)),
        ("9 FEVRAL 2020-ci il tarixli 3 nömrəli qərarı", date(2020, 2, 9)),
    ],
)
def test_parse_decision_azerbaijani_months(text: str, expected: date) -> None:
    assert parse_decision(text).date == expected


def test_unknown_month_is_a_parse_error_naming_it() -> None:
    with pytest.raises(ParseError, match="unknown month name 'oktober'"):
        parse_decision("4 oktober 2013-cü il tarixli 9/14-05 nömrəli qərarı", 3)


def test_titles_and_section_headings() -> None:
    legal = parsed().by_unit("Hüquqi təminat şöbəsi")
    assert legal.title.endswith("Agentliyinin Hüquqi təminat şöbəsi haqqında ƏSASNAMƏ")
    assert "**" not in legal.title
    centre = parsed().by_unit("“ASAN xidmət” mərkəzi")
    assert centre.title.endswith("“ASAN xidmət” mərkəzi haqqında NÜMUNƏVİ ƏSASNAMƏ")
    assert centre.section(1).heading == "Ümumi müddəalar"  # written "1.Ümumi müddəalar"
    assert [s.number for s in centre.sections] == list(range(1, 10))
    assert centre.section(9).heading == "Mərkəzin fəaliyyətinin təşkili"


def test_sample_clauses_from_the_domain_guide() -> None:
    legal = parsed().by_unit("Hüquqi təminat şöbəsi")
    registry = legal.clause("3.1.2-1")
    assert registry.amended and registry.section == 3 and registry.sector is None
    assert "xidmətlərin Elektron Reyestrinin formalaşdırılması" in registry.text
    assert legal.clause("3.1.3").text == (
        "Agentliyin qeyri normativ hüquqi aktlarının layihələrinə viza vermək;"
    )
    it = parsed().by_unit("İnformasiya texnologiyaları şöbəsi")
    assert it.clause("3.1.1-1").amended
    assert it.clause("5.1.6").sector == "İnformasiya resursları və proqramlaşdırma"
    edms = parsed().by_unit("Elektron sənəd dövriyyəsi şöbəsi")
    assert edms.clause("6.1.1").sector == "Vətəndaşların qəbulu işinin təşkili"
    centre = parsed().by_unit("“ASAN xidmət” mərkəzi")
    assert centre.clause("8.1.20").sector == "Uçot"
    assert "Elektron sənəd dövriyyəsi şöbəsinə" in centre.clause("8.1.20").text
    finance = parsed().by_unit("Maliyyə və təminat şöbəsi")
    assert finance.section(6).sector == "Uçot" and finance.section(7).sector == "Təminat"


def test_artefacts_continuations_and_list_dashes() -> None:
    info = parsed().by_unit("İnformasiya təminatı şöbəsi")
    # 4.1.7 continues after a blank line
    assert "qarşısında, habelə müxtəlif səviyyəli yerli və beynəlxalq tədbirlərdə" in (
        info.clause("4.1.7").text
    )
    assert info.clause("6.1.6").text == "“ASAN Radio”-nin fəaliyyətini təşkil etmək;"
    hr = parsed().by_unit("İnsan resursları və təlim şöbəsi")
    assert hr.clause("5.1.17").text.startswith("vəzifə təlimatlarına")  # "- 5.1.17.** ..."
    assert all("**" not in c.text for r in parsed().regulations for c in r.clauses)


def test_functions_sections_link_to_sectors_and_others_to_the_unit() -> None:
    for regulation in parsed().regulations:
        for clause in regulation.clauses:
            heading = regulation.section(clause.section).heading
            if "sektorunun funksiyaları" in heading:
                assert clause.sector is not None and heading.startswith(clause.sector)
            else:
                assert clause.sector is None


def test_positions_from_the_organisation_section() -> None:
    for regulation in parsed().regulations:
        kinds = [p.kind for p in regulation.positions]
        assert kinds.count("head") == 1 and kinds.count("deputy_head") == 1, regulation.unit_name
        led = sorted(p.sector for p in regulation.positions if p.sector)
        assert led == sorted(regulation.sectors)
        assert regulation.acting_clause is not None
    legal = parsed().by_unit("Hüquqi təminat şöbəsi")
    deputy = next(p for p in legal.positions if p.kind == "deputy_head")
    assert deputy.sector == "Daxili hüquqi tənzimləmə" and deputy.clause == "7.5"
    assert deputy.role == "müdir müavini – sektor müdiri"
    assert legal.acting_clause == "7.7"
    mobile = parsed().by_unit("Səyyar xidmətlərin təşkili şöbəsi")
    assert next(p for p in mobile.positions if p.kind == "deputy_head").sector is None
    finance = parsed().by_unit("Maliyyə və təminat şöbəsi")
    assert [p.sector for p in finance.positions if p.kind == "sector_head"] == ["Uçot", "Təminat"]
    centre = parsed().by_unit("“ASAN xidmət” mərkəzi")
    assert next(p for p in centre.positions if p.kind == "head").role == "direktor"
    assert centre.acting_clause == "9.6"
    eservices = parsed().by_unit("Elektron xidmətlərin inkişafı və sosial innovasiyalar şöbəsi")
    assert eservices.acting_clause == "7.3.11"  # the organisation clauses are numbered 7.3.x


def test_sector_heading_not_in_the_composition_clause_is_an_error() -> None:
    broken = raw().replace(
        "6. Daxili hüquqi tənzimləmə sektorunun funksiyaları",
        "6. Daxili nəzarət sektorunun funksiyaları",
    )
    with pytest.raises(ParseError, match="unknown sector"):
        parse_regulations(broken)


def test_duplicate_clause_number_is_an_error() -> None:
    broken = raw().replace("3.1.3. Agentliyin qeyri normativ", "3.1.2. Agentliyin qeyri normativ")
    with pytest.raises(ParseError, match=r"duplicate clause 3\.1\.2 "):
        parse_regulations(broken)


def test_text_before_the_first_decision_is_an_error() -> None:
    with pytest.raises(ParseError, match="line 1: text before the first approving decision"):
        parse_regulations("Salam\n\n" + raw())


def test_natural_clause_order() -> None:
    numbers = ["3.1.10", "3.1.2-1", "3.1", "3.1.3", "3.1.2", "4.1", "3.1.2-2"]
    assert sorted(numbers, key=sort_key) == [
        "3.1",
        "3.1.2",
        "3.1.2-1",
        "3.1.2-2",
        "3.1.3",
        "3.1.10",
        "4.1",
    ]


def test_graph_codes_are_deterministic() -> None:
    graph = build_graph(parsed())
    assert graph == build_graph(parse_regulations(raw()))
    units = {u.code: u for u in graph.units}
    assert len(units) == 2 + 11 + 23
    assert units["DEPT-IT-SEC-1"].name_az == "İnformasiya resursları və proqramlaşdırma sektoru"
    assert units["DEPT-IT-SEC-1"].parent_code == "DEPT-IT"
    assert units["DEPT-IT"].parent_code == "APARAT"
    assert units["CENTRE"].parent_code == "AGENCY"
    assert units["DEPT-IT"].name_fold == fold("İnformasiya texnologiyaları şöbəsi")
    assert units["DEPT-IT"].name_fold.startswith("informasiya")  # İ folds to i, no dot
    assert units["AGENCY"].name_az.endswith("Dövlət Agentliyi")
    positions = {p.code: p for p in graph.positions}
    assert positions["DEPT-LEGAL-DEPUTY"].leads_code == "DEPT-LEGAL-SEC-1"
    assert positions["DEPT-LEGAL-DEPUTY"].acts_for_head
    assert positions["DEPT-FINANCE-SEC-3-HEAD"].unit_code == "DEPT-FINANCE-SEC-3"
    clauses = {c.key: c for c in graph.clauses}
    assert clauses["REG-DEPT-IT:5.1.6"].concerns_code == "DEPT-IT-SEC-1"
    assert clauses["REG-DEPT-LEGAL:3.1.2-1"].concerns_code == "DEPT-LEGAL"
