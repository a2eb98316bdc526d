"""Issue 7, items 9 and 1 (CSV): formula cells escaped on export, invisible characters in names
refused, a CSV header wider than the format refused before any heavy work."""

from __future__ import annotations

import csv
import io

import pytest

from asan.auth.principal import SYSTEM
from asan.core.errors import ValidationFailed
from asan.core.platform import Platform
from asan.registry.catalog import service as catalog
from asan.registry.catalog.bulk import export_services, import_services
from asan.registry.catalog.bulk_formats import (
    COLUMNS,
    BulkFormat,
    escape_formula,
    parse,
    unescape_formula,
)
from asan.registry.catalog.models import StateBodyInput
from tests.registry.catalog_support import EDITOR_DIN, build_registry, passport_service

FORMULAS = ('=HYPERLINK("https://evil.example")', "+1+1", "-2+3", "@SUM(A1)")


@pytest.mark.parametrize("cell", [*FORMULAS, "\tx", "\rx", "'=already", "''+twice"])
def test_formula_cells_get_a_leading_quote_and_come_back(cell: str) -> None:
    escaped = escape_formula(cell)
    assert escaped == "'" + cell
    assert unescape_formula(escaped) == cell


@pytest.mark.parametrize("cell", ["Ünvan", "'quoted text", "5.00", "a=b", ""])
def test_ordinary_cells_are_left_alone(cell: str) -> None:
    assert escape_formula(cell) == cell
    assert unescape_formula(cell) == cell


async def test_export_escapes_formulas_and_re_imports_unchanged(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.create_service(
        p,
        SYSTEM,
        passport_service(
            name_az=FORMULAS[0],
            name_en=FORMULAS[1],
            name_ru=FORMULAS[2],
            description_az=FORMULAS[3],
            fee_exemptions=("-50% pensiyaçılar",),
        ),
    )
    exported = await export_services(p, SYSTEM, "DIN", BulkFormat.CSV)
    header, row = list(csv.reader(io.StringIO(exported)))
    cells = dict(zip(header, row, strict=True))
    assert cells["nameAz"] == "'" + FORMULAS[0]
    assert cells["nameEn"] == "'" + FORMULAS[1]
    assert cells["nameRu"] == "'" + FORMULAS[2]
    assert cells["descriptionAz"] == "'" + FORMULAS[3]
    assert cells["feeExemptions"] == "'-50% pensiyaçılar"
    # no cell a spreadsheet would evaluate
    assert not [c for c in row if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    report = await import_services(p, SYSTEM, "DIN", BulkFormat.CSV, exported)
    assert report.accepted, report.rejected
    assert (report.unchanged, report.updated, report.created) == (1, 0, 0)


def test_a_header_wider_than_the_format_is_refused_at_once() -> None:
    wide = ",".join(f"col{i}" for i in range(20_000)) + "\n" + ",".join("x" * 20_000) + "\n"
    assert len(wide.encode()) > 160_000
    parsed = parse(wide, BulkFormat.CSV)
    [error] = parsed.errors
    assert (error.line, error.field) == (1, "header")
    assert f"more than {len(COLUMNS)} columns" in error.message
    assert parsed.rows == [] and parsed.total == 0


def test_a_quoted_header_spanning_lines_is_bounded_too() -> None:
    wide = '"code",' + ",".join(f'"c{i}\n"' for i in range(100)) + "\n"
    [error] = parse(wide, BulkFormat.CSV).errors
    assert error.field == "header" and "columns" in error.message


async def test_the_import_reports_the_wide_header(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    wide = ",".join(f"col{i}" for i in range(20_000)) + "\n"
    report = await import_services(p, SYSTEM, "DIN", BulkFormat.CSV, wide)
    assert not report.accepted
    assert [(e.field, e.code) for e in report.rejected] == [("header", "BAD_USER_INPUT")]


@pytest.mark.parametrize(
    "char", ["\u202e", "\u2066", "\u200f", "\u061c", "\u200b", "\u200c", "\ufeff"]
)
async def test_service_names_refuse_bidi_and_zero_width(
    clean_platform: Platform, char: str
) -> None:
    p = clean_platform
    await build_registry(p)
    with pytest.raises(ValidationFailed) as bad:
        await catalog.create_service(
            p, EDITOR_DIN, passport_service(name_az=f"Pasport{char}gpj.exe", name_en="ok")
        )
    assert [(e.field, e.code) for e in bad.value.errors] == [("nameAz", "BAD_USER_INPUT")]
    assert await catalog.repo.stored_services(p.db, ["DIN-001"]) == {}


async def test_other_domains_names_are_checked_by_the_same_rule(clean_platform: Platform) -> None:
    with pytest.raises(ValidationFailed) as bad:
        await catalog.create_state_body(
            clean_platform, SYSTEM, StateBodyInput("X", "Nazirlik\u200b", "Min\u202eistry")
        )
    assert {e.field for e in bad.value.errors} == {"nameAz", "nameEn"}


async def test_a_lone_surrogate_is_a_field_error_not_a_server_error(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await build_registry(p)
    with pytest.raises(ValidationFailed) as bad:
        await catalog.create_service(p, EDITOR_DIN, passport_service(name_en="abc\ud800"))
    [error] = bad.value.errors
    assert error.field == "nameEn" and "surrogate" in error.message
