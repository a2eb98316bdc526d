"""Every Cypher statement of the reports: aggregates over documents, appeals and the
resolutions part's ``ExecutionTask`` nodes (``unit``, ``status``, ``deadline``, ``reportedAt``).

Each statement ANDs in the caller's ``visible_where`` predicate on the document, so a secret
the caller may not see is absent from every count.
"""

from __future__ import annotations

from datetime import date
from typing import Any, LiteralString

from asan.core.db import Tx

# A task handed on by forwarding is counted in the task that replaced it.
_TASKS: LiteralString = """
MATCH (t:ExecutionTask)
WHERE t.status <> 'forwarded' AND t.deadline >= $from AND t.deadline <= $to
  AND ($units IS NULL OR t.unit IN $units)
MATCH (d:Document {id: t.documentId})
WHERE {visible}
WITH t, CASE WHEN t.reportedAt IS NULL THEN null
             ELSE date(datetime({datetime: t.reportedAt, timezone: 'Asia/Baku'})) END AS reported
"""

_COUNTS: LiteralString = """
count(t) AS total,
sum(CASE WHEN reported IS NOT NULL AND reported <= t.deadline THEN 1 ELSE 0 END) AS onTime,
sum(CASE WHEN reported IS NOT NULL AND reported > t.deadline THEN 1 ELSE 0 END) AS late,
sum(CASE WHEN reported IS NULL AND t.deadline < $today THEN 1 ELSE 0 END) AS overdue,
sum(CASE WHEN reported IS NULL AND t.deadline >= $today THEN 1 ELSE 0 END) AS pending
"""


def _visible(cypher: LiteralString, predicate: LiteralString) -> LiteralString:
    return cypher.replace("{visible}", predicate)


async def discipline(
    tx: Tx,
    visible: tuple[LiteralString, dict[str, Any]],
    start: date,
    end: date,
    today: date,
    units: list[str] | None,
) -> list[dict[str, Any]]:
    predicate, params = visible
    return await tx.run(
        _visible(_TASKS, predicate)
        + "WITH t.unit AS unit, "
        + _COUNTS
        + """
        OPTIONAL MATCH (u:OrgUnit {code: unit})
        RETURN unit, u.nameAz AS unitName, total, onTime, late, overdue, pending
        ORDER BY unit
        """,
        {**params, "from": start, "to": end, "today": today, "units": units},
    )


async def discipline_total(
    tx: Tx, visible: tuple[LiteralString, dict[str, Any]], start: date, end: date, today: date
) -> dict[str, Any]:
    predicate, params = visible
    rows = await tx.run(
        _visible(_TASKS, predicate) + "RETURN " + _COUNTS,
        {**params, "from": start, "to": end, "today": today, "units": None},
    )
    return rows[0]


async def appeals_by_month(
    tx: Tx, visible: tuple[LiteralString, dict[str, Any]], year: int
) -> list[dict[str, Any]]:
    predicate, params = visible
    return await tx.run(
        "MATCH (d:Document {kind: 'appeal', regYear: $year}) WHERE "
        + predicate
        + """
        WITH d.regDate.month AS month, d.channel AS channel, d.centre AS centre,
             sum(CASE WHEN d.appealType = 'proposal' THEN 1 ELSE 0 END) AS proposals,
             sum(CASE WHEN d.appealType = 'application' THEN 1 ELSE 0 END) AS applications,
             sum(CASE WHEN d.appealType = 'complaint' THEN 1 ELSE 0 END) AS complaints
        OPTIONAL MATCH (c:AsanCentre {code: centre})
        RETURN month, channel, centre, c.name AS centreName, proposals, applications, complaints
        ORDER BY month, channel, centre
        """,
        {**params, "year": year},
    )


async def journal_counts(
    tx: Tx, visible: tuple[LiteralString, dict[str, Any]], year: int
) -> list[dict[str, Any]]:
    predicate, params = visible
    return await tx.run(
        "MATCH (j:Journal) "
        "OPTIONAL MATCH (d:Document {journalCode: j.code, regYear: $year}) WHERE "
        + predicate
        + " RETURN j.code AS journal, j.nameAz AS nameAz, count(d) AS registered "
        "ORDER BY j.code",
        {**params, "year": year},
    )


async def appeal_outcomes(
    tx: Tx, visible: tuple[LiteralString, dict[str, Any]], year: int, today: date
) -> dict[str, Any]:
    predicate, params = visible
    rows = await tx.run(
        "MATCH (d:Document {kind: 'appeal', regYear: $year}) WHERE "
        + predicate
        + """
        RETURN count(d) AS received,
          sum(CASE WHEN d.answeredAt IS NOT NULL THEN 1 ELSE 0 END) AS answered,
          sum(CASE WHEN d.answeredLate = true THEN 1 ELSE 0 END) AS answeredLate,
          sum(CASE WHEN d.forwardedAt IS NOT NULL THEN 1 ELSE 0 END) AS forwarded,
          sum(CASE WHEN d.unconsideredReason IS NOT NULL THEN 1 ELSE 0 END) AS unconsidered,
          sum(CASE WHEN d.status IN $open THEN 1 ELSE 0 END) AS open,
          sum(CASE WHEN d.status IN $open AND d.dueDate < $today THEN 1 ELSE 0 END) AS overdue
        """,
        {
            **params,
            "year": year,
            "today": today,
            "open": ["registered", "in_execution", "executed"],
        },
    )
    return rows[0]
