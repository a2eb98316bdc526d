"""A document's timeline: one ``DocumentEvent`` per step, written in the step's transaction.

Every part calls ``record_step`` for every step it implements, so ``documentTimeline`` shows
the whole way of a document (who, when, acting for whom) without reading the audit trail.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import NotFound


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return str(value)


async def record_step(
    tx: Tx,
    document_id: str,
    step: str,
    principal: Principal,
    details: Mapping[str, Any] | None = None,
) -> None:
    rows = await tx.run(
        """
        MATCH (d:Document {id: $documentId})
        CREATE (e:DocumentEvent {id: $id, documentId: $documentId, at: $at, step: $step,
                                 actor: $actor, actorName: $actorName, actingFor: $actingFor,
                                 details: $details})-[:OF]->(d)
        RETURN e.id AS id
        """,
        {
            "documentId": document_id,
            "id": str(uuid.uuid4()),
            "at": datetime.now(UTC),
            "step": step,
            "actor": principal.subject,
            "actorName": principal.name,
            "actingFor": principal.acting_for,
            "details": (
                json.dumps(dict(details), ensure_ascii=False, default=_json_default, sort_keys=True)
                if details
                else None
            ),
        },
    )
    if not rows:
        raise NotFound(f"Document {document_id} tapılmadı / not found", field="id")
