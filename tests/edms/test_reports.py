"""Reports against the real Neo4j, through GraphQL and the HTTP downloads: execution
discipline per unit from the resolutions part's ExecutionTask nodes (on time, late, overdue,
pending; forwarded parts not counted twice; secrets absent for those who may not see them),
monthly appeals per ASAN centre, the annual summary, CSV and PDF (checked with poppler)."""

from __future__ import annotations

import asyncio
import csv
import io
import subprocess
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from asan.auth.principal import SYSTEM
from asan.core.workdays import BAKU, today_in_baku
from asan.edms.appeals.models import Applicant, NewAppeal
from asan.edms.appeals.use_cases import register_appeal
from asan.edms.documents.models import DocumentCard
from asan.edms.documents.use_cases import register_document
from tests.edms.conftest import World

pytestmark = pytest.mark.asyncio(loop_scope="session")

DISCIPLINE = """query($f: Date!, $t: Date!) { executionDiscipline(from: $f, to: $t) {
  unit unitName total onTime late overdue pending onTimePercent } }"""


def at(day: date) -> datetime:
    """Noon in Baku on ``day``, as the UTC instant the resolutions part stores."""
    return datetime.combine(day, time(12), BAKU).astimezone(UTC)


async def document(world: World, unit: str, classification: str = "public") -> str:
    card = DocumentCard(
        kind="incoming",
        subject=f"Məktub {uuid.uuid4().hex[:6]}",
        unit=unit,
        correspondent_kind="state_body",
        correspondent_body="MIN-TAX",
        classification=classification,
    )
    return await register_document(world.platform, SYSTEM, card)


async def task(
    world: World,
    document_id: str,
    unit: str,
    deadline: date,
    reported: date | None = None,
    status: str | None = None,
) -> None:
    await world.platform.db.write(
        """
        CREATE (:ExecutionTask {id: randomUUID(), resolutionId: 'R-' + $doc, documentId: $doc,
                executor: 'someone', unit: $unit, role: 'main', status: $status,
                deadline: $deadline, reportedAt: $reportedAt})
        """,
        {
            "doc": document_id,
            "unit": unit,
            "deadline": deadline,
            "reportedAt": at(reported) if reported else None,
            "status": status or ("reported" if reported else "assigned"),
        },
    )


@pytest.fixture(scope="module")
async def world(edms_world: World) -> World:
    w = edms_world
    today = today_in_baku()
    await w.platform.db.write(
        "CREATE (:AsanCentre {code: 'ASAN-1', name: 'Bakı 1 nömrəli ASAN xidmət mərkəzi', "
        "nameFold: 'bakı 1', region: 'Bakı', address: 'Ünvan', hours: '09:00-19:00'})"
    )
    it = await document(w, "DEPT-IT")
    await task(w, it, "DEPT-IT", today - timedelta(days=10), reported=today - timedelta(days=12))
    await task(w, it, "DEPT-IT", today - timedelta(days=10), reported=today - timedelta(days=10))
    await task(w, it, "DEPT-IT", today - timedelta(days=10), reported=today - timedelta(days=5))
    await task(w, it, "DEPT-IT-SEC-1", today - timedelta(days=3))  # overdue
    await task(w, it, "DEPT-IT", today + timedelta(days=5))  # pending
    await task(w, it, "DEPT-IT", today - timedelta(days=1), status="forwarded")  # handed on
    await task(w, it, "DEPT-IT", today - timedelta(days=90))  # outside the period
    hr = await document(w, "DEPT-HR")
    await task(w, hr, "DEPT-HR", today - timedelta(days=2))
    secret = await document(w, "DEPT-HR", "service_secret")
    await w.platform.db.write(  # the registrar works on it; nobody else may see it
        "MATCH (d:Document {id: $id}) SET d.involved = [$who]",
        {"id": secret, "who": w.users["registrar"]},
    )
    await task(w, secret, "DEPT-HR", today - timedelta(days=2))

    def appeal(kind: str, channel: str, centre: str | None, name: str) -> NewAppeal:
        return NewAppeal(
            appeal_type=kind,
            channel=channel,
            centre=centre,
            unit="DEPT-IT",
            applicant=Applicant(name, contact=f"050 000 00 {len(name):02d}"),
            subject=f"Mövzu {name}",
        )

    registrar = w.principal("registrar")
    for a in (
        appeal("complaint", "asan_centre", "ASAN-1", "Aygün"),
        appeal("proposal", "asan_centre", "ASAN-1", "Rəşad"),
        appeal("complaint", "asan_centre", "ASAN-1", "Tural"),
        appeal("application", "website", None, "Səbinə"),
    ):
        await register_appeal(w.platform, registrar, a)
    return w


def period() -> dict[str, str]:
    today = today_in_baku()
    return {
        "f": (today - timedelta(days=30)).isoformat(),
        "t": (today + timedelta(days=30)).isoformat(),
    }


