"""Every Cypher statement of transfer inventories (parameterised, one job each)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from asan.archive.transfer.models import OPEN_STATUSES
from asan.core.db import Database, Tx

# an inventory's fields and its totals (files of its cases against their archived records)
FIELDS: Final = """
    t.id AS id, t.number AS number, t.unit AS unit, t.year AS year, t.status AS status,
    COLLECT { MATCH (u:OrgUnit {code: t.unit}) RETURN u.nameAz } [0] AS unitName,
    t.createdBy AS createdBy, t.createdAt AS createdAt, t.submittedAt AS submittedAt,
    t.submittedBy AS submittedBy, t.acceptedAt AS acceptedAt, t.acceptedBy AS acceptedBy,
    t.returnedAt AS returnedAt, t.returnedBy AS returnedBy, t.returnedReason AS returnedReason,
    COUNT { (t)-[:LISTS]->(:Case) } AS cases,
    COUNT { MATCH (t)-[:LISTS]->(:Case)<-[:FILED_IN]-(d:Document)
            MATCH (f:DocumentFile {documentId: d.id}) } AS files,
    COUNT { MATCH (t)-[:LISTS]->(c:Case) MATCH (r:ArchivedRecord {caseId: c.id}) } AS ingested
"""

# one inventory line per case: its documents' first and last registration dates and counts
LINE: Final = """
    CALL (c) {
        OPTIONAL MATCH (d:Document)-[:FILED_IN]->(c)
        OPTIONAL MATCH (f:DocumentFile {documentId: d.id})
        RETURN count(DISTINCT d) AS documents, count(f) AS files,
               min(d.regDate) AS firstDocument, max(d.regDate) AS lastDocument
    }
    RETURN l.position AS position, c.id AS caseId, c.index AS index, c.title AS title,
           c.year AS year, c.status AS status, c.retentionYears AS retentionYears,
           c.permanent AS permanent, c.closedAt AS closedAt, c.disposalDate AS disposalDate,
           documents, files, firstDocument, lastDocument,
           COUNT { (:ArchivedRecord {caseId: c.id}) } AS ingested
"""


async def _rows(db: Tx | Database, cypher: str, params: Mapping[str, Any]) -> list[Any]:
    if isinstance(db, Tx):
        return await db.run(cypher, dict(params))
    return await db.read(cypher, dict(params))


async def next_sequence(tx: Tx, year: int) -> int:
    """The next number of ``year``; the counter stays locked until the transaction ends, so
    concurrent inventories wait for each other and a rolled-back one leaves no gap."""
    rows = await tx.run(
        """
        MERGE (k:TransferInventoryCounter {year: $year}) ON CREATE SET k.value = 0
        SET k.value = k.value + 1
        RETURN k.value AS value
        """,
        {"year": year},
    )
    return int(rows[0]["value"])


async def create(tx: Tx, row: Mapping[str, Any]) -> None:
    await tx.run("CREATE (t:TransferInventory) SET t = $row", {"row": dict(row)})


async def by_id(db: Tx | Database, inventory_id: str) -> Any | None:
    rows = await _rows(
        db, f"MATCH (t:TransferInventory {{id: $id}}) RETURN {FIELDS}", {"id": inventory_id}
    )
    return rows[0] if rows else None


async def lock(tx: Tx, inventory_id: str) -> Any | None:
    """The inventory, write-locked for this transaction (racing steps serialise on it)."""
    rows = await tx.run(
        "MATCH (t:TransferInventory {id: $id}) SET t._lock = true REMOVE t._lock "
        "RETURN t.id AS id, t.unit AS unit, t.status AS status",
        {"id": inventory_id},
    )
    return rows[0] if rows else None


async def by_number_or_id(db: Tx | Database, key: str) -> Any | None:
    rows = await _rows(
        db,
        "MATCH (t:TransferInventory) WHERE t.id = $key OR t.number = $key "
        "RETURN t.id AS id, t.unit AS unit, t.status AS status LIMIT 1",
        {"key": key},
    )
    return rows[0] if rows else None


async def cases_for_listing(tx: Tx, case_ids: Sequence[str]) -> list[Any]:
    """The cases to list (lock them first) with the open inventories already holding them."""
    return await tx.run(
        """
        UNWIND $ids AS wanted
        MATCH (c:Case {id: wanted})
        RETURN c.id AS id, c.index AS index, c.unit AS unit, c.year AS year,
               c.status AS status,
               COLLECT { MATCH (o:TransferInventory)-[:LISTS]->(c)
                         WHERE o.status IN $open RETURN o.id } AS holders,
               COLLECT { MATCH (o:TransferInventory)-[:LISTS]->(c)
                         WHERE o.status IN $open RETURN o.number } AS holderNumbers
        """,
        {"ids": list(case_ids), "open": list(OPEN_STATUSES)},
    )


async def set_lines(tx: Tx, inventory_id: str, case_ids: Sequence[str]) -> None:
    """Replace the inventory's lines with ``case_ids`` in that order (positions from 1)."""
    await tx.run(
        """
        MATCH (t:TransferInventory {id: $id})
        OPTIONAL MATCH (t)-[old:LISTS]->(:Case)
        DELETE old
        WITH DISTINCT t
        UNWIND range(0, size($ids) - 1) AS i
        MATCH (c:Case {id: $ids[i]})
        CREATE (t)-[:LISTS {position: i + 1}]->(c)
        """,
        {"id": inventory_id, "ids": list(case_ids)},
    )


