"""Every Cypher statement of certified copies."""

from __future__ import annotations

from typing import Any

from asan.core.db import Database, Tx

COPY_FIELDS = """
    c.code AS code, c.documentId AS documentId, c.copyFileId AS copyFileId,
    c.originalFileId AS originalFileId, c.originalSha256 AS originalSha256,
    c.copySha256 AS copySha256, c.certifiedBy AS certifiedBy, c.certifierName AS certifierName,
    c.position AS position, c.unit AS unit, c.certifiedAt AS certifiedAt,
    c.regNumber AS regNumber, c.actingFor AS actingFor
"""


async def certifier(tx: Tx, subject: str, on: Any) -> Any | None:
    """The user's name and the position they hold on ``on`` (a head's first, if several)."""
    rows = await tx.run(
        """
        MATCH (u:User {id: $subject})
        OPTIONAL MATCH (u)-[h:HOLDS]->(p:Position)
        WHERE (h.validFrom IS NULL OR h.validFrom <= $on)
          AND (h.validUntil IS NULL OR h.validUntil >= $on)
        OPTIONAL MATCH (p)-[:IN_UNIT]->(unit:OrgUnit)
        WITH u, p, unit ORDER BY CASE p.kind WHEN 'chairman' THEN 0 WHEN 'head' THEN 1
             WHEN 'deputy_head' THEN 2 WHEN 'sector_head' THEN 3 ELSE 4 END
        RETURN u.displayName AS name, u.username AS username,
               collect(p.title)[0] AS title, collect(p.kind)[0] AS kind,
               collect(unit.nameAz)[0] AS unitName, collect(unit.code)[0] AS unit
        """,
        {"subject": subject, "on": on},
    )
    return rows[0] if rows else None


async def document_card(tx: Tx, document_id: str) -> Any | None:
    rows = await tx.run(
        "MATCH (d:Document {id: $id}) RETURN d.regNumber AS regNumber, d.regDate AS regDate, "
        "d.kind AS kind, d.status AS status",
        {"id": document_id},
    )
    return rows[0] if rows else None


async def create_copy(tx: Tx, row: dict[str, Any]) -> None:
    await tx.run(
        """
        MATCH (doc:Document {id: $row.documentId}), (f:DocumentFile {id: $row.copyFileId}),
              (o:DocumentFile {id: $row.originalFileId})
        CREATE (c:CertifiedCopy)
        SET c = $row
        CREATE (c)-[:OF]->(doc), (c)-[:COPY]->(f), (c)-[:ORIGINAL]->(o)
        """,
        {"row": row},
    )


async def by_code(db: Database, code: str) -> Any | None:
    rows = await db.read(
        f"MATCH (c:CertifiedCopy {{code: $code}}) RETURN {COPY_FIELDS}", {"code": code}
    )
    return rows[0] if rows else None


async def by_copy_hash(db: Database, sha256: str) -> Any | None:
    rows = await db.read(
        f"MATCH (c:CertifiedCopy {{copySha256: $sha}}) RETURN {COPY_FIELDS} LIMIT 1",
        {"sha": sha256},
    )
    return rows[0] if rows else None


async def of_document(db: Database, document_id: str) -> list[Any]:
    return await db.read(
        f"MATCH (c:CertifiedCopy {{documentId: $doc}}) RETURN {COPY_FIELDS} "
        "ORDER BY c.certifiedAt DESC LIMIT 100",
        {"doc": document_id},
    )
