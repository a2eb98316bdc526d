"""Every Cypher statement of disposition (parameterised, one job each)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final

from asan.archive.disposition.models import DISPOSABLE_STATUSES, OPEN_ACT_STATUSES
from asan.core.db import Database, Tx

_OPEN_ACT = """
    OPTIONAL CALL (c) {
        MATCH (a:DestructionAct)-[:DESTROYS]->(c) WHERE a.status IN $openActs
        RETURN a.number AS actNumber LIMIT 1
    }
"""

_CALENDAR_WHERE = """
    c.status IN $statuses AND coalesce(c.permanent, false) = false
    AND c.disposalDate IS NOT NULL
    AND ($from IS NULL OR c.disposalDate >= $from) AND ($to IS NULL OR c.disposalDate <= $to)
    AND ($unit IS NULL OR c.unit = $unit)
    AND ($due IS NULL OR (c.disposalDate <= $today) = $due)
"""

ACT_FIELDS: Final = """
    a.id AS id, a.number AS number, a.year AS year, a.status AS status,
    a.createdBy AS createdBy, a.createdByName AS createdByName, a.createdAt AS createdAt,
    a.signedBy AS signedBy, a.signedByName AS signedByName, a.signedAt AS signedAt,
    a.documentId AS documentId, a.signatureId AS signatureId, a.signedFileId AS signedFileId,
    a.verificationCode AS verificationCode, a.records AS records, a.bytes AS bytes,
    a.destroyedRecords AS destroyedRecords, a.executionStartedAt AS executionStartedAt,
    a.executedAt AS executedAt, a.executedBy AS executedBy, a.commission AS commission,
    a.digest AS digest
"""


async def _rows(db: Tx | Database, cypher: str, params: Mapping[str, Any]) -> list[Any]:
    if isinstance(db, Tx):
        return await db.run(cypher, dict(params))
    return await db.read(cypher, dict(params))


async def calendar_page(
    db: Tx | Database,
    filters: Mapping[str, Any],
    today: date,
    after: list[Any] | None,
    limit: int,
) -> tuple[list[Any], int]:
    """Cases by disposal date, then index (keyset after ``[date iso, index]``), and the total."""
    params = {
        **filters,
        "today": today,
        "statuses": list(DISPOSABLE_STATUSES),
        "openActs": list(OPEN_ACT_STATUSES),
        "after": after,
        "afterDate": date.fromisoformat(after[0]) if after else None,
        "limit": limit,
    }
    rows = await _rows(
        db,
        f"""
        MATCH (c:Case) WHERE {_CALENDAR_WHERE}
          AND ($after IS NULL OR c.disposalDate > $afterDate
               OR (c.disposalDate = $afterDate AND c.index + '|' + c.id > $after[1]))
        WITH c ORDER BY c.disposalDate, c.index + '|' + c.id LIMIT $limit
        OPTIONAL CALL (c) {{
            MATCH (r:ArchivedRecord {{caseId: c.id}}) WHERE r.destroyedAt IS NULL
            RETURN count(r) AS records, sum(r.size) AS bytes
        }}
        {_OPEN_ACT}
        RETURN c.id AS id, c.index AS index, c.year AS year, c.title AS title, c.unit AS unit,
               c.status AS status, c.retentionYears AS retentionYears,
               c.disposalDate AS disposalDate, c.disposalDecision AS decision,
               c.disposalDecidedAt AS decidedAt, c.disposalDecidedByName AS decidedByName,
               c.disposalDecisionReason AS decisionReason, records, bytes, actNumber
        ORDER BY c.disposalDate, c.index + '|' + c.id
        """,
        params,
    )
    total = await _rows(db, f"MATCH (c:Case) WHERE {_CALENDAR_WHERE} RETURN count(c) AS n", params)
    return rows, int(total[0]["n"])


async def case_for_disposal(tx: Tx | Database, case_id: str) -> Any | None:
    rows = await _rows(
        tx,
        f"""
        MATCH (c:Case {{id: $id}})
        {_OPEN_ACT}
        RETURN c.id AS id, c.index AS index, c.year AS year, c.title AS title, c.unit AS unit,
               c.status AS status, c.retentionYears AS retentionYears,
               coalesce(c.permanent, false) AS permanent, c.disposalDate AS disposalDate,
               c.closedAt AS closedAt, c.disposalDecision AS decision,
               c.disposalDecidedByName AS decidedByName,
               COUNT {{ (:Document)-[:FILED_IN]->(c) }} AS documents, actNumber
        """,
        {"id": case_id, "openActs": list(OPEN_ACT_STATUSES)},
    )
    return rows[0] if rows else None


async def add_decision(tx: Tx, row: Mapping[str, Any], case_props: Mapping[str, Any]) -> None:
    """The decision node (history) and the case's current decision and dates."""
    await tx.run(
        """
        MATCH (c:Case {id: $row.caseId})
        CREATE (d:DisposalDecision)
        SET d = $row
        CREATE (d)-[:DECIDES]->(c)
        SET c += $case
        """,
        {"row": dict(row), "case": dict(case_props)},
    )


async def live_records(tx: Tx | Database, case_id: str) -> list[Any]:
    """The case's records not destroyed: what a decision re-locks and an act lists."""
    return await _rows(
        tx,
        """
        MATCH (r:ArchivedRecord {caseId: $case}) WHERE r.destroyedAt IS NULL
        RETURN r.id AS id, r.bucket AS bucket, r.key AS key, r.versionId AS versionId,
               r.sha256 AS sha256, r.size AS size, r.retainUntil AS retainUntil
        ORDER BY r.id
        """,
        {"case": case_id},
    )


