"""Every Cypher statement of exports: what a bag is made of, and the export nodes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from asan.core.db import Database, Tx

EXPORT_FIELDS: Final = """
    e.id AS id, e.caseId AS caseId, e.index AS index, e.year AS year, e.status AS status,
    e.path AS path, e.bytes AS bytes, e.payloadBytes AS payloadBytes, e.files AS files,
    e.sha256 AS sha256, e.classification AS classification, e.createdAt AS createdAt,
    e.createdBy AS createdBy, e.finishedAt AS finishedAt, e.validated AS validated,
    e.error AS error
"""


async def _rows(db: Tx | Database, cypher: str, params: Mapping[str, Any]) -> list[Any]:
    if isinstance(db, Tx):
        return await db.run(cypher, dict(params))
    return await db.read(cypher, dict(params))


async def case_facts(db: Tx | Database, case_id: str) -> Any | None:
    """The case with its nomenclature and unit, and its documents' classifications."""
    rows = await _rows(
        db,
        """
        MATCH (c:Case {id: $id})
        OPTIONAL MATCH (c)-[:IN_NOMENCLATURE]->(n:Nomenclature)
        OPTIONAL MATCH (u:OrgUnit {code: c.unit})
        OPTIONAL MATCH (d:Document)-[:FILED_IN]->(c)
        RETURN properties(c) AS case, properties(n) AS nomenclature,
               u {.code, .nameAz, .nameEn, .kind} AS unit,
               collect(d.classification) AS classifications
        """,
        {"id": case_id},
    )
    return rows[0] if rows else None


async def case_by_index(db: Tx | Database, index: str, year: int) -> str | None:
    rows = await _rows(
        db, "MATCH (c:Case {yearIndex: $key}) RETURN c.id AS id", {"key": f"{year}:{index}"}
    )
    return rows[0]["id"] if rows else None


async def documents_of_case(db: Tx | Database, case_id: str) -> list[Any]:
    """Each filed document: its card, journal, timeline, files and signatures."""
    return await _rows(
        db,
        """
        MATCH (d:Document)-[:FILED_IN]->(:Case {id: $id})
        OPTIONAL MATCH (d)-[:IN_JOURNAL]->(j:Journal)
        CALL (d) {
            OPTIONAL MATCH (e:DocumentEvent {documentId: d.id})
            WITH e ORDER BY e.at, e.id
            RETURN collect(properties(e)) AS timeline
        }
        CALL (d) {
            OPTIONAL MATCH (f:DocumentFile {documentId: d.id})
            WITH f ORDER BY f.role, f.version
            RETURN collect(properties(f)) AS files
        }
        CALL (d) {
            OPTIONAL MATCH (s:Signature {documentId: d.id})
            WITH s ORDER BY s.signedAt
            RETURN collect(properties(s)) AS signatures
        }
        RETURN properties(d) AS document, properties(j) AS journal, timeline, files,
               signatures
        ORDER BY d.id
        """,
        {"id": case_id},
    )


async def records_of_case(db: Tx | Database, case_id: str) -> list[Any]:
    """The case's archived records not destroyed, as stored (every property)."""
    rows = await _rows(
        db,
        "MATCH (r:ArchivedRecord {caseId: $id}) WHERE r.destroyedAt IS NULL "
        "RETURN properties(r) AS r ORDER BY r.documentId, r.role, r.fileVersion",
        {"id": case_id},
    )
    return [r["r"] for r in rows]


async def create_export(tx: Tx, row: Mapping[str, Any]) -> None:
    await tx.run(
        """
        MATCH (c:Case {id: $row.caseId})
        CREATE (e:ArchiveExport)
        SET e = $row
        CREATE (e)-[:OF_CASE]->(c)
        """,
        {"row": dict(row)},
    )


async def finish_export(tx: Tx, export_id: str, values: Mapping[str, Any], at: datetime) -> None:
    await tx.run(
        "MATCH (e:ArchiveExport {id: $id}) SET e += $values, e.finishedAt = $at",
        {"id": export_id, "values": dict(values), "at": at},
    )


async def export_by_id(db: Tx | Database, export_id: str) -> Any | None:
    rows = await _rows(
        db, f"MATCH (e:ArchiveExport {{id: $id}}) RETURN {EXPORT_FIELDS}", {"id": export_id}
    )
    return rows[0] if rows else None


async def page_exports(
    db: Tx | Database,
    case_id: str | None,
    cleared: list[str],
    after: list[Any] | None,
    limit: int,
) -> tuple[list[Any], int]:
    """Newest first (keyset after ``[createdAt, id]``), and how many there are; only those
    whose classification is public or in ``cleared``."""
    where = (
        "($case IS NULL OR e.caseId = $case) "
        "AND (e.classification IS NULL OR e.classification IN $cleared)"
    )
    params = {"case": case_id, "cleared": cleared, "after": after, "limit": limit}
    rows = await _rows(
        db,
        f"""
        MATCH (e:ArchiveExport) WHERE {where}
          AND ($after IS NULL OR e.createdAt < datetime($after[0])
               OR (e.createdAt = datetime($after[0]) AND e.id < $after[1]))
        WITH e ORDER BY e.createdAt DESC, e.id DESC LIMIT $limit
        RETURN {EXPORT_FIELDS}
        """,
        params,
    )
    total = await _rows(db, f"MATCH (e:ArchiveExport) WHERE {where} RETURN count(e) AS n", params)
    return rows, int(total[0]["n"])


