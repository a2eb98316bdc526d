"""Every Cypher statement of cases and of the documents filed in them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from asan.core.db import Tx

CASE_FIELDS = """
    c.id AS id, c.year AS year, c.index AS index, c.number AS number, c.title AS title,
    c.unit AS unit, c.retentionYears AS retentionYears, c.permanent AS permanent,
    c.article AS article, c.expertReview AS expertReview, c.status AS status,
    c.closedAt AS closedAt, c.disposalDate AS disposalDate,
    COUNT { (:Document)-[:FILED_IN]->(c) } AS documents
"""


async def add(tx: Tx, row: dict[str, Any]) -> None:
    await tx.run(
        """
        MATCH (n:Nomenclature {year: $row.year})
        CREATE (c:Case)
        SET c = $row
        CREATE (c)-[:IN_NOMENCLATURE]->(n)
        """,
        {"row": row},
    )


async def index_taken(tx: Tx, year: int, index: str) -> bool:
    rows = await tx.run(
        "MATCH (c:Case {yearIndex: $key}) RETURN c.id AS id", {"key": f"{year}:{index}"}
    )
    return bool(rows)


async def by_id(tx: Tx, case_id: str) -> Any | None:
    rows = await tx.run(f"MATCH (c:Case {{id: $id}}) RETURN {CASE_FIELDS}", {"id": case_id})
    return rows[0] if rows else None


async def set_status(
    tx: Tx, case_id: str, status: str, closed_at: datetime | None, disposal: date | None
) -> None:
    await tx.run(
        """
        MATCH (c:Case {id: $id})
        SET c.status = $status,
            c.closedAt = coalesce($closedAt, c.closedAt),
            c.disposalDate = CASE WHEN $closedAt IS NULL THEN c.disposalDate ELSE $disposal END
        """,
        {"id": case_id, "status": status, "closedAt": closed_at, "disposal": disposal},
    )


async def open_for_index(tx: Tx, index: str) -> Any | None:
    """The newest open case with this index (next year's, once this year's is closed)."""
    rows = await tx.run(
        "MATCH (c:Case {index: $index, status: 'open'}) "
        "RETURN c.id AS id, c.year AS year, c.index AS index ORDER BY c.year DESC LIMIT 1",
        {"index": index},
    )
    return rows[0] if rows else None


async def file_document(tx: Tx, document_id: str, case_id: str) -> str | None:
    """Link the document to the case (replacing an earlier filing); the case it left, if any."""
    rows = await tx.run(
        """
        MATCH (d:Document {id: $doc}), (c:Case {id: $case})
        OPTIONAL MATCH (d)-[old:FILED_IN]->(before:Case)
        WITH d, c, old, before.id AS left
        DELETE old
        WITH d, c, left
        MERGE (d)-[f:FILED_IN]->(c)
        SET d.caseIndex = c.index
        RETURN left
        """,
        {"doc": document_id, "case": case_id},
    )
    return rows[0]["left"] if rows else None


async def page(
    tx: Tx, filters: dict[str, Any], after: list[Any] | None, limit: int
) -> tuple[list[Any], int]:
    """Cases by year, then index (keyset after ``[year, index]``), and how many match."""
    where = """
        ($year IS NULL OR c.year = $year) AND ($unit IS NULL OR c.unit = $unit)
        AND ($status IS NULL OR c.status = $status) AND ($index IS NULL OR c.index = $index)
    """
    params = {**filters, "after": after, "limit": limit}
    rows = await tx.run(
        f"""
        MATCH (c:Case) WHERE {where}
          AND ($after IS NULL OR c.year > $after[0]
               OR (c.year = $after[0] AND c.index > $after[1]))
        WITH c ORDER BY c.year, c.index LIMIT $limit
        RETURN {CASE_FIELDS}
        """,
        params,
    )
    total = await tx.run(f"MATCH (c:Case) WHERE {where} RETURN count(c) AS n", params)
    return rows, int(total[0]["n"])
