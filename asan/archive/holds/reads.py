"""Reading holds: what disposition asks before destroying anything, and what GraphQL lists.

Reads only (no policy here): the callers are use cases that authorised their caller already,
or the disposition's execution inside its own audited unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from asan.archive.holds.models import Hold
from asan.core.db import Database, Tx

FIELDS: Final = """
    h.id AS id, h.caseId AS caseId, h.kind AS kind, h.reason AS reason,
    h.placedBy AS placedBy, h.placedByName AS placedByName, h.placedAt AS placedAt,
    h.active AS active, h.liftedBy AS liftedBy, h.liftedByName AS liftedByName,
    h.liftedAt AS liftedAt, h.liftReason AS liftReason
"""


async def _rows(db: Tx | Database, cypher: str, params: Mapping[str, Any]) -> list[Any]:
    if isinstance(db, Tx):
        return await db.run(cypher, dict(params))
    return await db.read(cypher, dict(params))


async def active_holds(db_or_tx: Tx | Database, case_ids: list[str]) -> dict[str, list[Hold]]:
    """The active holds of each case (oldest first); a case without any is absent.

    Disposition refuses to destroy a case found here, naming who placed each hold and why
    (``Hold.describe``).
    """
    if not case_ids:
        return {}
    rows = await _rows(
        db_or_tx,
        f"""
        UNWIND $ids AS caseId
        MATCH (h:ArchiveHold {{caseId: caseId, active: true}})
        RETURN {FIELDS} ORDER BY h.placedAt, h.id
        """,
        {"ids": list(dict.fromkeys(case_ids))},
    )
    found: dict[str, list[Hold]] = {}
    for row in rows:
        hold = Hold.of(row)
        found.setdefault(hold.case_id, []).append(hold)
    return found


async def holds_of_cases(
    db_or_tx: Tx | Database, case_ids: list[str], *, limit_each: int
) -> dict[str, list[Hold]]:
    """Every hold of each case, active first then newest, at most ``limit_each`` per case."""
    if not case_ids:
        return {}
    rows = await _rows(
        db_or_tx,
        f"""
        UNWIND $ids AS caseId
        CALL (caseId) {{
            MATCH (h:ArchiveHold {{caseId: caseId}})
            WITH h ORDER BY h.active DESC, h.placedAt DESC, h.id LIMIT $limit
            RETURN h
        }}
        RETURN {FIELDS}
        """,
        {"ids": list(dict.fromkeys(case_ids)), "limit": limit_each},
    )
    found: dict[str, list[Hold]] = {}
    for row in rows:
        hold = Hold.of(row)
        found.setdefault(hold.case_id, []).append(hold)
    return found


async def by_id(db_or_tx: Tx | Database, hold_id: str) -> Hold | None:
    rows = await _rows(
        db_or_tx, f"MATCH (h:ArchiveHold {{id: $id}}) RETURN {FIELDS}", {"id": hold_id}
    )
    return Hold.of(rows[0]) if rows else None


async def page(
    db_or_tx: Tx | Database,
    *,
    case_id: str | None,
    active: bool | None,
    after: list[Any] | None,
    limit: int,
) -> tuple[list[Hold], int]:
    """Holds newest first (keyset after ``[placedAt ISO, id]``), and how many match."""
    where = "($case IS NULL OR h.caseId = $case) AND ($active IS NULL OR h.active = $active)"
    params = {"case": case_id, "active": active, "after": after, "limit": limit}
    rows = await _rows(
        db_or_tx,
        f"""
        MATCH (h:ArchiveHold) WHERE {where}
          AND ($after IS NULL OR h.placedAt < datetime($after[0])
               OR (h.placedAt = datetime($after[0]) AND h.id > $after[1]))
        WITH h ORDER BY h.placedAt DESC, h.id LIMIT $limit
        RETURN {FIELDS}
        """,
        params,
    )
    total = await _rows(
        db_or_tx, f"MATCH (h:ArchiveHold) WHERE {where} RETURN count(h) AS n", params
    )
    return [Hold.of(r) for r in rows], int(total[0]["n"])
