"""Every Cypher statement of automatic filing (the link itself is the cases part's)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from asan.archive.cases.repository import CASE_FIELDS
from asan.core.db import Database, Tx


async def document_filing(tx: Tx, document_id: str) -> Any | None:
    """The card's case index and the case the document is filed in now (if any)."""
    rows = await tx.run(
        """
        MATCH (d:Document {id: $id})
        OPTIONAL MATCH (d)-[:FILED_IN]->(c:Case)
        RETURN d.caseIndex AS caseIndex, c.id AS caseId, c.index AS filedIndex
        """,
        {"id": document_id},
    )
    return rows[0] if rows else None


async def case_of_year(tx: Tx, year: int, index: str) -> Any | None:
    """The case of ``year``'s nomenclature with this index, whatever its status, write-locked
    before its status is read: filing links the document to it anyway (which locks it), and
    a case closed meanwhile is then seen closed, not filed into."""
    rows = await tx.run(
        "MATCH (c:Case {yearIndex: $key}) SET c._lock = true REMOVE c._lock "
        "RETURN c.id AS id, c.year AS year, c.index AS index, c.status AS status",
        {"key": f"{year}:{index}"},
    )
    return rows[0] if rows else None


async def nomenclature_status(tx: Tx, year: int) -> str | None:
    rows = await tx.run(
        "MATCH (n:Nomenclature {year: $year}) RETURN n.status AS status", {"year": year}
    )
    return rows[0]["status"] if rows else None


async def documents_in_statuses(
    tx: Tx, case_id: str, statuses: Sequence[str], limit: int
) -> list[Any]:
    """Documents filed in the case whose status is one of ``statuses`` (at most ``limit``)."""
    return await tx.run(
        """
        MATCH (d:Document)-[:FILED_IN]->(:Case {id: $case})
        WHERE d.status IN $statuses
        RETURN d.id AS id, d.regNumber AS regNumber, d.status AS status
        ORDER BY d.regNumber, d.id LIMIT $limit
        """,
        {"case": case_id, "statuses": list(statuses), "limit": limit},
    )


async def cases_of_documents(db: Tx | Database, document_ids: Sequence[str]) -> list[Any]:
    """The case each document is filed in (documents not filed are absent)."""
    cypher = f"""
        UNWIND $ids AS documentId
        MATCH (:Document {{id: documentId}})-[:FILED_IN]->(c:Case)
        RETURN documentId, {CASE_FIELDS}
    """
    params = {"ids": list(document_ids)}
    if isinstance(db, Database):
        return await db.read(cypher, params)
    return await db.run(cypher, params)
