"""Every Cypher statement of fixity reports, their problems and the audit lease."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from asan.archive.records import repository as records_repo
from asan.core.db import Database, Tx

LEASE: Final = "archive"  # one lease: whole-archive runs never overlap
REPORT_FIELDS: Final = """
    r.id AS id, r.caseId AS caseId, r.trigger AS trigger, r.status AS status,
    r.startedAt AS startedAt, r.startedBy AS startedBy, r.finishedAt AS finishedAt,
    r.checked AS checked, r.ok AS ok, r.mismatched AS mismatched, r.missing AS missing,
    r.overwritten AS overwritten, r.bytes AS bytes, r.seconds AS seconds, r.error AS error
"""
PROBLEM_FIELDS: Final = """
    p.id AS id, p.reportId AS reportId, p.recordId AS recordId, p.caseId AS caseId,
    p.caseIndex AS caseIndex, p.key AS key, p.versionId AS versionId, p.kind AS kind,
    p.expected AS expected, p.actual AS actual, p.at AS at
"""


async def _rows(db: Tx | Database, cypher: str, params: Mapping[str, Any]) -> list[Any]:
    if isinstance(db, Tx):
        return await db.run(cypher, dict(params))
    return await db.read(cypher, dict(params))


# --- the lease -------------------------------------------------------------------------


async def lock_lease(tx: Tx) -> Any:
    """The lease node, write-locked until commit: racing runs serialise here."""
    rows = await tx.run(
        "MERGE (l:FixityLease {name: $name}) SET l.lockedAt = timestamp() "
        "RETURN l.owner AS owner, l.until AS until",
        {"name": LEASE},
    )
    return rows[0]


async def read_lease(db: Tx | Database) -> Any | None:
    rows = await _rows(
        db,
        "MATCH (l:FixityLease {name: $name}) RETURN l.owner AS owner, l.until AS until",
        {"name": LEASE},
    )
    return rows[0] if rows else None


async def take_lease(tx: Tx, owner: str, until: datetime) -> None:
    await tx.run(
        "MATCH (l:FixityLease {name: $name}) SET l.owner = $owner, l.until = $until",
        {"name": LEASE, "owner": owner, "until": until},
    )


async def renew_lease(tx: Tx, owner: str, until: datetime) -> bool:
    """Extend the lease while ``owner`` still holds it; False when it was taken over."""
    rows = await tx.run(
        "MATCH (l:FixityLease {name: $name, owner: $owner}) SET l.until = $until "
        "RETURN count(l) AS n",
        {"name": LEASE, "owner": owner, "until": until},
    )
    return bool(rows and int(rows[0]["n"]))


async def release_lease(tx: Tx, owner: str) -> None:
    await tx.run(
        "MATCH (l:FixityLease {name: $name, owner: $owner}) SET l.owner = null, l.until = null",
        {"name": LEASE, "owner": owner},
    )


# --- reports ---------------------------------------------------------------------------


async def last_whole_started(db: Tx | Database) -> datetime | None:
    """When the newest whole-archive run began (any outcome), None before the first."""
    rows = await _rows(
        db,
        "MATCH (r:FixityReport) WHERE r.caseId IS NULL RETURN max(r.startedAt) AS at",
        {},
    )
    at: Any = rows[0]["at"] if rows else None
    found: datetime | None = at.to_native() if hasattr(at, "to_native") else at
    return found


async def count_to_audit(db: Tx | Database, case_id: str | None) -> int:
    cypher = (
        "MATCH (r:ArchivedRecord) WHERE r.destroyedAt IS NULL RETURN count(r) AS n"
        if case_id is None
        else "MATCH (r:ArchivedRecord {caseId: $case}) WHERE r.destroyedAt IS NULL "
        "RETURN count(r) AS n"
    )
    rows = await _rows(db, cypher, {"case": case_id})
    return int(rows[0]["n"])


async def page_to_audit(
    db: Tx | Database, case_id: str | None, after: Sequence[Any] | None, limit: int
) -> list[Any]:
    """Records not destroyed (all, or one case's) in key order (keyset after ``[key, id]``):
    a page covers a run of keys, whose newest versions one listing per bucket gives
    (``records.repository.page_all`` walks by id, which scatters keys). The ``r.key >=``
    bound lets the index on ``key`` (archive:0031) seek to the page and give its order."""
    match = (
        "MATCH (r:ArchivedRecord) WHERE"
        if case_id is None
        else "MATCH (r:ArchivedRecord {caseId: $case}) WHERE"
    )
    key, record_id = (after[0], after[1]) if after is not None else ("", "")
    return await _rows(
        db,
        f"""
        {match} r.key >= $key AND (r.key > $key OR r.id > $id) AND r.destroyedAt IS NULL
        WITH r ORDER BY r.key, r.id LIMIT $limit
        RETURN {records_repo.FIELDS}
        """,
        {"case": case_id, "key": key, "id": record_id, "limit": limit},
    )


async def create_report(tx: Tx, row: Mapping[str, Any]) -> None:
    await tx.run(
        """
        CREATE (r:FixityReport)
        SET r = $row, r.checked = 0, r.ok = 0, r.mismatched = 0, r.missing = 0,
            r.overwritten = 0, r.bytes = 0
        """,
        {"row": dict(row)},
    )


async def record_batch(
    tx: Tx,
    report_id: str,
    counts: Mapping[str, int],
    problems: Sequence[Mapping[str, Any]],
) -> None:
    """Add one batch's counters to the report and its problems (with their case's index)."""
    await tx.run(
        """
        MATCH (r:FixityReport {id: $id})
        SET r.checked = r.checked + $c.checked, r.ok = r.ok + $c.ok,
            r.mismatched = r.mismatched + $c.mismatched, r.missing = r.missing + $c.missing,
            r.overwritten = r.overwritten + $c.overwritten, r.bytes = r.bytes + $c.bytes
        WITH r
        UNWIND $problems AS row
        OPTIONAL MATCH (c:Case {id: row.caseId})
        CREATE (p:FixityProblem)
        SET p = row, p.caseIndex = c.index
        CREATE (p)-[:FOUND_IN]->(r)
        WITH p
        OPTIONAL MATCH (a:ArchivedRecord {id: p.recordId})
        FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END | CREATE (p)-[:ABOUT]->(a))
        """,
        {"id": report_id, "c": dict(counts), "problems": [dict(p) for p in problems]},
    )


async def finish_report(
    tx: Tx, report_id: str, status: str, at: datetime, seconds: float, error: str | None
) -> None:
    await tx.run(
        "MATCH (r:FixityReport {id: $id}) "
        "SET r.status = $status, r.finishedAt = $at, r.seconds = $seconds, r.error = $error",
        {"id": report_id, "status": status, "at": at, "seconds": seconds, "error": error},
    )


async def abandon(tx: Tx, report_id: str, at: datetime, error: str) -> bool:
    """Mark a run whose process died (its lease ran out) failed; False if it had ended."""
    rows = await tx.run(
        "MATCH (r:FixityReport {id: $id, status: 'running'}) "
        "SET r.status = 'failed', r.finishedAt = $at, r.error = $error RETURN r.id AS id",
        {"id": report_id, "at": at, "error": error},
    )
    return bool(rows)


async def problem_by_id(db: Tx | Database, problem_id: str) -> Any | None:
    rows = await _rows(
        db, f"MATCH (p:FixityProblem {{id: $id}}) RETURN {PROBLEM_FIELDS}", {"id": problem_id}
    )
    return rows[0] if rows else None


async def report_by_id(db: Tx | Database, report_id: str) -> Any | None:
    rows = await _rows(
        db, f"MATCH (r:FixityReport {{id: $id}}) RETURN {REPORT_FIELDS}", {"id": report_id}
    )
    return rows[0] if rows else None


async def page_reports(tx: Tx, after: Sequence[Any] | None, limit: int) -> tuple[list[Any], int]:
    """Newest first (keyset after ``[startedAt ISO, id]``), and how many there are."""
    rows = await tx.run(
        f"""
        MATCH (r:FixityReport)
        WHERE $after IS NULL OR r.startedAt < datetime($after[0])
              OR (r.startedAt = datetime($after[0]) AND r.id < $after[1])
        WITH r ORDER BY r.startedAt DESC, r.id DESC LIMIT $limit
        RETURN {REPORT_FIELDS}
        """,
        {"after": list(after) if after is not None else None, "limit": limit},
    )
    total = await tx.run("MATCH (r:FixityReport) RETURN count(r) AS n", {})
    return rows, int(total[0]["n"])


async def page_problems(
    db: Tx | Database, report_id: str, after: Sequence[Any] | None, limit: int
) -> tuple[list[Any], int]:
    """The report's problems by key, then kind (keyset after ``[key, kind]``)."""
    rows = await _rows(
        db,
        f"""
        MATCH (p:FixityProblem {{reportId: $id}})
        WHERE $after IS NULL OR p.key > $after[0] OR (p.key = $after[0] AND p.kind > $after[1])
        WITH p ORDER BY p.key, p.kind LIMIT $limit
        RETURN {PROBLEM_FIELDS}
        """,
        {"id": report_id, "after": list(after) if after is not None else None, "limit": limit},
    )
    total = await _rows(
        db, "MATCH (p:FixityProblem {reportId: $id}) RETURN count(p) AS n", {"id": report_id}
    )
    return rows, int(total[0]["n"])


async def case_index(tx: Tx, case_id: str) -> str | None:
    rows = await tx.run("MATCH (c:Case {id: $id}) RETURN c.index AS index", {"id": case_id})
    return rows[0]["index"] if rows else None
