"""The reports' pages against the real app and Neo4j with the EDMS test world, signed in
through the form: each report shows its chart (an accessible SVG) and its table; a head sees
only the units they lead; bad parameters are messages next to their fields in the page's
language; the CSV and PDF downloads work with the page session; nobody signed in is sent to
the sign-in page."""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta

import pytest

from asan.auth.principal import SYSTEM
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.core.workdays import BAKU, today_in_baku
from asan.edms.appeals.models import Applicant, NewAppeal
from asan.edms.appeals.use_cases import register_appeal
from asan.edms.documents.models import DocumentCard
from asan.edms.documents.use_cases import register_document
from asan.web.i18n import translate
from tests.edms.conftest import World, make_world
from tests.web.session_support import browser, sign_in


async def _document(world: World, unit: str) -> str:
    card = DocumentCard(
        kind="incoming",
        subject=f"Məktub {uuid.uuid4().hex[:6]}",
        unit=unit,
        correspondent_kind="state_body",
        correspondent_body="MIN-TAX",
        classification="public",
    )
    return await register_document(world.platform, SYSTEM, card)


async def _task(
    world: World, document: str, unit: str, deadline: date, reported: date | None
) -> None:
    reported_at = datetime.combine(reported, time(12), BAKU).astimezone(UTC) if reported else None
    await world.platform.db.write(
        """
        CREATE (:ExecutionTask {id: randomUUID(), resolutionId: 'R-' + $doc, documentId: $doc,
                executor: 'someone', unit: $unit, role: 'main', status: $status,
                deadline: $deadline, reportedAt: $reportedAt})
        """,
        {
            "doc": document,
            "unit": unit,
            "deadline": deadline,
            "reportedAt": reported_at,
            "status": "reported" if reported else "assigned",
        },
    )


@pytest.fixture(scope="module")
async def world(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    """IT: one on time, one late, one pending; HR: one overdue (a unit the IT head does not
    lead); three appeals through an ASAN centre whose name has Azerbaijani letters."""
    w = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("web-reports"))
    today = today_in_baku()
    await w.platform.db.write(
        "MERGE (c:AsanCentre {code: 'ASAN-ŞK'}) SET c.name = 'Şəki ASAN xidmət mərkəzi', "
        "c.nameFold = 'şəki', c.region = 'Şəki', c.address = 'Ünvan', c.hours = '09:00-19:00'"
    )
    it = await _document(w, "DEPT-IT")
    await _task(w, it, "DEPT-IT", today - timedelta(days=4), today - timedelta(days=5))
    await _task(w, it, "DEPT-IT", today - timedelta(days=4), today - timedelta(days=1))
    await _task(w, it, "DEPT-IT", today + timedelta(days=4), None)
    hr = await _document(w, "DEPT-HR")
    await _task(w, hr, "DEPT-HR", today - timedelta(days=2), None)
    registrar = w.principal("registrar")
    for kind, name in (("complaint", "Aygün"), ("proposal", "Rəşad"), ("complaint", "Tural")):
        await register_appeal(
            w.platform,
            registrar,
            NewAppeal(
                appeal_type=kind,
                channel="asan_centre",
                centre="ASAN-ŞK",
                unit="DEPT-IT",
                applicant=Applicant(name, contact="050 000 00 00"),
                subject=f"Mövzu {name}",
            ),
        )
    yield w
    await w.client.aclose()


def _period() -> str:
    today = today_in_baku()
    start, end = today - timedelta(days=20), today + timedelta(days=20)
    return f"from={start.isoformat()}&to={end.isoformat()}"


def _rows(html: str) -> dict[str, list[str]]:
    """The report table's rows by their first cell."""
    body = html.split('class="report-table"', 1)[1].split("</table>", 1)[0]
    rows: dict[str, list[str]] = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [c.strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)]
        rows[cells[0]] = cells[1:]
    return rows


async def test_each_report_shows_its_chart_and_table_to_a_registrar(world: World) -> None:
    year = today_in_baku().year
    async with browser(world) as client:
        await sign_in(client, "registrar", lang="en")
        index = await client.get("/en/reports")
        discipline = await client.get(f"/en/reports/execution-discipline?{_period()}")
        appeals = await client.get(f"/en/reports/appeal-statistics?year={year}")
        summary = await client.get(f"/en/reports/record-keeping?year={year}")
    assert index.status_code == 200
    for slug in ("execution-discipline", "appeal-statistics", "record-keeping"):
        assert f'href="/en/reports/{slug}"' in index.text
    assert discipline.status_code == 200, discipline.text
    rows = _rows(discipline.text)
    # unit, name, total, on time, late, overdue, pending, on time %
    assert rows["DEPT-IT"][1:7] == ["3", "1", "1", "0", "1", "50.0"]
    assert rows["DEPT-HR"][1:6] == ["1", "0", "0", "1", "0"]
    html = discipline.text
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    # the legend names each series in words; the overdue series has a pattern, not only a colour
    for key in ("onTime", "late", "overdue", "pending"):
        assert translate("en", f"reports.col.{key}") in html.split("chart-legend", 1)[1]
    assert 'fill="url(#chart-discipline-overdue)"' in html
    assert "DEPT-IT: On time 1, Late 1, Pending 1" in html  # the description for screen readers
    assert " style=" not in html  # CSP: no inline styles
    assert appeals.status_code == 200
    centre = _rows(appeals.text)
    assert any("Şəki ASAN xidmət mərkəzi" in cells[0] for cells in centre.values())
    assert translate("en", "reports.col.complaints") in appeals.text
    month = today_in_baku().month  # the month's name in the page's language
    assert f"{year}-{month:02d} {translate('en', f'reports.month.{month:02d}')}" in appeals.text
    # the second chart: the year's months in time (empty months too), each bar by appeal type
    per_month = appeals.text.split('id="chart-appeals-1"', 1)[1]
    assert translate("en", "reports.appeals.chart1") in appeals.text
    description = per_month.split('<desc id="chart-appeals-1-desc">', 1)[1].split("</desc>", 1)[0]
    january, december = f"{year}-01 ", f"{year}-12 "
    assert description.index(january) < description.index(december)
    this_month = description.split(f"{year}-{month:02d} ", 1)[1].split(";", 1)[0]
    assert sum(int(n) for n in re.findall(r" (\d+)", this_month)) == 3  # the 3 appeals
    assert summary.status_code == 200
    assert _rows(summary.text)["Appeals received"] == ["3"]


