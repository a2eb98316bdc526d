"""Bulk import/export on the real graph: all or nothing, line reports, round trip, policy."""

from __future__ import annotations

import json

import pytest

from asan.auth.principal import SYSTEM
from asan.core.errors import Forbidden, NotFound
from asan.core.platform import Platform
from asan.registry.catalog import service as catalog
from asan.registry.catalog.bulk import export_services, import_services
from asan.registry.catalog.bulk_formats import COLUMNS, BulkFormat
from tests.registry.catalog_support import (
    EDITOR_ASAN,
    EDITOR_DIN,
    REVIEWER,
    build_registry,
    passport_service,
)

HEADER = ",".join(COLUMNS)


def row(**values: str) -> str:
    cells = []
    for column in COLUMNS:
        value = values.get(column, "")
        cells.append(f'"{value}"' if any(c in value for c in ',"\n') else value)
    return ",".join(cells)


async def count(p: Platform, cypher: str, **params: object) -> int:
    rows = await p.db.read(cypher, params)  # type: ignore[arg-type]
    return int(rows[0]["n"])


@pytest.fixture
async def registry(clean_platform: Platform) -> Platform:
    await build_registry(clean_platform)
    # documents, outputs and legal acts enter the registry with a first service
    await catalog.create_service(clean_platform, SYSTEM, passport_service())
    return clean_platform


GOOD_CSV = "\n".join(
    [
        HEADER,
        row(
            code="DIN-101",
            nameAz="Ünvan qeydiyyatı",
            nameEn="Address registration",
            nameRu="Регистрация по месту жительства",
            processingDays="1",
            feeAmount="0",
            channels="ASAN_CENTRE;MOBILE_BUS",
            requirements="BIRTH-CERT;PHOTO|18 yaşdan yuxarı",
            legalBasis="LAW-ID|12",
            systems="IAMAS",
            centres="BAKU-1",
            buses="BUS-1",
            categories="IDENTITY",
        ),
        row(
            code="DIN-102",
            nameAz="S\u0327əxsiyyət vəsiqəsinin dəyişdirilməsi  ",  # NFD "ş", trailing blanks
            feeAmount="5.00",
            processingDays="10",
            channels="ONLINE",
            onlineUrl="https://e-gov.az/din/102",
            systems="VISA",
        ),
    ]
)


async def test_import_creates_services_with_relationships_and_audits(registry: Platform) -> None:
    report = await import_services(registry, EDITOR_DIN, "DIN", BulkFormat.CSV, GOOD_CSV)
    assert report.accepted, report.rejected
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    rows = await registry.db.read(
        """
        MATCH (s:Service {code: 'DIN-101'})-[:PROVIDED_BY]->(b:StateBody)
        RETURN s.status AS status, s.nameAz AS name, b.code AS body,
               [(s)-[r:REQUIRES]->(e) | [r.position, e.code, r.condition]] AS docs,
               [(s)-[:OFFERED_ON]->(m) | m.code] AS buses
        """
    )
    assert len(rows) == 1
    found = rows[0]
    assert (found["status"], found["name"], found["body"]) == ("draft", "Ünvan qeydiyyatı", "DIN")
    assert sorted(found["docs"]) == [[0, "BIRTH-CERT", None], [1, "PHOTO", "18 yaşdan yuxarı"]]
    assert found["buses"] == ["BUS-1"]
    stored = await registry.db.read("MATCH (s:Service {code: 'DIN-102'}) RETURN s.nameAz AS n")
    assert stored == [{"n": "Şəxsiyyət vəsiqəsinin dəyişdirilməsi"}]  # NFC and trimmed
    audit = await registry.db.read(
        "MATCH (e:AuditEvent {action: 'registry.service.bulk_import'}) "
        "RETURN e.outcome AS outcome, e.details AS details, e.actor AS actor"
    )
    assert len(audit) == 1 and audit[0]["outcome"] == "allowed"
    assert audit[0]["actor"] == "editor-din"
    assert json.loads(audit[0]["details"])["created"] == 2


async def test_one_bad_line_rejects_the_whole_file(registry: Platform) -> None:
    before = await count(registry, "MATCH (s:Service) RETURN count(s) AS n")
    text = "\n".join(
        [
            GOOD_CSV,
            row(code="DIN-103", nameAz="Yaxşı\u0007ad", feeAmount="1", systems="NO-SUCH"),
            row(code="DIN-104", nameAz="Sənəd", feeAmount="1", requirements="UNKNOWN-DOC"),
        ]
    )
    report = await import_services(registry, EDITOR_DIN, "DIN", BulkFormat.CSV, text)
    assert not report.accepted
    assert {(e.line, e.field, e.code) for e in report.rejected} == {
        (4, "nameAz", "BAD_USER_INPUT"),
        (4, "systems[0]", "NOT_FOUND"),
        (5, "requirements[0].code", "NOT_FOUND"),
    }
    assert all("/" in e.message for e in report.rejected)  # Azerbaijani / English
    # nothing written: not even the good lines 2 and 3
    assert await count(registry, "MATCH (s:Service) RETURN count(s) AS n") == before
    assert await count(registry, "MATCH (s:Service {code: 'DIN-101'}) RETURN count(s) AS n") == 0
    outcome = await registry.db.read(
        "MATCH (e:AuditEvent {action: 'registry.service.bulk_import'}) RETURN e.outcome AS o"
    )
    assert outcome == [{"o": "rejected"}]