# --- restoring a package (import) ------------------------------------------------------


async def import_mark(tx: Tx, case_id: str) -> tuple[bool, str | None]:
    """Whether the case exists, and the identity of the package it was imported from."""
    rows = await tx.run("MATCH (c:Case {id: $id}) RETURN c.importedBag AS bag", {"id": case_id})
    return (True, rows[0]["bag"]) if rows else (False, None)


async def taken_ids(tx: Tx, label: str, ids: list[str]) -> list[str]:
    """Which of ``ids`` already exist as ``label`` nodes (label from a fixed list)."""
    if label not in ("Document", "DocumentFile", "Signature", "ArchivedRecord", "DocumentEvent"):
        raise ValueError(label)
    rows = await tx.run(
        f"UNWIND $ids AS id MATCH (n:{label} {{id: id}}) RETURN n.id AS id", {"ids": ids}
    )
    return [r["id"] for r in rows]


async def unit_exists(tx: Tx, code: str) -> bool:
    return bool(await tx.run("MATCH (u:OrgUnit {code: $code}) RETURN 1 AS one", {"code": code}))


async def restore_case(tx: Tx, case: dict[str, Any], nomenclature: dict[str, Any] | None) -> None:
    """The case in its year's nomenclature (created as the package had it, when missing)."""
    await tx.run(
        """
        MERGE (n:Nomenclature {year: $case.year})
        ON CREATE SET n += $nomenclature
        CREATE (c:Case)
        SET c = $case
        CREATE (c)-[:IN_NOMENCLATURE]->(n)
        """,
        {
            "case": case,
            "nomenclature": nomenclature or {"year": case["year"], "status": "approved"},
        },
    )


async def restore_documents(
    tx: Tx, case_id: str, rows: list[dict[str, Any]], journals: list[dict[str, Any]]
) -> None:
    """Documents with their cards as they were, in their journals, filed in the case."""
    await tx.run(
        "UNWIND $journals AS j MERGE (n:Journal {code: j.code}) ON CREATE SET n = j",
        {"journals": journals},
    )
    await tx.run(
        """
        MATCH (c:Case {id: $case})
        UNWIND $rows AS row
        CREATE (d:Document)
        SET d = row
        CREATE (d)-[:FILED_IN]->(c)
        WITH d
        OPTIONAL MATCH (j:Journal {code: d.journalCode})
        FOREACH (_ IN CASE WHEN j IS NULL THEN [] ELSE [1] END | CREATE (d)-[:IN_JOURNAL]->(j))
        """,
        {"case": case_id, "rows": rows},
    )


async def restore_timeline(tx: Tx, rows: list[dict[str, Any]]) -> None:
    await tx.run(
        """
        UNWIND $rows AS row
        MATCH (d:Document {id: row.documentId})
        CREATE (e:DocumentEvent)
        SET e = row
        CREATE (e)-[:OF]->(d)
        """,
        {"rows": rows},
    )


async def restore_files(tx: Tx, rows: list[dict[str, Any]]) -> None:
    """File versions with their numbers as they were; their objects are already staged."""
    await tx.run(
        """
        UNWIND $rows AS row
        MATCH (d:Document {id: row.documentId})
        MATCH (o:StoredObject {bucket: row.bucket, key: row.objectKey})
        CREATE (f:DocumentFile)
        SET f = row
        CREATE (f)-[:OF]->(d), (f)-[:STORED_AS]->(o)
        """,
        {"rows": rows},
    )
    await tx.run(
        """
        UNWIND $rows AS row
        MATCH (f:DocumentFile {id: row.id}), (src:DocumentFile {id: row.derivedFrom})
        CREATE (f)-[:DERIVED_FROM]->(src)
        """,
        {"rows": [r for r in rows if r.get("derivedFrom")]},
    )


async def restore_signatures(tx: Tx, rows: list[dict[str, Any]]) -> None:
    await tx.run(
        """
        UNWIND $rows AS row
        MATCH (d:Document {id: row.documentId}), (f:DocumentFile {id: row.fileId})
        CREATE (s:Signature)
        SET s = row
        CREATE (s)-[:OF]->(d), (s)-[:SIGNS]->(f)
        """,
        {"rows": rows},
    )


async def register_objects(tx: Tx, rows: list[dict[str, Any]]) -> None:
    """``:StoredObject`` nodes for files put before the unit (as the unit of work records
    its own puts): without them ``asan storage sweep`` would delete the files."""
    await tx.run(
        """
        UNWIND $rows AS row
        MERGE (o:StoredObject {bucket: row.bucket, key: row.key})
        SET o.etag = row.etag, o.versionId = row.versionId, o.size = row.size,
            o.contentType = row.contentType, o.createdAt = datetime()
        """,
        {"rows": rows},
    )
