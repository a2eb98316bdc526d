"""Every Cypher statement of the nomenclature itself (its cases: asan.archive.cases)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from asan.core.db import Tx

NOMENCLATURE_FIELDS = """
    n.year AS year, n.status AS status, n.createdAt AS createdAt, n.compiledAt AS compiledAt,
    n.approvedAt AS approvedAt, n.approvedBy AS approvedBy
"""


async def by_year(tx: Tx, year: int) -> Any | None:
    rows = await tx.run(
        f"""
        MATCH (n:Nomenclature {{year: $year}})
        OPTIONAL MATCH (c:Case)-[:IN_NOMENCLATURE]->(n)
        WITH n, count(c) AS cases, count(DISTINCT c.unit) AS units
        RETURN {NOMENCLATURE_FIELDS}, cases, units
        """,
        {"year": year},
    )
    return rows[0] if rows else None


async def lock(tx: Tx, year: int) -> None:
    """Write-lock the year's nomenclature until commit: an addition and the compilation that
    ends additions cannot both pass their status check."""
    await tx.run(
        "MATCH (n:Nomenclature {year: $year}) SET n.lockedAt = timestamp()", {"year": year}
    )


async def create(tx: Tx, year: int, at: datetime, by: str) -> None:
    await tx.run(
        "CREATE (:Nomenclature {year: $year, status: 'draft', createdAt: $at, createdBy: $by})",
        {"year": year, "at": at, "by": by},
    )


async def set_status(tx: Tx, year: int, status: str, at: datetime, by: str) -> None:
    await tx.run(
        """
        MATCH (n:Nomenclature {year: $year})
        SET n.status = $status,
            n.compiledAt = CASE $status WHEN 'compiled' THEN $at ELSE n.compiledAt END,
            n.compiledBy = CASE $status WHEN 'compiled' THEN $by ELSE n.compiledBy END,
            n.approvedAt = CASE $status WHEN 'approved' THEN $at ELSE n.approvedAt END,
            n.approvedBy = CASE $status WHEN 'approved' THEN $by ELSE n.approvedBy END
        """,
        {"year": year, "status": status, "at": at, "by": by},
    )


async def root_unit(tx: Tx) -> str | None:
    """The agency's own unit: the one org unit that is part of no other."""
    rows = await tx.run(
        "MATCH (u:OrgUnit) WHERE NOT (u)-[:PART_OF]->(:OrgUnit) "
        "RETURN u.code AS code ORDER BY u.code LIMIT 1"
    )
    return rows[0]["code"] if rows else None


async def unit_exists(tx: Tx, unit: str) -> bool:
    rows = await tx.run("MATCH (u:OrgUnit {code: $code}) RETURN 1 AS one", {"code": unit})
    return bool(rows)


async def copy_cases(tx: Tx, from_year: int, to_year: int) -> list[str]:
    """Next year's cases from this year's: same index, title and retention, new ids, open."""
    rows = await tx.run(
        """
        MATCH (old:Case)-[:IN_NOMENCLATURE]->(:Nomenclature {year: $from})
        MATCH (n:Nomenclature {year: $to})
        WITH old, n ORDER BY old.index
        CREATE (c:Case {
            id: randomUUID(), year: $to, index: old.index, yearIndex: $to + ':' + old.index,
            number: old.number, title: old.title, unit: old.unit,
            retentionYears: old.retentionYears, permanent: old.permanent,
            article: old.article, expertReview: old.expertReview, status: 'open',
            copiedFrom: old.id
        })-[:IN_NOMENCLATURE]->(n)
        RETURN c.id AS id
        """,
        {"from": from_year, "to": to_year},
    )
    return [r["id"] for r in rows]
