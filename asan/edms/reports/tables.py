"""The reports as tables for download, with the charts people would rather look at.

Month names and headers are Azerbaijani / English like every other message of the system.
"""

from __future__ import annotations

from datetime import date

from asan.edms.reports.models import AnnualSummary, AppealMonthRow, Chart, DisciplineRow, Table

MONTHS = (
    "Yanvar",
    "Fevral",
    "Mart",
    "Aprel",
    "May",
    "İyun",
    "İyul",
    "Avqust",
    "Sentyabr",
    "Oktyabr",
    "Noyabr",
    "Dekabr",
)
CHANNEL_NAMES = {
    "reception": "Vətəndaş qəbulu / Reception",
    "mail": "Poçt / Mail",
    "website": "Veb sayt / Website",
    "call_centre_108": "108 Çağrı mərkəzi / Call centre 108",
    "asan_centre": "ASAN xidmət mərkəzi / ASAN centre",
}


def discipline_table(rows: list[DisciplineRow], start: date, end: date, today: date) -> Table:
    return Table(
        name=f"execution-discipline-{start.isoformat()}-{end.isoformat()}",
        title="İcra intizamı / Execution discipline",
        subtitle=(
            f"Son icra tarixi {start.isoformat()} - {end.isoformat()} olan tapşırıqlar / "
            f"tasks due {start.isoformat()} to {end.isoformat()}"
        ),
        columns=(
            ("unit", "Bölmə / Unit"),
            ("unitName", "Adı / Name"),
            ("total", "Cəmi / Total"),
            ("onTime", "Vaxtında / On time"),
            ("late", "Gecikmiş / Late"),
            ("overdue", "Vaxtı keçmiş / Overdue"),
            ("pending", "İcrada / Pending"),
            ("onTimePercent", "Vaxtında % / On time %"),
        ),
        rows=[
            {
                "unit": r.unit,
                "unitName": r.unit_name,
                "total": r.total,
                "onTime": r.on_time,
                "late": r.late,
                "overdue": r.overdue,
                "pending": r.pending,
                "onTimePercent": r.on_time_percent,
            }
            for r in rows
        ],
        charts=(
            Chart(
                "Bölmələr üzrə tapşırıqlar / Tasks per unit",
                "unit",
                ("onTime", "late", "overdue", "pending"),
            ),
        ),
        generated=today,
    )


def _place(r: AppealMonthRow) -> str:
    if r.centre:
        return f"{r.centre_name or r.centre} ({r.centre})"
    return CHANNEL_NAMES.get(r.channel, r.channel)


def appeals_table(rows: list[AppealMonthRow], year: int, today: date) -> Table:
    per_place: dict[str, dict[str, str | int | float | None]] = {}
    per_month: dict[int, dict[str, str | int | float | None]] = {
        month: {
            "month": f"{year}-{month:02d} {MONTHS[month - 1]}",
            "proposals": 0,
            "applications": 0,
            "complaints": 0,
        }
        for month in range(1, 13)
    }
    for r in rows:
        totals = per_month[r.month]
        for key, value in (
            ("proposals", r.proposals),
            ("applications", r.applications),
            ("complaints", r.complaints),
        ):
            current = totals[key]
            totals[key] = (current if isinstance(current, int) else 0) + value
    for r in rows:
        place = per_place.setdefault(
            _place(r), {"place": _place(r), "proposals": 0, "applications": 0, "complaints": 0}
        )
        for key, value in (
            ("proposals", r.proposals),
            ("applications", r.applications),
            ("complaints", r.complaints),
        ):
            current = place[key]
            place[key] = (current if isinstance(current, int) else 0) + value
    return Table(
        name=f"appeal-statistics-{year}",
        title=f"Daxil olan müraciətlər, {year} / Incoming appeals, {year}",
        subtitle="Aylar və mərkəzlər üzrə / per month and ASAN centre (other channels per channel)",
        columns=(
            ("month", "Ay / Month"),
            ("place", "Mərkəz və ya kanal / Centre or channel"),
            ("proposals", "Təklif / Proposals"),
            ("applications", "Ərizə / Applications"),
            ("complaints", "Şikayət / Complaints"),
            ("total", "Cəmi / Total"),
        ),
        rows=[
            {
                "month": f"{year}-{r.month:02d} {MONTHS[r.month - 1]}",
                "place": _place(r),
                "proposals": r.proposals,
                "applications": r.applications,
                "complaints": r.complaints,
                "total": r.total,
            }
            for r in rows
        ],
        charts=(
            Chart(
                "İl ərzində mərkəzlər üzrə / The year per centre or channel",
                "place",
                ("proposals", "applications", "complaints"),
            ),
            Chart(
                "Aylar üzrə / Per month",
                "month",
                ("proposals", "applications", "complaints"),
                rows=tuple(per_month.values()),
                in_order=True,
            ),
        ),
        generated=today,
        chart_rows=tuple(per_place.values()),
    )


def summary_table(summary: AnnualSummary, today: date) -> Table:
    rows: list[dict[str, str | int | float | None]] = [
        {"item": f"Jurnal {j.journal}: {j.name_az}", "value": j.registered}
        for j in summary.journals
    ]
    t = summary.tasks
    rows += [
        {"item": "İcra tapşırıqları, cəmi / Execution tasks, total", "value": t.total},
        {"item": "Vaxtında icra / Executed on time", "value": t.on_time},
        {"item": "Gecikmə ilə icra / Executed late", "value": t.late},
        {"item": "Vaxtı keçmiş / Overdue", "value": t.overdue},
        {"item": "İcrada / Pending", "value": t.pending},
        {"item": "Vaxtında icra % / On time %", "value": t.on_time_percent},
        {"item": "Müraciətlər, daxil olub / Appeals received", "value": summary.appeals_received},
        {"item": "Cavablandırılıb / Answered", "value": summary.appeals_answered},
        {"item": "Gecikmə ilə cavab / Answered late", "value": summary.appeals_answered_late},
        {"item": "Aidiyyəti üzrə göndərilib / Forwarded", "value": summary.appeals_forwarded},
        {
            "item": "Baxılmadan saxlanılıb / Left unconsidered",
            "value": summary.appeals_left_unconsidered,
        },
        {"item": "Baxılmaqdadır / Open", "value": summary.appeals_open},
        {"item": "Müddəti keçmiş / Overdue", "value": summary.appeals_overdue},
    ]
    journal_rows: tuple[dict[str, str | int | float | None], ...] = tuple(
        {"item": j.journal, "value": j.registered} for j in summary.journals
    )
    return Table(
        name=f"record-keeping-{summary.year}",
        title=f"Kargüzarlığın illik icmalı, {summary.year} / Annual record-keeping summary",
        subtitle="Qeydiyyat, icra nəzarəti və vətəndaş müraciətləri / registration, execution "
        "control and citizens' appeals",
        columns=(("item", "Göstərici / Item"), ("value", "Say / Count")),
        rows=rows,
        charts=(Chart("Jurnallar üzrə qeydiyyat / Registrations per journal", "item", ("value",)),),
        generated=today,
        chart_rows=journal_rows,
    )
