"""The change log: what every committed mutation changed, in commit order, without gaps.

It is the outbox of the search index and the source of the integrators' change feed, so it
must hold exactly the committed changes: events are appended inside the mutation's own
transaction (a rollback leaves none), and their sequence numbers come from one
``(:ChangeLogHead {id: 'main', seq})`` node that the append locks until commit. Two mutations
therefore take their numbers in the order they commit, and a rolled-back one returns its
numbers with its rollback, so ``seq`` has no gaps.

Lock order (to avoid deadlocks): a mutation locks ``ChangeLogHead`` before ``AuditHead``;
``asan.auth.pipeline`` appends the change events before the audit event, always.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asan.core.db import Database, Tx
from asan.core.logging import request_id_var
from asan.core.migrations import Migration

HEAD_ID = "main"
OPERATIONS = frozenset({"created", "updated", "status_changed", "deleted"})
READ_LIMIT_MAX = 1000


@dataclass(frozen=True)
class Change:
    """One change event, as a use case reports it."""

    kind: str  # entity kind, e.g. "Service", "StateBody", "OrgUnit", "User"
    id: str  # the entity's stable id or code
    operation: str  # "created" | "updated" | "status_changed" | "deleted"
    fields: tuple[str, ...] = ()  # API field names that changed

    def __post_init__(self) -> None:
        if self.operation not in OPERATIONS:
            raise ValueError(f"unknown change operation {self.operation!r}")


@dataclass(frozen=True)
class ChangeEvent:
    """One committed change, as readers of the log see it."""

    seq: int
    at: datetime
    entity_kind: str
    entity_id: str
    operation: str
    fields: tuple[str, ...]
    actor: str
    action: str
    request_id: str | None


async def _create_head(tx: Tx) -> None:
    await tx.run("MERGE (h:ChangeLogHead {id: $head}) ON CREATE SET h.seq = 0", {"head": HEAD_ID})


MIGRATION = Migration(
    id="core:0002",
    description="change log: events numbered from one head node, unique sequence numbers",
    schema=(
        "CREATE CONSTRAINT change_event_seq IF NOT EXISTS "
        "FOR (e:ChangeEvent) REQUIRE e.seq IS UNIQUE",
        "CREATE CONSTRAINT change_log_head_id IF NOT EXISTS "
        "FOR (h:ChangeLogHead) REQUIRE h.id IS UNIQUE",
        "CREATE INDEX change_event_entity IF NOT EXISTS "
        "FOR (e:ChangeEvent) ON (e.entityKind, e.entityId)",
    ),
    data=_create_head,
)


async def append(
    tx: Tx, changes: Sequence[Change], actor: str, action: str, at: datetime
) -> list[int]:
    """Append ``changes`` in ``tx``, in the given order; returns their sequence numbers.

    The head is written first (``SET h.lockedAt``), which takes its exclusive lock before its
    ``seq`` is read, so concurrent appends cannot read the same number.
    """
    if not changes:
        return []
    rows = [
        {"kind": c.kind, "id": c.id, "operation": c.operation, "fields": list(c.fields)}
        for c in changes
    ]
    params: dict[str, Any] = {
        "head": HEAD_ID,
        "changes": rows,
        "actor": actor,
        "action": action,
        "at": at,
        "request_id": request_id_var.get(),
    }
    cypher = """
        MATCH (h:ChangeLogHead {id: $head})
        SET h.lockedAt = timestamp()
        WITH h, h.seq AS base
        SET h.seq = base + size($changes)
        WITH base
        UNWIND range(0, size($changes) - 1) AS i
        WITH base, i, $changes[i] AS c
        CREATE (e:ChangeEvent {
            seq: base + i + 1, at: $at, entityKind: c.kind, entityId: c.id,
            operation: c.operation, fields: c.fields, actor: $actor, action: $action,
            requestId: $request_id
        })
        RETURN e.seq AS seq ORDER BY seq
        """
    found = await tx.run(cypher, params)
    if not found:
        # the migration creates the head; a graph wiped since gets it back here
        await _create_head(tx)
        found = await tx.run(cypher, params)
    return [int(row["seq"]) for row in found]


def _to_event(row: dict[str, Any]) -> ChangeEvent:
    at = row["at"]
    return ChangeEvent(
        seq=int(row["seq"]),
        at=at.to_native() if hasattr(at, "to_native") else at,
        entity_kind=row["entityKind"],
        entity_id=row["entityId"],
        operation=row["operation"],
        fields=tuple(row["fields"] or ()),
        actor=row["actor"],
        action=row["action"],
        request_id=row["requestId"],
    )


async def read_after(db: Database, after_seq: int, limit: int = 100) -> list[ChangeEvent]:
    """Events with ``seq > after_seq`` in order: a consumer's cursor is the last seq it saw."""
    rows = await db.read(
        """
        MATCH (e:ChangeEvent) WHERE e.seq > $after
        RETURN e.seq AS seq, e.at AS at, e.entityKind AS entityKind, e.entityId AS entityId,
               e.operation AS operation, e.fields AS fields, e.actor AS actor,
               e.action AS action, e.requestId AS requestId
        ORDER BY e.seq LIMIT $limit
        """,
        {"after": after_seq, "limit": max(0, min(limit, READ_LIMIT_MAX))},
    )
    return [_to_event(row) for row in rows]


async def head_seq(db: Database) -> int:
    """The last committed sequence number (0 for an empty log)."""
    rows = await db.read(
        "MATCH (h:ChangeLogHead {id: $head}) RETURN h.seq AS seq", {"head": HEAD_ID}
    )
    return int(rows[0]["seq"]) if rows else 0
