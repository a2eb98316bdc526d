"""Every Cypher write of holds (parameterised); reads live in ``reads.py``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from asan.core.db import Tx


async def lock_case(tx: Tx, case_id: str, at: datetime) -> Any | None:
    """Write-lock the case (placing, lifting and syncing MinIO holds serialise on it) and
    return what decides whether its records must stay held."""
    rows = await tx.run(
        """
        MATCH (c:Case {id: $id})
        SET c.holdsSyncedAt = $at
        RETURN c.id AS id, c.index AS index, c.unit AS unit, c.status AS status,
               coalesce(c.permanent, false) OR c.status = 'permanent'
                 OR (c.closedAt IS NOT NULL AND c.retentionYears IS NULL) AS permanent,
               COUNT { (h:ArchiveHold {active: true})-[:HOLDS]->(c) } AS activeHolds
        """,
        {"id": case_id, "at": at},
    )
    return rows[0] if rows else None


async def display_name(tx: Tx, subject: str) -> str | None:
    rows = await tx.run(
        "MATCH (u:User {id: $id}) RETURN coalesce(u.displayName, u.username) AS name",
        {"id": subject},
    )
    return rows[0]["name"] if rows else None


async def create(tx: Tx, row: Mapping[str, Any]) -> None:
    await tx.run(
        """
        MATCH (c:Case {id: $row.caseId})
        CREATE (h:ArchiveHold)
        SET h = $row
        CREATE (h)-[:HOLDS]->(c)
        """,
        {"row": dict(row)},
    )


async def lift(tx: Tx, hold_id: str, changes: Mapping[str, Any]) -> None:
    await tx.run(
        """
        MATCH (h:ArchiveHold {id: $id})
        SET h.active = false, h.liftedBy = $c.liftedBy, h.liftedByName = $c.liftedByName,
            h.liftedAt = $c.liftedAt, h.liftReason = $c.liftReason
        """,
        {"id": hold_id, "c": dict(changes)},
    )


async def live_records(tx: Tx, case_id: str) -> list[Any]:
    """The case's records not destroyed: the object versions a hold must cover."""
    return await tx.run(
        """
        MATCH (r:ArchivedRecord {caseId: $case}) WHERE r.destroyedAt IS NULL
        RETURN r.id AS id, r.bucket AS bucket, r.key AS key, r.versionId AS versionId
        ORDER BY r.id
        """,
        {"case": case_id},
    )
