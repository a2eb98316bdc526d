"""The audit trail: every mutation and every refusal appends one event to a hash chain.

Events are appended in the same transaction as the change they describe, so a change without
its event cannot commit. Each event stores ``prevHash`` and ``hash = sha256(canonical JSON of
its content + prevHash)``; one ``(:AuditHead)`` node holds the last sequence number and hash.
Appending first writes the head (an exclusive lock held until the transaction ends), so appends
are serialised and the chain has neither forks nor gaps. Nothing updates or deletes events;
``asan audit verify`` recomputes the chain and names the first broken link.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from asan.auth.policy import Resource, denial_reason, refusal
from asan.auth.principal import Principal
from asan.core.db import Database, Tx
from asan.core.logging import request_id_var
from asan.core.text import storable_key

GENESIS_HASH = "0" * 64
HEAD_ID = "main"


def canonical_json(content: dict[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(content: dict[str, Any], prev_hash: str) -> str:
    return hashlib.sha256((canonical_json(content) + prev_hash).encode("utf-8")).hexdigest()


def timestamp(moment: datetime | None = None) -> str:
    """Fixed-width UTC text, so string order is time order and the hash input is stable."""
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# The fields covered by the hash, in the names stored on the node.
CONTENT_FIELDS = (
    "seq",
    "id",
    "at",
    "actor",
    "actorKind",
    "actorName",
    "actingFor",
    "action",
    "targetKind",
    "targetId",
    "outcome",
    "source",
    "requestId",
    "details",
)


MAX_TARGET_CHARS = 200  # a refused stranger's id can be any length or text


async def record(
    tx: Tx,
    principal: Principal,
    action: str,
    resource: Resource,
    outcome: str = "allowed",
    details: dict[str, Any] | None = None,
) -> str:
    """Append one event in ``tx``; returns its hash."""
    # MATCH + SET takes only the head's node lock (MERGE would add unique-index entry locks);
    # the migration creates the head, MERGE is the fallback for a graph wiped since.
    head = await tx.run(
        """
        MATCH (h:AuditHead {id: $head})
        SET h.lockedAt = timestamp()
        RETURN h.seq AS seq, h.hash AS hash
        """,
        {"head": HEAD_ID},
    )
    if not head:
        head = await tx.run(
            """
            MERGE (h:AuditHead {id: $head})
              ON CREATE SET h.seq = 0, h.hash = $genesis
            SET h.lockedAt = timestamp()
            RETURN h.seq AS seq, h.hash AS hash
            """,
            {"head": HEAD_ID, "genesis": GENESIS_HASH},
        )
    prev_hash: str = head[0]["hash"]
    content: dict[str, Any] = {
        "seq": int(head[0]["seq"]) + 1,
        "id": uuid.uuid4().hex,
        "at": timestamp(),
        "actor": principal.subject,
        "actorKind": principal.kind,
        "actorName": principal.name,
        "actingFor": principal.acting_for,
        "action": action,
        "targetKind": resource.kind,
        "targetId": None
        if resource.id is None
        else storable_key(resource.id, MAX_TARGET_CHARS, keep=64),
        "outcome": outcome,
        "source": principal.source,
        "requestId": request_id_var.get(),
        "details": json.dumps(details or {}, ensure_ascii=False, sort_keys=True, default=str),
    }
    digest = event_hash(content, prev_hash)
    await tx.run(
        """
        MATCH (h:AuditHead {id: $head})
        CREATE (e:AuditEvent)
        SET e = $content, e.prevHash = $prev, e.hash = $hash
        SET h.seq = $content.seq, h.hash = $hash
        """,
        {"head": HEAD_ID, "content": content, "prev": prev_hash, "hash": digest},
    )
    return digest


async def record_refusal(
    db: Database, principal: Principal, action: str, resource: Resource, reason: str
) -> None:
    """Refusals are audited in their own transaction: the refused change never ran."""
    async with db.transaction() as tx:
        await record(tx, principal, action, resource, outcome="refused", details={"reason": reason})


async def authorize(db: Database, principal: Principal, action: str, resource: Resource) -> None:
    """``policy.authorize`` that also audits a refusal, for audited reads (the audit trail's
    own queries). Mutations do not call this: ``asan.auth.pipeline.run_mutation`` authorises
    inside their unit of work and audits refusals in a retried transaction."""
    reason = denial_reason(principal, action, resource)
    if reason is None:
        return
    await record_refusal(db, principal, action, resource, reason)
    raise refusal(principal, action, resource)