async def set_records_retention(tx: Tx, ids: Sequence[str], until: datetime) -> None:
    await tx.run(
        "UNWIND $ids AS id MATCH (r:ArchivedRecord {id: id}) SET r.retainUntil = $until",
        {"ids": list(ids), "until": until},
    )


async def next_act_seq(tx: Tx, year: int) -> int:
    """The year's next act number; the counter's row lock serialises concurrent acts."""
    rows = await tx.run(
        """
        MERGE (k:DestructionActCounter {year: $year})
        ON CREATE SET k.last = 0
        SET k.last = k.last + 1
        RETURN k.last AS seq
        """,
        {"year": year},
    )
    return int(rows[0]["seq"])


async def create_act(tx: Tx, act: Mapping[str, Any], cases: Sequence[Mapping[str, Any]]) -> None:
    await tx.run(
        """
        CREATE (a:DestructionAct)
        SET a = $act
        WITH a
        UNWIND $cases AS row
        MATCH (c:Case {id: row.caseId})
        CREATE (a)-[d:DESTROYS]->(c)
        SET d = row
        """,
        {"act": dict(act), "cases": [dict(c) for c in cases]},
    )


async def act_row(db: Tx | Database, act_id: str, *, lock: bool = False) -> Any | None:
    """By id or number; ``lock`` takes the act's write lock first (inside a transaction)."""
    touch = "SET a.lockedAt = timestamp()" if lock else ""
    rows = await _rows(
        db,
        f"""
        MATCH (a:DestructionAct) WHERE a.id = $id OR a.number = $id
        {touch}
        RETURN {ACT_FIELDS}
        """,
        {"id": act_id},
    )
    return rows[0] if rows else None


async def act_cases(db: Tx | Database, act_id: str) -> list[Any]:
    return await _rows(
        db,
        """
        MATCH (:DestructionAct {id: $id})-[d:DESTROYS]->(c:Case)
        RETURN d.caseId AS caseId, d.index AS index, d.title AS title, d.year AS year,
               d.retentionYears AS retentionYears, d.disposalDate AS disposalDate,
               d.documents AS documents, d.records AS records, d.bytes AS bytes,
               d.digest AS digest, c.status AS status
        ORDER BY d.index, d.caseId
        """,
        {"id": act_id},
    )


async def acts_page(
    db: Tx | Database, status: str | None, after: list[Any] | None, limit: int
) -> tuple[list[Any], int]:
    """Acts newest first by number (keyset after ``[number]``)."""
    params = {"status": status, "after": after, "limit": limit}
    where = "($status IS NULL OR a.status = $status)"
    rows = await _rows(
        db,
        f"""
        MATCH (a:DestructionAct) WHERE {where} AND ($after IS NULL OR a.number < $after[0])
        WITH a ORDER BY a.number DESC LIMIT $limit
        RETURN {ACT_FIELDS}
        """,
        params,
    )
    total = await _rows(db, f"MATCH (a:DestructionAct) WHERE {where} RETURN count(a) AS n", params)
    return rows, int(total[0]["n"])


async def set_act(tx: Tx, act_id: str, props: Mapping[str, Any]) -> None:
    await tx.run(
        "MATCH (a:DestructionAct {id: $id}) SET a += $props", {"id": act_id, "props": dict(props)}
    )


async def remaining_records(db: Tx | Database, case_ids: Sequence[str], limit: int) -> list[Any]:
    """Records of these cases not destroyed yet, by case then id."""
    return await _rows(
        db,
        """
        UNWIND $cases AS caseId
        MATCH (r:ArchivedRecord {caseId: caseId}) WHERE r.destroyedAt IS NULL
        OPTIONAL MATCH (r)-[:COPY_OF]->(f:DocumentFile)
        RETURN r.id AS id, r.caseId AS caseId, r.bucket AS bucket, r.key AS key,
               r.versionId AS versionId, f.bucket AS fileBucket, f.objectKey AS fileKey
        ORDER BY r.caseId, r.id LIMIT $limit
        """,
        {"cases": list(case_ids), "limit": limit},
    )


async def destroy_working_copies(
    tx: Tx, record_ids: Sequence[str], act_number: str, at: datetime
) -> list[str]:
    """The document files these records copied: their bytes are gone too; ids marked now."""
    rows = await tx.run(
        """
        UNWIND $ids AS id
        MATCH (:ArchivedRecord {id: id})-[:COPY_OF]->(f:DocumentFile)
        WHERE f.destroyedAt IS NULL
        SET f.destroyedAt = $at, f.destroyedByAct = $act
        RETURN f.id AS id
        """,
        {"ids": list(record_ids), "act": act_number, "at": at},
    )
    return [r["id"] for r in rows]


async def records_destroyed_by(db: Tx | Database, act_id: str) -> int:
    rows = await _rows(
        db,
        "MATCH (r:ArchivedRecord {destroyedByAct: $act}) RETURN count(r) AS n",
        {"act": act_id},
    )
    return int(rows[0]["n"])


async def destroy_emptied_cases(tx: Tx, act_id: str, at: datetime) -> list[str]:
    """Cases of the act with no record left become destroyed; the ids that changed now."""
    rows = await tx.run(
        """
        MATCH (a:DestructionAct {id: $act})-[:DESTROYS]->(c:Case)
        WHERE c.status <> 'destroyed'
          AND NOT EXISTS { MATCH (r:ArchivedRecord {caseId: c.id}) WHERE r.destroyedAt IS NULL }
        SET c.status = 'destroyed', c.destroyedAt = $at, c.destroyedByAct = a.number
        RETURN c.id AS id
        """,
        {"act": act_id, "at": at},
    )
    return [r["id"] for r in rows]