async def test_a_head_sees_only_the_units_they_lead(world: World) -> None:
    async with browser(world) as client:
        await sign_in(client, "head", lang="az")
        page = await client.get(f"/az/reports/execution-discipline?{_period()}")
        refused_user = await client.get("/az/reports")  # the index itself is open to them
    assert page.status_code == 200 and refused_user.status_code == 200
    rows = _rows(page.text)
    assert "DEPT-IT" in rows and "DEPT-HR" not in rows
    assert "DEPT-HR" not in page.text
    async with browser(world) as client:
        await sign_in(client, "outsider")
        refused = await client.get(f"/en/reports/execution-discipline?{_period()}")
    assert refused.status_code == 403
    assert translate("en", "reports.forbidden.title") in refused.text


@pytest.mark.parametrize("lang", ["az", "en"])
async def test_bad_parameters_are_messages_next_to_the_field(world: World, lang: str) -> None:
    async with browser(world) as client:
        await sign_in(client, "registrar", lang=lang)
        backwards = await client.get(
            f"/{lang}/reports/execution-discipline?from=2026-03-10&to=2026-03-01"
        )
        not_a_date = await client.get(f"/{lang}/reports/execution-discipline?from=31.02.2026")
        out_of_range = await client.get(f"/{lang}/reports/appeal-statistics?year=1999")
        letters = await client.get(f"/{lang}/reports/record-keeping?year=20x6")
        bad_download = await client.get(f"/{lang}/reports/record-keeping.pdf?year=3000")
    for response, field, key in (
        (backwards, "to", "reports.error.backwards"),
        (not_a_date, "from", "reports.error.date"),
        (out_of_range, "year", "reports.error.year_range"),
        (letters, "year", "reports.error.year_digits"),
        (bad_download, "year", "reports.error.year_range"),
    ):
        assert response.status_code == 400
        found = re.search(
            rf'<input id="p-{field}"[^>]*aria-invalid="true" aria-describedby="p-{field}-error"'
            rf'.*?<p id="p-{field}-error" class="field-error">([^<]*)</p>',
            response.text,
            re.S,
        )
        assert found is not None, response.text
        assert found.group(1) == translate(lang, key)  # type: ignore[arg-type]
        assert 'class="report-table"' not in response.text


async def test_csv_and_pdf_download_with_the_page_session(world: World) -> None:
    year = today_in_baku().year
    async with browser(world) as client:
        await sign_in(client, "registrar", lang="az")
        page = await client.get(f"/az/reports/appeal-statistics?year={year}")
        links = dict(
            re.findall(r'<a href="(/az/reports/appeal-statistics\.(\w+)\?[^"]+)"', page.text)
        )
        found = {fmt: link for link, fmt in links.items()}
        assert set(found) == {"csv", "pdf"}
        csv_file = await client.get(found["csv"].replace("&amp;", "&"))
        pdf_file = await client.get(found["pdf"].replace("&amp;", "&"))
        discipline = await client.get(f"/en/reports/execution-discipline.csv?{_period()}")
        other_format = await client.get(f"/en/reports/record-keeping.xlsx?year={year}")
    assert csv_file.status_code == 200
    assert csv_file.headers["content-type"].startswith("text/csv")
    assert csv_file.content.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert any("Şəki ASAN xidmət mərkəzi" in cell for row in table for cell in row)
    assert pdf_file.status_code == 200 and pdf_file.content.startswith(b"%PDF")
    assert "attachment" in pdf_file.headers["content-disposition"]
    units = {row[0] for row in csv.reader(io.StringIO(discipline.content.decode("utf-8-sig")))}
    assert other_format.status_code == 404
    assert {"DEPT-IT", "DEPT-HR"} <= units


async def test_nobody_signed_in_is_sent_to_sign_in(world: World) -> None:
    async with browser(world) as client:
        for path in (
            "/az/reports",
            "/az/reports/record-keeping",
            "/en/reports/execution-discipline.csv",
        ):
            response = await client.get(path)
            assert response.status_code == 303
            assert response.headers["location"].startswith(f"{path[:3]}/signin?next=")
