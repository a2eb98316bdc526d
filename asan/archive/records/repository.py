"""Every Cypher statement about archived records (parameterised, one job each)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from asan.core.db import Database, Tx

FIELDS: Final = """
    r.id AS id, r.caseId AS caseId, r.documentId AS documentId, r.fileId AS fileId,
    r.role AS role, r.fileVersion AS fileVersion, r.filename AS filename,
    r.contentType AS contentType, r.bucket AS bucket, r.key AS key, r.versionId AS versionId,
    r.sha256 AS sha256, r.size AS size, r.retainUntil AS retainUntil, r.legalHold AS legalHold,
    r.ingestedAt AS ingestedAt, r.ingestedBy AS ingestedBy, r.fixity AS fixity,
    r.fixityCheckedAt AS fixityCheckedAt, r.destroyedAt AS destroyedAt,
    r.destroyedByAct AS destroyedByAct
"""


async def _rows(db: Tx | Database, cypher: str, params: Mapping[str, Any]) -> list[Any]:
    if isinstance(db, Tx):
        return await db.run(cypher, dict(params))
    return await db.read(cypher, dict(params))


async def case_for_ingest(tx: Tx | Database, case_id: str) -> Any | None:
    """The case's retention facts and whether an active hold applies to it."""
    rows = await _rows(
        tx,
        """
        MATCH (c:Case {id: $id})
        RETURN c.id AS id, c.index AS index, c.status AS status, c.unit AS unit,
               c.closedAt AS closedAt, c.retentionYears AS retentionYears,
               c.permanent AS permanent,
               EXISTS { MATCH (h:ArchiveHold {active: true})-[:HOLDS]->(c) } AS held
        """,
        {"id": case_id},
    )
    return rows[0] if rows else None


async def files_to_ingest(tx: Tx | Database, case_id: str) -> list[Any]:
    """Every version of every file of the documents filed in the case, not yet archived."""
    return await _rows(
        tx,
        """
        MATCH (d:Document)-[:FILED_IN]->(:Case {id: $id})
        MATCH (f:DocumentFile {documentId: d.id})
        WHERE NOT EXISTS { MATCH (:ArchivedRecord {fileId: f.id}) }
        RETURN f.id AS id, f.documentId AS documentId, f.role AS role, f.version AS version,
               f.sha256 AS sha256, f.size AS size, f.contentType AS contentType,
               f.filename AS filename, f.bucket AS bucket, f.objectKey AS objectKey,
               f.createdAt AS createdAt, f.createdBy AS createdBy, f.textStatus AS textStatus,
               f.derivedFrom AS derivedFrom
        ORDER BY f.documentId, f.role, f.version
        """,
        {"id": case_id},
    )


async def add_many(tx: Tx, case_id: str, rows: Sequence[Mapping[str, Any]]) -> int:
    """Create the records (a file already archived is left as it is); how many were new."""
    found = await tx.run(
        """
        MATCH (c:Case {id: $case})
        UNWIND $rows AS row
        MERGE (r:ArchivedRecord {fileId: row.fileId})
        ON CREATE SET r = row, r.created = true
        WITH c, r
        WHERE r.created
        REMOVE r.created
        CREATE (r)-[:OF_CASE]->(c)
        WITH r
        OPTIONAL MATCH (f:DocumentFile {id: r.fileId})
        FOREACH (_ IN CASE WHEN f IS NULL THEN [] ELSE [1] END | CREATE (r)-[:COPY_OF]->(f))
        RETURN count(r) AS n
        """,
        {"case": case_id, "rows": [dict(r) for r in rows]},
    )
    return int(found[0]["n"]) if found else 0


async def of_case(
    db: Tx | Database, case_id: str, *, after: str | None = None, limit: int = 1000
) -> list[Any]:
    """The case's records by id (keyset after ``after``)."""
    return await _rows(
        db,
        f"""
        MATCH (r:ArchivedRecord {{caseId: $case}})
        WHERE $after IS NULL OR r.id > $after
        RETURN {FIELDS} ORDER BY r.id LIMIT $limit
        """,
        {"case": case_id, "after": after, "limit": limit},
    )


async def count_of_case(db: Tx | Database, case_id: str) -> int:
    rows = await _rows(
        db, "MATCH (r:ArchivedRecord {caseId: $case}) RETURN count(r) AS n", {"case": case_id}
    )
    return int(rows[0]["n"])


async def by_id(db: Tx | Database, record_id: str) -> Any | None:
    rows = await _rows(
        db, f"MATCH (r:ArchivedRecord {{id: $id}}) RETURN {FIELDS}", {"id": record_id}
    )
    return rows[0] if rows else None


async def page_all(db: Tx | Database, *, after: str | None, limit: int) -> list[Any]:
    """Every record not destroyed, by id (keyset): what the fixity audit walks."""
    return await _rows(
        db,
        f"""
        MATCH (r:ArchivedRecord) WHERE r.destroyedAt IS NULL AND ($after IS NULL OR r.id > $after)
        RETURN {FIELDS} ORDER BY r.id LIMIT $limit
        """,
        {"after": after, "limit": limit},
    )


async def set_fixity(tx: Tx, results: Sequence[Mapping[str, Any]], at: datetime) -> None:
    """``results``: rows of {id, fixity}."""
    await tx.run(
        """
        UNWIND $rows AS row
        MATCH (r:ArchivedRecord {id: row.id})
        SET r.fixity = row.fixity, r.fixityCheckedAt = $at
        """,
        {"rows": [dict(r) for r in results], "at": at},
    )


async def set_legal_hold(tx: Tx, case_id: str, held: bool) -> None:
    await tx.run(
        "MATCH (r:ArchivedRecord {caseId: $case}) WHERE r.destroyedAt IS NULL "
        "SET r.legalHold = $held",
        {"case": case_id, "held": held},
    )


async def mark_destroyed(tx: Tx, record_ids: Sequence[str], act_id: str, at: datetime) -> int:
    """Records whose object versions were deleted by the act; the metadata stays."""
    rows = await tx.run(
        """
        UNWIND $ids AS id
        MATCH (r:ArchivedRecord {id: id}) WHERE r.destroyedAt IS NULL
        SET r.destroyedAt = $at, r.destroyedByAct = $act
        RETURN count(r) AS n
        """,
        {"ids": list(record_ids), "act": act_id, "at": at},
    )
    return int(rows[0]["n"]) if rows else 0


async def count_of_cases(db: Tx | Database, case_ids: Sequence[str]) -> dict[str, int]:
    """Records of each case (destroyed ones included: their metadata stays); absent: none."""
    rows = await _rows(
        db,
        """
        UNWIND $ids AS caseId
        MATCH (r:ArchivedRecord {caseId: caseId})
        RETURN caseId, count(r) AS n
        """,
        {"ids": list(dict.fromkeys(case_ids))},
    )
    return {row["caseId"]: int(row["n"]) for row in rows}
