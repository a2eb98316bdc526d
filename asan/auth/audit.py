"""The audit trail: every mutation and every refusal appends one event.

Events are appended in the same transaction as the change they describe, so a change without
its event cannot commit. (The auth issue turns this into a hash-chained, verifiable log.)
"""

from __future__ import annotations

import json
from typing import Any

from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.db import Database, Tx


async def record(
    tx: Tx,
    principal: Principal,
    action: str,
    resource: Resource,
    outcome: str = "allowed",
    details: dict[str, Any] | None = None,
) -> None:
    await tx.run(
        """
        CREATE (e:AuditEvent {
            id: randomUUID(), at: datetime(), actor: $actor, actorKind: $kind,
            actingFor: $acting_for, action: $action, targetKind: $target_kind,
            targetId: $target_id, outcome: $outcome, source: $source, details: $details
        })
        """,
        {
            "actor": principal.subject,
            "kind": principal.kind,
            "acting_for": principal.acting_for,
            "action": action,
            "target_kind": resource.kind,
            "target_id": resource.id,
            "outcome": outcome,
            "source": principal.source,
            "details": json.dumps(details or {}, ensure_ascii=False, default=str),
        },
    )


async def record_refusal(
    db: Database, principal: Principal, action: str, resource: Resource, reason: str
) -> None:
    """Refusals are audited in their own transaction: the refused change never ran."""
    async with db.transaction() as tx:
        await record(tx, principal, action, resource, outcome="refused", details={"reason": reason})
