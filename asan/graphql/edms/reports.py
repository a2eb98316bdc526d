"""Reports of the record keeping over GraphQL (issue 10, point 9).

The same rows are downloadable as CSV or PDF (with charts) from
``GET /edms/reports/{execution-discipline|appeal-statistics|record-keeping}.{csv|pdf}``
with a bearer token (``asan/edms/reports/http.py``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from asan.edms.reports import reads
from asan.edms.reports.models import AppealMonthRow, DisciplineRow
from asan.graphql.request import platform_of, principal_of


@strawberry.type(
    name="UnitExecutionDiscipline",
    description="Execution discipline (icra intizamı) of one unit: its execution tasks due in "
    "the period, by outcome.",
)
class UnitDiscipline:
    unit: str = strawberry.field(description="Org unit code (the executor's unit).")
    unit_name: str | None = strawberry.field(description="The unit's Azerbaijani name.")
    total: int = strawberry.field(description="Tasks due in the period (forwarded ones excluded).")
    on_time: int = strawberry.field(description="Reported on or before the deadline.")
    late: int = strawberry.field(description="Reported after the deadline.")
    overdue: int = strawberry.field(description="Not reported, deadline passed.")
    pending: int = strawberry.field(description="Not reported, deadline still ahead.")
    on_time_percent: float = strawberry.field(
        description="On time among the finished or overdue ones, 0-100."
    )

    @classmethod
    def of(cls, r: DisciplineRow) -> UnitDiscipline:
        return cls(
            unit=r.unit,
            unit_name=r.unit_name,
            total=r.total,
            on_time=r.on_time,
            late=r.late,
            overdue=r.overdue,
            pending=r.pending,
            on_time_percent=r.on_time_percent,
        )


@strawberry.type(
    name="AppealMonthStatistics",
    description="Incoming citizens' appeals of one month through one ASAN centre, or through "
    "one other channel (centre null).",
)
class AppealMonth:
    month: int = strawberry.field(description="Month, 1-12.")
    channel: str = strawberry.field(
        description="The channel: reception, mail, website, call_centre_108 or asan_centre."
    )
    centre: str | None = strawberry.field(description="ASAN centre code, for asan_centre.")
    centre_name: str | None = strawberry.field(description="The centre's name.")
    proposals: int = strawberry.field(description="Təkliflər (proposals).")
    applications: int = strawberry.field(description="Ərizələr (applications).")
    complaints: int = strawberry.field(description="Şikayətlər (complaints).")
    total: int = strawberry.field(description="All three together.")

    @classmethod
    def of(cls, r: AppealMonthRow) -> AppealMonth:
        return cls(
            month=r.month,
            channel=r.channel,
            centre=r.centre,
            centre_name=r.centre_name,
            proposals=r.proposals,
            applications=r.applications,
            complaints=r.complaints,
            total=r.total,
        )


@strawberry.type(name="JournalYear", description="Registrations of one journal in the year.")
class JournalYear:
    journal: str = strawberry.field(description="Journal code, e.g. INC or APL-C.")
    name_az: str = strawberry.field(description="The journal's Azerbaijani name.")
    registered: int = strawberry.field(description="Documents registered in it that year.")


@strawberry.type(
    name="RecordKeepingSummary",
    description="The annual record-keeping summary (kargüzarlığın illik icmalı): registrations, "
    "execution control and citizens' appeals of one year.",
)
class RecordKeepingSummary:
    year: int = strawberry.field(description="The calendar year.")
    journals: list[JournalYear] = strawberry.field(description="Registrations per journal.")
    tasks: UnitDiscipline = strawberry.field(
        description="Execution tasks due in the year, every unit together."
    )
    appeals_received: int = strawberry.field(description="Appeals registered in the year.")
    appeals_answered: int = strawberry.field(description="Of them answered.")
    appeals_answered_late: int = strawberry.field(description="Answered after the due date.")
    appeals_forwarded: int = strawberry.field(description="Forwarded to the competent body.")
    appeals_left_unconsidered: int = strawberry.field(
        description="Repeated appeals left unconsidered."
    )
    appeals_open: int = strawberry.field(description="Still being considered.")
    appeals_overdue: int = strawberry.field(description="Still open past their due date.")


Year = Annotated[int, strawberry.argument(description="The calendar year, e.g. 2026.")]


@strawberry.type
class ReportQuery:
    @strawberry.field(
        description="Execution discipline per unit for tasks due from `from` to `to` "
        "(registrars and auditors: every unit; heads: the units they lead). CSV/PDF: "
        "/edms/reports/execution-discipline.{csv|pdf}?from=&to="
    )
    async def execution_discipline(
        self,
        info: Info,
        from_: Annotated[
            date, strawberry.argument(name="from", description="First deadline day counted.")
        ],
        to: Annotated[date, strawberry.argument(description="Last deadline day counted.")],
    ) -> list[UnitDiscipline]:
        rows = await reads.execution_discipline(platform_of(info), principal_of(info), from_, to)
        return [UnitDiscipline.of(r) for r in rows]

    @strawberry.field(
        description="Incoming citizens' appeals per month and ASAN centre (other channels a "
        "row each) in a year. CSV/PDF: /edms/reports/appeal-statistics.{csv|pdf}?year="
    )
    async def appeal_statistics(self, info: Info, year: Year) -> list[AppealMonth]:
        rows = await reads.appeal_statistics(platform_of(info), principal_of(info), year)
        return [AppealMonth.of(r) for r in rows]

    @strawberry.field(
        description="The annual record-keeping summary. CSV/PDF: "
        "/edms/reports/record-keeping.{csv|pdf}?year="
    )
    async def record_keeping_summary(self, info: Info, year: Year) -> RecordKeepingSummary:
        s = await reads.record_keeping_summary(platform_of(info), principal_of(info), year)
        return RecordKeepingSummary(
            year=s.year,
            journals=[
                JournalYear(journal=j.journal, name_az=j.name_az, registered=j.registered)
                for j in s.journals
            ],
            tasks=UnitDiscipline.of(s.tasks),
            appeals_received=s.appeals_received,
            appeals_answered=s.appeals_answered,
            appeals_answered_late=s.appeals_answered_late,
            appeals_forwarded=s.appeals_forwarded,
            appeals_left_unconsidered=s.appeals_left_unconsidered,
            appeals_open=s.appeals_open,
            appeals_overdue=s.appeals_overdue,
        )


QUERIES: list[type] = [ReportQuery]
MUTATIONS: list[type] = []