async def listed_case_ids(tx: Tx | Database, inventory_id: str) -> list[str]:
    rows = await _rows(
        tx,
        "MATCH (:TransferInventory {id: $id})-[l:LISTS]->(c:Case) "
        "RETURN c.id AS id ORDER BY l.position",
        {"id": inventory_id},
    )
    return [r["id"] for r in rows]


async def listed_cases(db: Tx | Database, inventory_id: str) -> list[Any]:
    """The inventory's lines in order, with each case's counts and ingest progress."""
    return await _rows(
        db,
        f"""
        MATCH (:TransferInventory {{id: $id}})-[l:LISTS]->(c:Case)
        {LINE} ORDER BY position
        """,
        {"id": inventory_id},
    )


async def set_status(tx: Tx, inventory_id: str, props: Mapping[str, Any]) -> None:
    await tx.run(
        "MATCH (t:TransferInventory {id: $id}) SET t += $props",
        {"id": inventory_id, "props": dict(props)},
    )


async def transfer_cases(tx: Tx, case_ids: Sequence[str], at: datetime) -> list[str]:
    """Move the listed cases from the unit's archive to the agency's; the ones moved."""
    rows = await tx.run(
        """
        UNWIND $ids AS id
        MATCH (c:Case {id: id, status: 'unit_archive'})
        SET c.status = 'transferred', c.transferredAt = $at
        RETURN c.id AS id
        """,
        {"ids": list(case_ids), "at": at},
    )
    return [r["id"] for r in rows]


async def page(
    db: Tx | Database, filters: Mapping[str, Any], after: list[Any] | None, limit: int
) -> tuple[list[Any], int]:
    """Inventories newest year first, then by number (keyset after ``[year, number]``)."""
    where = """
        ($unit IS NULL OR t.unit = $unit) AND ($year IS NULL OR t.year = $year)
        AND ($status IS NULL OR t.status = $status)
    """
    params = {**filters, "after": after, "limit": limit}
    rows = await _rows(
        db,
        f"""
        MATCH (t:TransferInventory) WHERE {where}
          AND ($after IS NULL OR t.year < $after[0]
               OR (t.year = $after[0] AND t.number > $after[1]))
        WITH t ORDER BY t.year DESC, t.number LIMIT $limit
        RETURN {FIELDS}
        """,
        params,
    )
    total = await _rows(
        db, f"MATCH (t:TransferInventory) WHERE {where} RETURN count(t) AS n", params
    )
    return rows, int(total[0]["n"])


async def unit_exists(tx: Tx, unit: str) -> bool:
    rows = await tx.run("MATCH (u:OrgUnit {code: $code}) RETURN 1 AS one", {"code": unit})
    return bool(rows)


async def lock_cases(tx: Tx, case_ids: Sequence[str]) -> None:
    """Write-lock the cases first (in id order, so racing listings cannot deadlock), then
    read who holds them in a later statement: a racing listing has committed by then."""
    await tx.run(
        "UNWIND $ids AS id MATCH (c:Case {id: id}) SET c._lock = true REMOVE c._lock",
        {"ids": sorted(case_ids)},
    )


async def display_names(db: Tx | Database, user_ids: Sequence[str]) -> dict[str, str]:
    """Names for the PDF's signature places (a user id with no user: left out)."""
    rows = await _rows(
        db,
        "UNWIND $ids AS id MATCH (u:User {id: id}) "
        "RETURN u.id AS id, coalesce(u.displayName, u.username) AS name",
        {"ids": list(user_ids)},
    )
    return {r["id"]: r["name"] for r in rows}


async def user_id_by_username(db: Tx | Database, username: str) -> str | None:
    """The CLI's ``--as``: an account by its username (exact, as signed in with)."""
    rows = await _rows(db, "MATCH (u:User {username: $name}) RETURN u.id AS id", {"name": username})
    return rows[0]["id"] if rows else None
