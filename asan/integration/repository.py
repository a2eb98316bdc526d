"""Every Cypher statement of the feed and the webhooks (parameterised, nothing else)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asan.core.changelog import EVENT_ROW, HEAD_ID, ChangeEvent, event_of
from asan.core.db import Database, Tx


@dataclass(frozen=True)
class LoggedEvent:
    """A log entry with what the feed judges it by: the entity's current state, if it exists.

    ``state`` is ``(status, provider)`` for a service, ``(None, body)`` for a registration
    request or webhook, ``(method, addressee body)`` for a document delivery, None when the
    entity does not exist (or the kind has no state).
    """

    event: ChangeEvent
    state: tuple[str | None, str | None] | None


@dataclass(frozen=True)
class Batch:
    events: list[LoggedEvent]
    head: int  # the log's head the batch was bounded by


# Each event with the state its kind needs, in the same query: a service's status and
# provider, a request's submitting body, a webhook's body (index seeks on code / id).
_STATE = """
    CASE e.entityKind
      WHEN 'Service' THEN COLLECT { MATCH (s:Service {code: e.entityId})
        RETURN [s.status, [(s)-[:PROVIDED_BY]->(b:StateBody) | b.code][0]] LIMIT 1 }[0]
      WHEN 'RegistrationRequest' THEN COLLECT { MATCH (r:RegistrationRequest {id: e.entityId})
        RETURN [null, [(r)-[:SUBMITTED_BY]->(b:StateBody) | b.code][0]] LIMIT 1 }[0]
      WHEN 'Webhook' THEN COLLECT { MATCH (w:Webhook {id: e.entityId})
        RETURN [null, w.stateBody] LIMIT 1 }[0]
      WHEN 'DocumentDelivery' THEN COLLECT { MATCH (d:DispatchEntry {id: e.entityId})
        RETURN [d.method, d.stateBody] LIMIT 1 }[0]
    END
"""


async def events_between(
    db: Database,
    after: int,
    window: int,
    kinds: Sequence[str] | None,
    limit: int,
    head: int | None,
) -> Batch:
    """Up to ``limit`` events with ``after < seq <= min(head, after + window)`` of ``kinds``
    (None: all), in order, each with its entity's state; ``head`` None reads it in the same
    query. One round trip, one record: an index seek on ``seq`` in index order, no sort."""
    rows = await db.read(
        "OPTIONAL MATCH (h:ChangeLogHead {id: $head_id}) "
        "WITH coalesce($head, h.seq, 0) AS top "
        "CALL (top) { "
        "  MATCH (e:ChangeEvent) WHERE e.seq > $after AND e.seq <= $after + $window "
        "    AND e.seq <= top AND ($kinds IS NULL OR e.entityKind IN $kinds) "
        "  WITH e ORDER BY e.seq LIMIT $limit "
        f"  RETURN collect([{EVENT_ROW}, {_STATE}]) AS rows "
        "} RETURN top, rows",
        {
            "head_id": HEAD_ID,
            "head": head,
            "after": after,
            "window": window,
            "kinds": kinds,
            "limit": limit,
        },
    )
    top, found = int(rows[0]["top"]), rows[0]["rows"]
    events = [
        LoggedEvent(event_of(row), None if state is None else (state[0], state[1]))
        for row, state in found
    ]
    events.sort(key=lambda x: x.event.seq)  # collect keeps the order in practice; seq decides
    return Batch(events, top)


# --- webhooks ------------------------------------------------------------------------------

WEBHOOK_FIELDS = """
    w.id AS id, w.stateBody AS stateBody, w.url AS url, w.kinds AS kinds, w.active AS active,
    w.secret AS secret, w.cursor AS cursor, w.createdAt AS createdAt,
    w.lastAttemptAt AS lastAttemptAt, w.lastDeliveryAt AS lastDeliveryAt,
    w.lastStatus AS lastStatus, w.lastError AS lastError,
    w.consecutiveFailures AS consecutiveFailures, w.nextAttemptAt AS nextAttemptAt,
    w.delivered AS delivered
