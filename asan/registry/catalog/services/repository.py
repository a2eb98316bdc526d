"""Cypher that writes services: whole content with every relationship, and status steps."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from asan.core.db import Tx
from asan.registry.catalog.models import (
    ServiceWrite,
)
from asan.registry.catalog.services.rows import (
    _service_row,
)


async def upsert_services(
    tx: Tx, writes: Sequence[ServiceWrite], *, actor: str, at: datetime
) -> None:
    """Write whole services (properties + every relationship) and their version records.

    Relationships are replaced, not merged: the content is the service's whole truth. A write
    with ``changes is None`` changed nothing and records no version. A write with
    ``status_from is None`` is a creation and uses CREATE, so two concurrent creations of one
    code cannot both succeed: the unique constraint fails the later one (``ConstraintError``).
    Referenced bodies, systems, centres, buses and categories must exist
    (``missing_references`` first). Documents, outputs and legal acts are shared by every body's
    services: a code that exists is only linked (its names are never set from a service write,
    see ``reference_repo``); a new code is created owned by the service's provider.
    """
    if not writes:
        return
    await tx.run(
        """
        UNWIND $rows AS r
        CALL (r) {
            WITH r WHERE r.statusFrom IS NULL
            CREATE (s:Service {code: r.code, createdAt: $at})
            RETURN s
          UNION
            WITH r WHERE r.statusFrom IS NOT NULL
            MATCH (s:Service {code: r.code})
            RETURN s
        }
        SET s.nameAz = r.nameAz, s.nameEn = r.nameEn, s.nameRu = r.nameRu,
            s.nameFold = r.nameFold, s.nameSortKey = r.nameSortKey,
            s.searchText = r.searchText, s.descriptionAz = r.descriptionAz,
            s.descriptionEn = r.descriptionEn, s.descriptionRu = r.descriptionRu,
            s.processingDays = r.processingDays, s.feeAmount = r.feeAmount,
            s.feeExemptions = r.feeExemptions, s.onlineUrl = r.onlineUrl,
            s.status = r.status, s.version = r.version,
            s.updatedAt = CASE WHEN r.changes IS NULL THEN s.updatedAt ELSE $at END
        SET s += r.contact
        WITH s, r
        CALL (s) {
            MATCH (s)-[old:PROVIDED_BY|HAS_LEGAL_BASIS|REQUIRES|PRODUCES|AVAILABLE_VIA|OFFERED_AT
                         |OFFERED_ON|DEPENDS_ON|IN_CATEGORY]->()
            DELETE old
        }
        CALL (s, r) {
            MATCH (b:StateBody {code: r.provider})
            CREATE (s)-[:PROVIDED_BY]->(b)
        }
        CALL (s, r) {
            UNWIND r.legal AS l
            MERGE (a:LegalAct {code: l.code})
            ON CREATE SET a.title = l.title, a.owner = r.provider
            CREATE (s)-[:HAS_LEGAL_BASIS {articles: l.articles}]->(a)
        }
        CALL (s, r) {
            UNWIND r.requirements AS q
            MERGE (e:Evidence {code: q.code})
            ON CREATE SET e.nameAz = q.nameAz, e.nameEn = q.nameEn, e.nameRu = q.nameRu,
                          e.owner = r.provider
            CREATE (s)-[:REQUIRES {condition: q.condition, position: q.position}]->(e)
        }
        CALL (s, r) {
            UNWIND r.outputs AS o
            MERGE (x:Output {code: o.code})
            ON CREATE SET x.nameAz = o.nameAz, x.nameEn = o.nameEn, x.nameRu = o.nameRu,
                          x.owner = r.provider
            CREATE (s)-[:PRODUCES]->(x)
        }
        CALL (s, r) {
            UNWIND r.channels AS code
            MATCH (c:Channel {code: code})
            CREATE (s)-[:AVAILABLE_VIA]->(c)
        }
        CALL (s, r) {
            UNWIND r.centres AS code
            MATCH (c:AsanCentre {code: code})
            CREATE (s)-[:OFFERED_AT]->(c)
        }
        CALL (s, r) {
            UNWIND r.buses AS code
            MATCH (m:MobileBus {code: code})
            CREATE (s)-[:OFFERED_ON]->(m)
        }
        CALL (s, r) {
            UNWIND r.systems AS code
            MATCH (x:InformationSystem {code: code})
            CREATE (s)-[:DEPENDS_ON]->(x)
        }
        CALL (s, r) {
            UNWIND r.categories AS code
            MATCH (c:Category {code: code})
            CREATE (s)-[:IN_CATEGORY]->(c)
        }
        CALL (s, r) {
            WITH s, r WHERE r.changes IS NOT NULL
            CREATE (s)-[:HAS_VERSION]->(:ServiceVersion {
                number: r.version, at: $at, actor: $actor, statusFrom: r.statusFrom,
                statusTo: r.status, changes: r.changes
            })
        }
        """,
        {"rows": [_service_row(w) for w in writes], "actor": actor, "at": at},
    )


async def set_service_status(
    tx: Tx,
    code: str,
    *,
    status_from: str,
    status_to: str,
    version: int,
    actor: str,
    at: datetime,
    note: str | None = None,
) -> None:
    """Move a service to ``status_to`` and record the step as its next version."""
    changes: dict[str, dict[str, str | None]] = {"status": {"from": status_from, "to": status_to}}
    if note:
        changes["note"] = {"from": None, "to": note}
    await tx.run(
        """
        MATCH (s:Service {code: $code})
        SET s.status = $to, s.version = $version, s.updatedAt = $at
        CREATE (s)-[:HAS_VERSION]->(:ServiceVersion {
            number: $version, at: $at, actor: $actor, statusFrom: $from, statusTo: $to,
            changes: $changes
        })
        """,
        {
            "code": code,
            "from": status_from,
            "to": status_to,
            "version": version,
            "actor": actor,
            "at": at,
            "changes": json.dumps(changes, ensure_ascii=False),
        },
    )