async def test_execution_discipline_per_unit(world: World) -> None:
    rows = {
        r["unit"]: r
        for r in (await world.gql("admin", DISCIPLINE, period()))["executionDiscipline"]
    }
    it = rows["DEPT-IT"]
    assert (it["total"], it["onTime"], it["late"], it["overdue"], it["pending"]) == (4, 2, 1, 0, 1)
    assert it["onTimePercent"] == pytest.approx(66.7)
    assert it["unitName"] == "İT şöbəsi"
    assert (rows["DEPT-IT-SEC-1"]["overdue"], rows["DEPT-IT-SEC-1"]["total"]) == (1, 1)
    # the secret document's task counts only for whom may see the document: the registrar who
    # works on it (clearance service_secret), not the administrator (public clearance)
    assert rows["DEPT-HR"]["total"] == 1
    for who, total in (("registrar", 2), ("registrar2", 1)):
        seen = {
            r["unit"]: r
            for r in (await world.gql(who, DISCIPLINE, period()))["executionDiscipline"]
        }
        assert seen["DEPT-HR"]["total"] == total and seen["DEPT-HR"]["overdue"] == total
    # a head sees only the units they lead
    head = (await world.gql("head", DISCIPLINE, period()))["executionDiscipline"]
    assert {r["unit"] for r in head} == {"DEPT-IT", "DEPT-IT-SEC-1"}
    refused = await world.post("outsider", DISCIPLINE, period())
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    backwards = await world.post("admin", DISCIPLINE, {"f": period()["t"], "t": period()["f"]})
    assert backwards["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_appeal_statistics_and_the_annual_summary(world: World) -> None:
    today = today_in_baku()
    data = await world.gql(
        "registrar",
        "query($y: Int!) { appealStatistics(year: $y) { month channel centre centreName "
        "proposals applications complaints total } }",
        {"y": today.year},
    )
    rows = {(r["channel"], r["centre"]): r for r in data["appealStatistics"]}
    centre = rows[("asan_centre", "ASAN-1")]
    assert centre["month"] == today.month
    assert (centre["proposals"], centre["applications"], centre["complaints"]) == (1, 0, 2)
    assert centre["total"] == 3 and centre["centreName"].startswith("Bakı 1")
    assert rows[("website", None)]["applications"] == 1
    empty = await world.gql("registrar", "query { appealStatistics(year: 2001) { total } }")
    assert empty["appealStatistics"] == []

    summary = (
        await world.gql(
            "admin",
            "query($y: Int!) { recordKeepingSummary(year: $y) { year journals { journal "
            "registered } tasks { total overdue } appealsReceived appealsOpen appealsAnswered } }",
            {"y": today.year},
        )
    )["recordKeepingSummary"]
    journals = {j["journal"]: j["registered"] for j in summary["journals"]}
    assert journals["INC"] == 2 and journals["APL-C"] == 2 and journals["APL-P"] == 1
    assert journals["APL-A"] == 1 and journals["OUT"] == 0
    assert summary["appealsReceived"] == 4 and summary["appealsOpen"] == 4
    assert summary["appealsAnswered"] == 0
    # the administrator (public clearance) counts neither the secret document nor its task
    due_this_year = [
        d for d in (10, 10, 10, 3, -5, 2, 90) if (today - timedelta(days=d)).year == today.year
    ]
    assert summary["tasks"]["total"] == len(due_this_year)


async def test_csv_and_pdf_downloads(world: World, tmp_path: Any) -> None:
    p = period()
    url = f"/edms/reports/execution-discipline.csv?from={p['f']}&to={p['t']}"
    response = await world.client.get(url, headers=world.headers("admin"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][0] == "Bölmə / Unit"
    by_unit = {row[0]: row for row in table[1:]}
    assert by_unit["DEPT-IT"][1] == "İT şöbəsi" and by_unit["DEPT-IT"][2:7] == [
        "4",
        "2",
        "1",
        "0",
        "1",
    ]

    year = today_in_baku().year
    for report in ("appeal-statistics", "record-keeping", "execution-discipline"):
        response = await world.client.get(
            f"/edms/reports/{report}.pdf?year={year}", headers=world.headers("registrar")
        )
        assert response.status_code == 200, response.text
        assert response.content.startswith(b"%PDF-")
        path = tmp_path / f"{report}.pdf"
        path.write_bytes(response.content)
        fonts = await asyncio.to_thread(
            subprocess.run, ["pdffonts", str(path)], capture_output=True, text=True, check=True
        )
        assert "DejaVuSans" in fonts.stdout
        words = (
            await asyncio.to_thread(
                subprocess.run,
                ["pdftotext", "-layout", str(path), "-"],
                capture_output=True,
                text=True,
                check=True,
            )
        ).stdout
        if report == "appeal-statistics":
            assert "Daxil olan müraciətlər" in words and "Şikayət" in words
            assert "Bakı 1 nömrəli ASAN xidmət mərkəzi" in words
            # the months' chart: every month of the year in time, January before December
            assert "Aylar üzrə / Per month" in words
            assert words.index(f"{year}-01 ") < words.index(f"{year}-12 ")
        if report == "record-keeping":
            assert "Kargüzarlığın illik icmalı" in words and "APL-C" in words

    assert (await world.client.get("/edms/reports/record-keeping.pdf")).status_code == 401
    outsider = await world.client.get(
        "/edms/reports/record-keeping.csv", headers=world.headers("outsider")
    )
    assert outsider.status_code == 403
    bad = await world.client.get(
        "/edms/reports/record-keeping.csv?year=20x6", headers=world.headers("admin")
    )
    assert bad.status_code == 400 and "year" in bad.json()["error"]
    unknown = await world.client.get("/edms/reports/payroll.csv", headers=world.headers("admin"))
    assert unknown.status_code == 404
