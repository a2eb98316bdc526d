"""Every Cypher statement of the feed and the webhooks (parameterised, nothing else)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from asan.core.changelog import ChangeEvent
from asan.core.db import Database, Tx

_EVENT_FIELDS = """
    e.seq AS seq, e.at AS at, e.entityKind AS entityKind, e.entityId AS entityId,
    e.operation AS operation, e.fields AS fields, e.actor AS actor, e.action AS action,
    e.requestId AS requestId
"""


def _event(row: dict[str, Any]) -> ChangeEvent:
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


async def events_between(
    db: Database, after: int, upto: int, kinds: Sequence[str] | None, limit: int
) -> list[ChangeEvent]:
    """Events with ``after < seq <= upto`` of ``kinds`` (None: all), in order (seq index)."""
    rows = await db.read(
        "MATCH (e:ChangeEvent) WHERE e.seq > $after AND e.seq <= $upto "
        "AND ($kinds IS NULL OR e.entityKind IN $kinds) "
        f"RETURN {_EVENT_FIELDS} ORDER BY e.seq LIMIT $limit",
        {"after": after, "upto": upto, "kinds": kinds, "limit": limit},
    )
    return [_event(r) for r in rows]


async def service_states(db: Database, codes: Sequence[str]) -> dict[str, tuple[str, str | None]]:
    """Current status and provider of each existing service among ``codes``."""
    rows = await db.read(
        "UNWIND $codes AS code MATCH (s:Service {code: code}) "
        "OPTIONAL MATCH (s)-[:PROVIDED_BY]->(b:StateBody) "
        "RETURN s.code AS code, s.status AS status, b.code AS body",
        {"codes": list(codes)},
    )
    return {r["code"]: (r["status"], r["body"]) for r in rows}


async def request_bodies(db: Database, ids: Sequence[str]) -> dict[str, str | None]:
    """The submitting body of each registration request among ``ids``."""
    rows = await db.read(
        "UNWIND $ids AS id MATCH (r:RegistrationRequest {id: id}) "
        "OPTIONAL MATCH (r)-[:SUBMITTED_BY]->(b:StateBody) RETURN r.id AS id, b.code AS body",
        {"ids": list(ids)},
    )
    return {r["id"]: r["body"] for r in rows}


async def webhook_bodies(db: Database, ids: Sequence[str]) -> dict[str, str | None]:
    rows = await db.read(
        "UNWIND $ids AS id MATCH (w:Webhook {id: id}) RETURN w.id AS id, w.stateBody AS body",
        {"ids": list(ids)},
    )
    return {r["id"]: r["body"] for r in rows}


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
