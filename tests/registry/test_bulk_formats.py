"""Reading and writing the bulk formats: pure functions, no database."""

from __future__ import annotations

from decimal import Decimal

from asan.registry.catalog.bulk_formats import (
    COLUMNS,
    BulkFormat,
    LegalRef,
    Ref,
    parse,
    render,
)
from asan.registry.catalog.models import Evidence, LegalBasis, Output, ServiceInput

HEADER = ",".join(COLUMNS)


def csv_line(**values: str) -> str:
    cells = []
    for column in COLUMNS:
        value = values.get(column, "")
        cells.append(f'"{value}"' if any(c in value for c in ',"\n') else value)
    return ",".join(cells)


def test_csv_multi_valued_cells_and_qualifiers() -> None:
    text = "\n".join(
        [
            HEADER,
            csv_line(
                code="DIN-010",
                nameAz="  Sürücülük vəsiqəsinin dəyişdirilməsi ",
                feeAmount="15.5",
                processingDays="3",
                channels="ASAN_CENTRE;ONLINE",
                requirements="ID-CARD;PHOTO|18 yaşdan yuxarı",
                legalBasis="LAW-ROAD|5.1,7",
                feeExemptions="Müharibə əlilləri;Şəhid ailələri",
            ),
        ]
    )
    parsed = parse(text, BulkFormat.CSV)
    assert parsed.errors == []
    [row] = parsed.rows
    assert row.line == 2 and row.record == 1
    assert row.name_az == "Sürücülük vəsiqəsinin dəyişdirilməsi"
    assert row.fee_amount == Decimal("15.50")
    assert row.processing_days == 3
    assert row.channels == ("ASAN_CENTRE", "ONLINE")
    assert row.requirements == (Ref("ID-CARD"), Ref("PHOTO", "18 yaşdan yuxarı"))
    assert row.legal_basis == (LegalRef("LAW-ROAD", ("5.1", "7")),)
    assert row.fee_exemptions == ("Müharibə əlilləri", "Şəhid ailələri")


def test_csv_errors_name_line_and_field_and_continue_past_bad_rows() -> None:
    text = "\r\n".join(
        [
            HEADER,
            csv_line(code="A-1", nameAz="Bir", feeAmount="abc"),
            csv_line(code="A-2", nameAz="İki", feeAmount="0", processingDays="-3"),
            csv_line(code="A-1", nameAz="Təkrar", feeAmount="0"),
            csv_line(code="", nameAz="Kodsuz", feeAmount="1"),
            csv_line(code="A-5", nameAz="Beş"),
        ]
    )
    parsed = parse(text, BulkFormat.CSV)
    found = {(e.line, e.field) for e in parsed.errors}
    assert found == {
        (2, "feeAmount"),
        (3, "processingDays"),
        (4, "code"),  # duplicate of line 2
        (5, "code"),
        (6, "feeAmount"),  # missing: the fee must be stated
    }
    duplicate = next(e for e in parsed.errors if e.line == 4)
    assert "line 2" in duplicate.message


def test_csv_header_problems_reject_the_file() -> None:
    parsed = parse("code,nameAz,colour\nX-1,Ad,qırmızı\n", BulkFormat.CSV)
    messages = {(e.line, e.field, e.message.split(" /")[0]) for e in parsed.errors}
    assert (1, "header", "naməlum sütun 'colour'") in messages
    assert any("'feeAmount'" in e.message for e in parsed.errors)
    assert parsed.rows == []


def test_csv_multiline_quoted_cell_keeps_line_numbers() -> None:
    text = "\n".join(
        [
            HEADER,
            csv_line(code="M-1", nameAz="Bir", feeAmount="0", descriptionAz="birinci\nikinci"),
            csv_line(code="M-2", nameAz="İki", feeAmount="x"),
        ]
    )
    parsed = parse(text, BulkFormat.CSV)
    assert [e.line for e in parsed.errors] == [4]


def test_csv_separator_inside_a_qualifier_is_rejected() -> None:
    text = "\n".join(
        [HEADER, csv_line(code="Q-1", nameAz="Ad", feeAmount="0", requirements="DOC|a|b")]
    )
    [error] = parse(text, BulkFormat.CSV).errors
    assert error.field == "requirements.condition"


def test_json_records_report_the_line_they_start_on() -> None:
    text = (
        "[\n"
        '{"code": "J-1", "nameAz": "Bir", "feeAmount": "1.00"},\n'
        '{"code": "J-2", "nameAz": "İki", "feeAmount": 2, "channels": "ONLINE"},\n'
        '{"code": "J-3",\n "nameAz": "Üç", "feeAmount": 1.234, "colour": "x"}\n'
        "]"
    )
    parsed = parse(text, BulkFormat.JSON)
    assert {(e.line, e.record, e.field) for e in parsed.errors} == {
        (4, 3, "feeAmount"),
        (4, 3, "colour"),
    }
    # a CSV-style string is accepted for a list in JSON too
    assert [r.code for r in parsed.rows] == ["J-1", "J-2"]
    assert parsed.rows[1].channels == ("ONLINE",)


def test_json_syntax_error_names_its_line() -> None:
    parsed = parse('[\n{"code": "J-1", "nameAz": "Bir", "feeAmount": 0},\n{"code": }\n]', "json")
    assert [(e.line, e.field) for e in parsed.errors] == [(3, "content")]


def test_empty_content_is_an_error() -> None:
    assert parse("[]", BulkFormat.JSON).errors[0].field == "content"
    assert parse("", BulkFormat.CSV).errors[0].field == "content"


def sample_input() -> ServiceInput:
    return ServiceInput(
        code="ƏDL-1".replace("Ə", "E"),
        name_az='Nikahın dövlət qeydiyyatı, "şəhadətnamə"',
        provider="EDLIYYE",
        name_en="Marriage registration",
        name_ru="Регистрация брака",
        description_az="Çoxsətirli\ntəsvir",
        processing_days=1,
        fee_amount=Decimal("0.00"),
        fee_exemptions=("Aztəminatlı ailələr",),
        online_url="https://e-gov.az/x",
        channels=("ASAN_CENTRE", "ONLINE"),
        legal_basis=(LegalBasis("AK-1", "Ailə Məcəlləsi", ("12", "15.2")),),
        requirements=(
            Evidence("ID", "Şəxsiyyət vəsiqəsi"),
            Evidence("MED", "Tibbi arayış", condition="əgər tələb olunarsa"),
        ),
        outputs=(Output("CERT", "Şəhadətnamə"),),
        centres=("BAKU-1",),
        systems=("IAMAS",),
        categories=("FAMILY",),
    )


def test_render_then_parse_gives_the_same_values_in_both_formats() -> None:
    service = sample_input()
    for fmt in BulkFormat:
        text = render([(service, "published")], fmt)
        parsed = parse(text, fmt)
        assert parsed.errors == [], fmt
        [row] = parsed.rows
        assert row.code == service.code and row.name_az == service.name_az
        assert row.description_az == "Çoxsətirli\ntəsvir"
        assert row.status == "published"
        assert row.requirements == (Ref("ID"), Ref("MED", "əgər tələb olunarsa"))
        assert row.legal_basis == (LegalRef("AK-1", ("12", "15.2")),)
        assert row.outputs == ("CERT",)
        assert row.fee_amount == Decimal("0.00")
        assert row.fee_exemptions == ("Aztəminatlı ailələr",)
