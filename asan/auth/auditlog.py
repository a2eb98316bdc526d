"""Reading the audit trail: chain verification and the filtered listing auditors use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from asan.auth.audit import CONTENT_FIELDS, GENESIS_HASH, HEAD_ID, event_hash
from asan.core.db import Database

VERIFY_BATCH = 2000


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_at: int | None = None  # sequence number of the first broken link
    reason: str | None = None

    def line(self) -> str:
        if self.ok:
            return f"audit chain intact: {self.checked} events"
        return (
            f"audit chain broken at event {self.broken_at}: {self.reason} ({self.checked} checked)"
        )


async def verify_chain(db: Database) -> ChainReport:
    """Recompute every hash in sequence order; the first mismatch, gap or fork is reported."""
    prev_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    while True:
        rows = await db.read(
            """
            MATCH (e:AuditEvent) WHERE e.seq >= $from
            RETURN e {.*} AS e ORDER BY e.seq LIMIT $limit
            """,
            {"from": expected_seq, "limit": VERIFY_BATCH},
        )
        for row in rows:
            event: dict[str, Any] = row["e"]
            seq = event.get("seq")
            if seq != expected_seq:
                return ChainReport(False, checked, expected_seq, f"event {expected_seq} is missing")
            if event.get("prevHash") != prev_hash:
                return ChainReport(
                    False, checked, seq, "prevHash does not match the previous event"
                )
            content = {name: event.get(name) for name in CONTENT_FIELDS}
            if event_hash(content, prev_hash) != event.get("hash"):
                return ChainReport(False, checked, seq, "content does not match its hash")
            prev_hash, expected_seq, checked = event["hash"], expected_seq + 1, checked + 1
        if len(rows) < VERIFY_BATCH:
            break
    head = await db.read(
        "MATCH (h:AuditHead {id: $id}) RETURN h.seq AS seq, h.hash AS hash", {"id": HEAD_ID}
    )
    count = await db.read("MATCH (e:AuditEvent) RETURN count(e) AS n")
    if count[0]["n"] != checked:
        return ChainReport(False, checked, expected_seq, "events outside the sequence exist")
    if head and (head[0]["seq"] != checked or head[0]["hash"] != prev_hash):
        return ChainReport(
            False, checked, checked + 1, "head does not match the last event (events removed)"
        )
    return ChainReport(True, checked)


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None  # exact action or a prefix ending in "."
    outcome: str | None = None
    target_kind: str | None = None
    target_id: str | None = None
    since: str | None = None  # ISO timestamps, compared as fixed-width UTC text
    until: str | None = None

    def params(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "action": self.action,
            "outcome": self.outcome,
            "target_kind": self.target_kind,
            "target_id": self.target_id,
            "since": self.since,
            "until": self.until,
        }


_WHERE = """
    WHERE ($actor IS NULL OR e.actor = $actor OR e.actingFor = $actor)
      AND ($action IS NULL OR e.action = $action
           OR ($action ENDS WITH '.' AND e.action STARTS WITH $action))
      AND ($outcome IS NULL OR e.outcome = $outcome)
      AND ($target_kind IS NULL OR e.targetKind = $target_kind)
      AND ($target_id IS NULL OR e.targetId = $target_id)
      AND ($since IS NULL OR e.at >= $since)
      AND ($until IS NULL OR e.at < $until)
"""


async def search(
    db: Database, where: AuditFilter, before_seq: int | None, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """Newest first, keyset-paged by sequence number; returns rows and the total matching."""
    params = {**where.params(), "before": before_seq, "limit": limit}
    rows = await db.read(
        "MATCH (e:AuditEvent)"
        + _WHERE
        + """
      AND ($before IS NULL OR e.seq < $before)
    RETURN e {.*} AS e ORDER BY e.seq DESC LIMIT $limit
    """,
        params,
    )
    total = await db.read("MATCH (e:AuditEvent)" + _WHERE + " RETURN count(e) AS n", params)
    return [row["e"] for row in rows], int(total[0]["n"])
