"""Every Cypher statement of mailing lists, the dispatch register and deliveries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from asan.core.db import Database, Tx

ENTRY_FIELDS = """
    d.id AS id, d.documentId AS documentId, d.position AS position,
    d.addresseeKind AS addresseeKind, d.method AS method, d.status AS status,
    d.stateBody AS stateBody, d.orgUnit AS orgUnit, d.name AS name, d.address AS address,
    d.email AS email, d.note AS note, d.sentAt AS sentAt, d.deliveredAt AS deliveredAt,
    d.returnedAt AS returnedAt, d.reason AS reason, d.tracking AS tracking,
    d.fileId AS fileId, d.sha256 AS sha256, d.acknowledgedBy AS acknowledgedBy,
    d.replyDocumentId AS replyDocumentId
"""


async def entries(tx: Tx, document_id: str) -> list[Any]:
    return await tx.run(
        f"MATCH (d:DispatchEntry {{documentId: $doc}}) RETURN {ENTRY_FIELDS} ORDER BY d.position",
        {"doc": document_id},
    )


async def entries_read(db: Database, document_id: str) -> list[Any]:
    return await db.read(
        f"MATCH (d:DispatchEntry {{documentId: $doc}}) RETURN {ENTRY_FIELDS} ORDER BY d.position",
        {"doc": document_id},
    )


async def entry(tx: Tx, entry_id: str) -> Any | None:
    rows = await tx.run(
        f"MATCH (d:DispatchEntry {{id: $id}}) RETURN {ENTRY_FIELDS}", {"id": entry_id}
    )
    return rows[0] if rows else None


async def entry_read(db: Database, entry_id: str) -> Any | None:
    rows = await db.read(
        f"MATCH (d:DispatchEntry {{id: $id}}) RETURN {ENTRY_FIELDS}", {"id": entry_id}
    )
    return rows[0] if rows else None


async def lock_entry(tx: Tx, entry_id: str) -> Any | None:
    """The entry, write-locked for the rest of the transaction (two acknowledgements of one
    delivery, or an acknowledgement racing the registrar, are serialised here)."""
    rows = await tx.run(
        f"MATCH (d:DispatchEntry {{id: $id}}) SET d.lockedAt = datetime() RETURN {ENTRY_FIELDS}",
        {"id": entry_id},
    )
    return rows[0] if rows else None


async def document_of_entry(tx: Tx, entry_id: str) -> str | None:
    rows = await tx.run(
        "MATCH (d:DispatchEntry {id: $id}) RETURN d.documentId AS doc", {"id": entry_id}
    )
    return str(rows[0]["doc"]) if rows else None


async def replace_planned(
    tx: Tx, document_id: str, rows: Sequence[dict[str, Any]], at: datetime, actor: str
) -> list[str]:
    """Drop the planned lines and write ``rows`` as the new mailing list; returns the old ids."""
    old = await tx.run(
        "MATCH (d:DispatchEntry {documentId: $doc, status: 'planned'}) "
        "WITH d, d.id AS id DETACH DELETE d RETURN id",
        {"doc": document_id},
    )
    await tx.run(
        """
        MATCH (doc:Document {id: $doc})
        UNWIND $rows AS row
        CREATE (d:DispatchEntry {id: row.id, documentId: $doc, position: row.position,
                addresseeKind: row.kind, method: row.method, status: 'planned',
                stateBody: row.stateBody, orgUnit: row.orgUnit, name: row.name,
                address: row.address, email: row.email, note: row.note,
                createdAt: $at, createdBy: $actor})-[:FOR]->(doc)
        WITH d, row
        OPTIONAL MATCH (b:StateBody {code: row.stateBody})
        FOREACH (_ IN CASE WHEN b IS NULL THEN [] ELSE [1] END | CREATE (d)-[:TO_BODY]->(b))
        """,
        {"doc": document_id, "rows": list(rows), "at": at, "actor": actor},
    )
    return [str(r["id"]) for r in old]


async def existing_bodies(tx: Tx, codes: Sequence[str]) -> set[str]:
    rows = await tx.run(
        "MATCH (b:StateBody) WHERE b.code IN $codes RETURN b.code AS code", {"codes": list(codes)}
    )
    return {str(r["code"]) for r in rows}


async def existing_units(tx: Tx, codes: Sequence[str]) -> set[str]:
    rows = await tx.run(
        "MATCH (u:OrgUnit) WHERE u.code IN $codes RETURN u.code AS code", {"codes": list(codes)}
    )
    return {str(r["code"]) for r in rows}


async def document_endpoints(tx: Tx, codes: Sequence[str], kind_name: str) -> set[str]:
    """The bodies among ``codes`` whose system is registered as a document endpoint: an
    active webhook subscribed to ``kind_name`` (or to every kind)."""
    rows = await tx.run(
        """
        MATCH (w:Webhook) WHERE w.stateBody IN $codes AND w.active
          AND (size(coalesce(w.kinds, [])) = 0 OR $kind IN w.kinds)
        RETURN DISTINCT w.stateBody AS code
        """,
        {"codes": list(codes), "kind": kind_name},
    )
    return {str(r["code"]) for r in rows}


async def mark_sent(
    tx: Tx, document_id: str, at: datetime, file_id: str | None, sha256: str | None
) -> list[str]:
    rows = await tx.run(
        """
        MATCH (d:DispatchEntry {documentId: $doc, status: 'planned'})
        SET d.status = 'sent', d.sentAt = $at, d.fileId = $file, d.sha256 = $sha
        RETURN d.id AS id ORDER BY d.position
        """,
        {"doc": document_id, "at": at, "file": file_id, "sha": sha256},
    )
    return [str(r["id"]) for r in rows]


async def set_entry(tx: Tx, entry_id: str, values: dict[str, Any]) -> None:
    await tx.run(
        "MATCH (d:DispatchEntry {id: $id}) SET d += $values", {"id": entry_id, "values": values}
    )


async def set_entries(tx: Tx, entry_ids: list[str], values: dict[str, Any]) -> None:
    """The same values on several lines of a register in one statement."""
    if entry_ids:
        await tx.run(
            "MATCH (d:DispatchEntry) WHERE d.id IN $ids SET d += $values",
            {"ids": entry_ids, "values": values},
        )


async def body_deliveries(db: Database, body: str, status: str | None, limit: int) -> list[Any]:
    """A body's electronic deliveries, newest first (what its system has to fetch)."""
    return await db.read(
        f"""
        MATCH (d:DispatchEntry {{stateBody: $body, method: 'system'}})
        WHERE d.status <> 'planned' AND ($status IS NULL OR d.status = $status)
        RETURN {ENTRY_FIELDS} ORDER BY d.sentAt DESC, d.id LIMIT $limit
        """,
        {"body": body, "status": status, "limit": limit},
    )