async def test_export_reimports_unchanged_in_both_formats(registry: Platform) -> None:
    await import_services(registry, EDITOR_DIN, "DIN", BulkFormat.CSV, GOOD_CSV)
    versions = await count(registry, "MATCH (v:ServiceVersion) RETURN count(v) AS n")
    for fmt in BulkFormat:
        text = await export_services(registry, EDITOR_DIN, "DIN", fmt)
        assert "Şəxsiyyət vəsiqəsinin dəyişdirilməsi" in text
        report = await import_services(registry, EDITOR_DIN, "DIN", fmt, text)
        assert report.accepted, report.rejected
        assert (report.created, report.updated, report.unchanged) == (0, 0, 3), fmt
        # and the export of the re-import is byte-identical
        assert await export_services(registry, EDITOR_DIN, "DIN", fmt) == text
    assert await count(registry, "MATCH (v:ServiceVersion) RETURN count(v) AS n") == versions


async def test_changed_row_is_updated_with_a_new_version(registry: Platform) -> None:
    await import_services(registry, EDITOR_DIN, "DIN", BulkFormat.CSV, GOOD_CSV)
    text = await export_services(registry, EDITOR_DIN, "DIN", BulkFormat.JSON)
    records = json.loads(text)
    for record in records:
        if record["code"] == "DIN-102":
            record["processingDays"] = 7
    changed = "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]"
    report = await import_services(registry, EDITOR_DIN, "DIN", BulkFormat.JSON, changed)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    rows = await registry.db.read(
        "MATCH (s:Service {code: 'DIN-102'}) RETURN s.processingDays AS days, s.version AS v"
    )
    assert rows == [{"days": 7, "v": 2}]


async def test_code_of_another_bodys_service_is_rejected(registry: Platform) -> None:
    text = "\n".join([HEADER, row(code="DIN-001", nameAz="Başqa", feeAmount="0")])
    report = await import_services(registry, SYSTEM, "ASAN", BulkFormat.CSV, text)
    assert not report.accepted
    assert [(e.line, e.field, e.code) for e in report.rejected] == [(2, "code", "CONFLICT")]


async def test_only_own_body_editors_and_reviewers_may_import(registry: Platform) -> None:
    with pytest.raises(Forbidden):
        await import_services(registry, EDITOR_ASAN, "DIN", BulkFormat.CSV, GOOD_CSV)
    with pytest.raises(Forbidden):
        await export_services(registry, EDITOR_ASAN, "DIN", BulkFormat.CSV)
    refusals = await count(
        registry,
        "MATCH (e:AuditEvent {outcome: 'refused', action: 'registry.service.bulk_import'}) "
        "RETURN count(e) AS n",
    )
    assert refusals == 1
    with pytest.raises(NotFound):
        await import_services(registry, SYSTEM, "NO-BODY", BulkFormat.CSV, GOOD_CSV)


async def test_status_is_not_changed_by_an_editor(registry: Platform) -> None:
    text = "\n".join(
        [
            HEADER,
            row(code="DIN-201", nameAz="Dərc olunmuş", feeAmount="0", status="published"),
            row(code="DIN-001", nameAz="Pasport", feeAmount="0", status="suspended"),
        ]
    )
    report = await import_services(registry, EDITOR_DIN, "DIN", BulkFormat.CSV, text)
    assert {(e.line, e.field, e.code) for e in report.rejected} == {
        (2, "status", "FORBIDDEN"),
        (3, "status", "INVALID_TRANSITION"),
    }
    # an operator's import (the system) may bring a service in already registered
    ok = "\n".join(
        [HEADER, row(code="DIN-201", nameAz="Dərc olunmuş", feeAmount="0", status="published")]
    )
    refused = await import_services(registry, REVIEWER, "DIN", BulkFormat.CSV, ok)
    assert [(e.field, e.code) for e in refused.rejected] == [("code", "FORBIDDEN")]
    report = await import_services(registry, SYSTEM, "DIN", BulkFormat.CSV, ok)
    assert report.accepted and report.created == 1
    rows = await registry.db.read("MATCH (s:Service {code: 'DIN-201'}) RETURN s.status AS st")
    assert rows == [{"st": "published"}]


async def test_editor_cannot_change_a_published_service_by_file(registry: Platform) -> None:
    ok = "\n".join(
        [HEADER, row(code="DIN-301", nameAz="Köhnə ad", feeAmount="0", status="published")]
    )
    assert (await import_services(registry, SYSTEM, "DIN", BulkFormat.CSV, ok)).accepted
    changed = ok.replace("Köhnə ad", "Yeni ad")
    report = await import_services(registry, EDITOR_DIN, "DIN", BulkFormat.CSV, changed)
    assert [(e.field, e.code) for e in report.rejected] == [("code", "FORBIDDEN")]
    rows = await registry.db.read("MATCH (s:Service {code: 'DIN-301'}) RETURN s.nameAz AS n")
    assert rows == [{"n": "Köhnə ad"}]