"""


async def body_exists(tx: Tx, code: str) -> bool:
    return bool(await tx.run("MATCH (b:StateBody {code: $code}) RETURN 1 AS one", {"code": code}))


async def create_webhook(tx: Tx, row: dict[str, Any]) -> None:
    await tx.run(
        """
        MATCH (b:StateBody {code: $row.stateBody})
        CREATE (w:Webhook {id: $row.id, stateBody: $row.stateBody, url: $row.url,
                kinds: $row.kinds, active: true, secret: $row.secret, cursor: $row.cursor,
                createdAt: $row.at, createdBy: $row.actor, consecutiveFailures: 0,
                delivered: 0})-[:FOR_BODY]->(b)
        """,
        {"row": row},
    )


async def webhook_in_tx(tx: Tx, webhook_id: str) -> dict[str, Any] | None:
    rows = await tx.run(
        f"MATCH (w:Webhook {{id: $id}}) RETURN {WEBHOOK_FIELDS}", {"id": webhook_id}
    )
    return rows[0] if rows else None


async def update_webhook(tx: Tx, webhook_id: str, values: dict[str, Any]) -> None:
    await tx.run(
        "MATCH (w:Webhook {id: $id}) SET w += $values", {"id": webhook_id, "values": values}
    )


async def delete_webhook(tx: Tx, webhook_id: str) -> None:
    await tx.run("MATCH (w:Webhook {id: $id}) DETACH DELETE w", {"id": webhook_id})


async def webhooks(
    db: Database, body: str | None, ids: Sequence[str] | None
) -> list[dict[str, Any]]:
    """Webhooks of ``body`` (None: every body), optionally only ``ids``, oldest first."""
    return await db.read(
        "MATCH (w:Webhook) WHERE ($body IS NULL OR w.stateBody = $body) "
        "AND ($ids IS NULL OR w.id IN $ids) "
        f"RETURN {WEBHOOK_FIELDS} ORDER BY w.createdAt, w.id LIMIT 200",
        {"body": body, "ids": list(ids) if ids is not None else None},
    )


async def due_webhooks(db: Database, now: datetime, head: int) -> list[str]:
    """Active webhooks behind the head whose backoff has passed and that no worker leases."""
    rows = await db.read(
        """
        MATCH (w:Webhook) WHERE w.active AND w.cursor < $head
          AND (w.nextAttemptAt IS NULL OR w.nextAttemptAt <= $now)
          AND (w.leaseUntil IS NULL OR w.leaseUntil < $now)
        RETURN w.id AS id ORDER BY w.cursor LIMIT 100
        """,
        {"now": now, "head": head},
    )
    return [r["id"] for r in rows]


async def acquire_lease(
    db: Database, webhook_id: str, owner: str, now: datetime, until: datetime
) -> dict[str, Any] | None:
    """Take the webhook's delivery lease unless another worker holds a live one.

    The write locks the node, so of two workers racing only one sees a free lease.
    """
    rows = await db.write(
        f"""
        MATCH (w:Webhook {{id: $id}}) WHERE w.active
        SET w.lockedAt = $now
        WITH w WHERE w.leaseUntil IS NULL OR w.leaseUntil < $now OR w.leaseOwner = $owner
        SET w.leaseOwner = $owner, w.leaseUntil = $until
        RETURN {WEBHOOK_FIELDS}
        """,
        {"id": webhook_id, "owner": owner, "now": now, "until": until},
    )
    return rows[0] if rows else None


async def record_attempt(
    db: Database,
    webhook_id: str,
    owner: str,
    values: dict[str, Any],
    delivered: int,
    lease_until: datetime | None,
) -> bool:
    """Write a delivery's outcome only while ``owner`` holds the lease; ``lease_until`` None
    releases it, a time extends it (a long catch-up keeps its subscriber)."""
    rows = await db.write(
        """
        MATCH (w:Webhook {id: $id}) WHERE w.leaseOwner = $owner
        SET w += $values, w.delivered = coalesce(w.delivered, 0) + $delivered,
            w.leaseUntil = $until,
            w.leaseOwner = CASE WHEN $until IS NULL THEN null ELSE $owner END
        RETURN w.id AS id
        """,
        {
            "id": webhook_id,
            "owner": owner,
            "values": values,
            "delivered": delivered,
            "until": lease_until,
        },
    )
    return bool(rows)


# --- document deliveries (asan/edms/dispatch) ------------------------------------------------


async def delivered_documents(db: Database, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """What a delivery event carries to the addressee's webhook: the document's registration
    and the dispatched file's hash (the file itself is fetched with the body's token)."""
    rows = await db.read(
        """
        MATCH (d:DispatchEntry) WHERE d.id IN $ids AND d.method = 'system'
        OPTIONAL MATCH (doc:Document {id: d.documentId})
        OPTIONAL MATCH (f:DocumentFile {id: d.fileId})
        RETURN d.id AS id, d.status AS status, d.sentAt AS sentAt, doc.id AS documentId,
               doc.kind AS kind, doc.regNumber AS regNumber, doc.regDate AS regDate,
               doc.subject AS subject, f.filename AS filename, f.contentType AS contentType,
               f.size AS size, d.sha256 AS sha256
        """,
        {"ids": list(ids)},
    )
    return {str(r["id"]): dict(r) for r in rows}
