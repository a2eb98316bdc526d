"""Every Cypher statement about document files (parameterised, one job each)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from asan.core.db import Database, Tx

MAX_FILES_LISTED: Final = 200  # versions listed per document (GraphQL list bound)
_FIELDS: Final = """
    f.id AS id, f.documentId AS documentId, f.role AS role, f.version AS version,
    f.sha256 AS sha256, f.size AS size, f.contentType AS contentType, f.filename AS filename,
    f.objectKey AS objectKey, f.bucket AS bucket, f.createdAt AS createdAt,
    f.createdBy AS createdBy, f.textStatus AS textStatus, f.warnings AS warnings,
    f.derivedFrom AS derivedFrom, f.destroyedByAct AS destroyedByAct
"""


async def create_version(tx: Tx, row: Mapping[str, Any]) -> int | None:
    """The node as the next version of its role, linked to its document and object; None when
    the document does not exist. The document is write-locked first (one statement), so two
    uploads of one role never take the same number."""
    rows = await tx.run(
        """
        MATCH (d:Document {id: $row.documentId})
        SET d.filesUpdatedAt = $row.createdAt
        WITH d
        OPTIONAL MATCH (prev:DocumentFile {documentId: $row.documentId, role: $row.role})
        WITH d, coalesce(max(prev.version), 0) + 1 AS version
        MATCH (o:StoredObject {bucket: $row.bucket, key: $row.objectKey})
        CREATE (f:DocumentFile)
        SET f = $row, f.version = version
        CREATE (f)-[:OF]->(d)
        CREATE (f)-[:STORED_AS]->(o)
        WITH f, version
        OPTIONAL MATCH (src:DocumentFile {id: $row.derivedFrom})
        FOREACH (_ IN CASE WHEN src IS NULL THEN [] ELSE [1] END |
            CREATE (f)-[:DERIVED_FROM]->(src))
        RETURN version
        """,
        {"row": dict(row)},
    )
    return int(rows[0]["version"]) if rows else None


async def file_by_id(tx: Tx | Database, file_id: str) -> dict[str, Any] | None:
    cypher: Final = "MATCH (f:DocumentFile {id: $id}) RETURN " + _FIELDS
    rows = await _read(tx, cypher, {"id": file_id})
    return rows[0] if rows else None


async def current_file(tx: Tx | Database, document_id: str, role: str) -> dict[str, Any] | None:
    cypher: Final = (
        "MATCH (f:DocumentFile {documentId: $doc, role: $role}) RETURN "
        + _FIELDS
        + " ORDER BY f.version DESC LIMIT 1"
    )
    rows = await _read(tx, cypher, {"doc": document_id, "role": role})
    return rows[0] if rows else None


async def files_of(
    db: Tx | Database, document_ids: list[str], role: str | None, latest_only: bool
) -> list[dict[str, Any]]:
    """Files of several documents at once (one query per request: the loader batches)."""
    cypher: Final = (
        """
        MATCH (f:DocumentFile)
        WHERE f.documentId IN $docs AND ($role IS NULL OR f.role = $role)
          AND (NOT $latest OR NOT EXISTS {
                MATCH (g:DocumentFile {documentId: f.documentId, role: f.role})
                WHERE g.version > f.version })
        RETURN """
        + _FIELDS
        + " ORDER BY f.documentId, f.role, f.version LIMIT $limit"
    )
    params = {
        "docs": document_ids,
        "role": role,
        "latest": latest_only,
        "limit": MAX_FILES_LISTED * len(document_ids),
    }
    return await _read(db, cypher, params)


async def file_text(db: Tx | Database, file_id: str) -> str | None:
    cypher: Final = "MATCH (f:DocumentFile {id: $id}) RETURN f.text AS text"
    rows = await _read(db, cypher, {"id": file_id})
    return rows[0]["text"] if rows else None


async def claim_pending(
    tx: Tx, limit: int, claimer: str, now: Any, stale_before: Any
) -> list[dict[str, Any]]:
    """Pending files (or files whose claimer died) marked as taken by ``claimer``."""
    cypher: Final = (
        """
        MATCH (f:DocumentFile)
        WHERE f.textStatus = 'pending'
           OR (f.textStatus = 'processing' AND f.claimedAt < $stale)
        WITH f ORDER BY f.createdAt LIMIT $limit
        SET f.textStatus = 'processing', f.claimedAt = $now, f.claimedBy = $claimer
        RETURN """
        + _FIELDS
    )
    return await tx.run(
        cypher, {"limit": limit, "claimer": claimer, "now": now, "stale": stale_before}
    )


async def record_result(tx: Tx, file_id: str, claimer: str, values: Mapping[str, Any]) -> bool:
    """Stores the outcome if this claimer still holds the file (a stale claimer writes nothing)."""
    rows = await tx.run(
        """
        MATCH (f:DocumentFile {id: $id})
        WHERE f.textStatus = 'processing' AND f.claimedBy = $claimer
        SET f += $values
        REMOVE f.claimedAt, f.claimedBy
        RETURN f.id AS id
        """,
        {"id": file_id, "claimer": claimer, "values": dict(values)},
    )
    return bool(rows)


async def claim_waiting_stamps(
    tx: Tx, limit: int, claimer: str, now: Any, stale_before: Any
) -> list[dict[str, Any]]:
    """Waiting originals whose document has its number now, claimed for stamping."""
    cypher: Final = (
        """
        MATCH (f:DocumentFile)-[:OF]->(d:Document)
        WHERE d.regNumber IS NOT NULL
          AND (f.stampStatus = 'waiting'
               OR (f.stampStatus = 'stamping' AND f.stampClaimedAt < $stale))
        WITH f, d LIMIT $limit
        OPTIONAL MATCH (d)-[:IN_JOURNAL]->(j:Journal)
        SET f.stampStatus = 'stamping', f.stampClaimedAt = $now, f.stampClaimedBy = $claimer
        RETURN """
        + _FIELDS
        + """, {kind: d.kind, regNumber: d.regNumber, regDate: d.regDate,
                journal: coalesce(j.nameAz, d.journalCode)} AS document"""
    )
    return await tx.run(
        cypher, {"limit": limit, "claimer": claimer, "now": now, "stale": stale_before}
    )


async def finish_stamp(
    tx: Tx, file_id: str, claimer: str, status: str, warnings: list[str]
) -> bool:
    rows = await tx.run(
        """
        MATCH (f:DocumentFile {id: $id})
        WHERE f.stampStatus = 'stamping' AND f.stampClaimedBy = $claimer
        SET f.stampStatus = $status, f.warnings = coalesce(f.warnings, []) + $warnings
        REMOVE f.stampClaimedAt, f.stampClaimedBy
        RETURN f.id AS id
        """,
        {"id": file_id, "claimer": claimer, "status": status, "warnings": warnings},
    )
    return bool(rows)


async def derived_id(db: Database, file_id: str, role: str) -> str | None:
    rows = await db.read(
        "MATCH (f:DocumentFile {derivedFrom: $id, role: $role}) "
        "RETURN f.id AS id ORDER BY f.version DESC LIMIT 1",
        {"id": file_id, "role": role},
    )
    return rows[0]["id"] if rows else None


async def document_for_stamp(tx: Tx, document_id: str) -> dict[str, Any] | None:
    rows = await tx.run(
        """
        MATCH (d:Document {id: $id})
        OPTIONAL MATCH (d)-[:IN_JOURNAL]->(j:Journal)
        RETURN d.kind AS kind, d.regNumber AS regNumber, d.regDate AS regDate,
               coalesce(j.nameAz, d.journalCode) AS journal
        """,
        {"id": document_id},
    )
    return rows[0] if rows else None


async def _read(
    source: Tx | Database, cypher: Any, params: Mapping[str, Any]
) -> list[dict[str, Any]]:
    if isinstance(source, Tx):
        return await source.run(cypher, params)
    return await source.read(cypher, params)
