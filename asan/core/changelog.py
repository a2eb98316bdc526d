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
from datetime import UTC, datetime, timedelta, timezone, tzinfo
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


# One event as a list, not a record: the page comes back as ONE record holding a list of these.
# The driver's per-record and per-DateTime costs (its pure-Python temporal hydration) were most
# of a feed page's time; ``at`` travels as its wall-clock fields and UTC offset instead (not
# ``epochSeconds``: Neo4j truncates that toward zero, wrong by a second before 1970).
EVENT_ROW = (
    "[e.seq, [e.at.year, e.at.month, e.at.day, e.at.hour, e.at.minute, e.at.second, "
    "e.at.nanosecond, e.at.offsetSeconds], e.entityKind, e.entityId, e.operation, e.fields, "
    "e.actor, e.action, e.requestId]"
)
_ZONES: dict[int, tzinfo] = {0: UTC}


def native_at(parts: Sequence[int]) -> datetime:
    """What the driver's ``DateTime.to_native()`` gives (the stored wall clock and offset,
    microseconds truncated), from ``EVENT_ROW``'s time fields, without the driver's types."""
    year, month, day, hour, minute, second, nanosecond, offset = parts
    zone = _ZONES.get(offset)
    if zone is None:
        zone = _ZONES.setdefault(offset, timezone(timedelta(seconds=offset)))
    return datetime(year, month, day, hour, minute, second, nanosecond // 1000, zone)


def event_of(row: Sequence[Any]) -> ChangeEvent:
    """A ``ChangeEvent`` from one ``EVENT_ROW`` list."""
    seq, at, kind, entity_id, operation, fields, actor, action, request_id = row
    return ChangeEvent(
        seq=seq,
        at=native_at(at),
        entity_kind=kind,
        entity_id=entity_id,
        operation=operation,
        fields=tuple(fields or ()),
        actor=actor,
        action=action,
        request_id=request_id,
    )


async def read_after(db: Database, after_seq: int, limit: int = 100) -> list[ChangeEvent]:
    """Events with ``seq > after_seq`` in order: a consumer's cursor is the last seq it saw.

    An index seek on the unique ``seq`` in index order (no sort), the page as one record.
    """
    rows = await db.read(
        "MATCH (e:ChangeEvent) WHERE e.seq > $after "
        "WITH e ORDER BY e.seq LIMIT $limit "
        f"RETURN collect({EVENT_ROW}) AS rows",
        {"after": after_seq, "limit": max(0, min(limit, READ_LIMIT_MAX))},
    )
    events = [event_of(row) for row in rows[0]["rows"]] if rows else []
    events.sort(key=lambda e: e.seq)  # collect keeps the order in practice; seq decides
    return events


async def head_seq(db: Database) -> int:
    """The last committed sequence number (0 for an empty log)."""
    rows = await db.read(
        "MATCH (h:ChangeLogHead {id: $head}) RETURN h.seq AS seq", {"head": HEAD_ID}
    )
    return int(rows[0]["seq"]) if rows else 0