async def delivered_document(db: Database, entry_id: str) -> Any | None:
    """What the addressee of a sent entry may see of its document: the card's public face and
    the dispatched file's metadata."""
    rows = await db.read(
        """
        MATCH (d:DispatchEntry {id: $id})-[:FOR]->(doc:Document)
        OPTIONAL MATCH (f:DocumentFile {id: d.fileId})
        RETURN doc.id AS documentId, doc.kind AS kind, doc.regNumber AS regNumber,
               doc.regDate AS regDate, doc.subject AS subject, doc.language AS language,
               doc.pages AS pages, f.filename AS filename, f.contentType AS contentType,
               f.size AS size, f.sha256 AS fileSha256, f.objectKey AS objectKey
        """,
        {"id": entry_id},
    )
    return rows[0] if rows else None


async def document_unit(tx: Tx, document_id: str) -> str | None:
    rows = await tx.run("MATCH (d:Document {id: $id}) RETURN d.unit AS unit", {"id": document_id})
    return rows[0]["unit"] if rows else None


async def link_reply(tx: Tx, entry_id: str, reply_id: str) -> None:
    await tx.run(
        """
        MATCH (d:DispatchEntry {id: $id}), (r:Document {id: $reply})
        SET d.replyDocumentId = $reply
        MERGE (r)-[:REPLY_TO]->(d)
        """,
        {"id": entry_id, "reply": reply_id},
    )


async def lock_document(tx: Tx, document_id: str) -> Any | None:
    """The document's kind, status and classification, write-locked (a mailing-list change
    and a dispatch of the same document are serialised here, as flows.advance does)."""
    rows = await tx.run(
        "MATCH (d:Document {id: $id}) SET d._lock = true REMOVE d._lock "
        "RETURN d.kind AS kind, d.status AS status, d.classification AS classification",
        {"id": document_id},
    )
    return rows[0] if rows else None


async def draft_addressees(tx: Tx, document_id: str) -> list[Any]:
    """The addressees the draft was written to (drafts part: ``(:Addressee)-[:OF]->``)."""
    return await tx.run(
        """
        MATCH (a:Addressee)-[:OF]->(:Document {id: $doc})
        RETURN a.kind AS kind, a.stateBody AS stateBody, a.orgUnit AS orgUnit, a.name AS name,
               a.address AS address, a.email AS email
        ORDER BY a.position
        """,
        {"doc": document_id},
    )


async def people_in_units(tx: Tx, units: Sequence[str], on: Any) -> list[str]:
    """Users holding a position on ``on`` in ``units`` or their sub-units (a distributed
    internal document or order reaches everyone there)."""
    rows = await tx.run(
        """
        MATCH (top:OrgUnit) WHERE top.code IN $units
        MATCH (u:OrgUnit)-[:PART_OF*0..]->(top)
        MATCH (user:User)-[h:HOLDS]->(:Position)-[:IN_UNIT]->(u)
        WHERE (h.validFrom IS NULL OR h.validFrom <= $on)
          AND (h.validUntil IS NULL OR h.validUntil >= $on)
        RETURN DISTINCT user.id AS id
        """,
        {"units": list(units), "on": on},
    )
    return [str(r["id"]) for r in rows]


REGISTER_WHERE = """
    d.status <> 'planned'
    AND ($sentFrom IS NULL OR d.sentAt >= $sentFrom) AND ($sentTo IS NULL OR d.sentAt < $sentTo)
    AND ($method IS NULL OR d.method = $method) AND ($status IS NULL OR d.status = $status)
"""


async def register_rows(
    db: Database, visible: str, params: dict[str, Any], skip: int, limit: int
) -> tuple[list[Any], int]:
    """Sent lines of every document ``visible`` (a ``visible_where`` predicate on ``doc``)
    lets the caller read, newest first, with the document's number and subject; and the
    total."""
    where = f"{REGISTER_WHERE} AND {visible}"
    rows = await db.read(
        f"""
        MATCH (d:DispatchEntry)-[:FOR]->(doc:Document) WHERE {where}
        RETURN {ENTRY_FIELDS}, doc.regNumber AS regNumber, doc.subject AS subject
        ORDER BY d.sentAt DESC, d.id DESC SKIP $skip LIMIT $limit
        """,
        {**params, "skip": skip, "limit": limit},
    )
    total = await db.read(
        f"MATCH (d:DispatchEntry)-[:FOR]->(doc:Document) WHERE {where} RETURN count(d) AS n",
        params,
    )
    return rows, int(total[0]["n"])
