"""Cypher of the CPSV-AP export: the published registry, read a page at a time.

Reads see only what anyone may see: services with status ``published`` and the bodies, places
and shared reference entries they name. Each read is bounded (keyset pages of ``limit`` rows),
so an export of any size streams with bounded memory.
"""

from __future__ import annotations

from typing import Any, Final, LiteralString

from asan.core.db import Database
from asan.registry.catalog.flows import PUBLISHED

Row = dict[str, Any]


def _native(value: Any) -> Any:
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


def _plain(row: Any) -> Any:
    """Driver values (maps, lists, neo4j.time) as plain Python values."""
    if isinstance(row, dict):
        return {k: _plain(v) for k, v in row.items()}
    if isinstance(row, list):
        return [_plain(v) for v in row]
    return _native(row)


async def state_bodies(db: Database, *, after: str, limit: int) -> list[Row]:
    rows = await db.read(
        """
        MATCH (b:StateBody) WHERE b.code > $after
        WITH b ORDER BY b.code LIMIT $limit
        RETURN b {.code, .nameAz, .nameEn, .nameRu, .kind, .contactEmail, .contactTelephone,
                  .contactHours, .contactUrl,
                  parent: [(b)-[:PART_OF]->(p:StateBody) | p.code][0]} AS row
        """,
        {"after": after, "limit": limit},
    )
    return [_plain(r["row"]) for r in rows]


async def published_services(db: Database, *, after: str, limit: int) -> list[Row]:
    """One page of published services with everything their CPSV-AP description names."""
    rows = await db.read(
        """
        MATCH (s:Service {status: $published}) WHERE s.code > $after
        WITH s ORDER BY s.code LIMIT $limit
        RETURN s {.code, .nameAz, .nameEn, .nameRu, .descriptionAz, .descriptionEn,
                  .descriptionRu, .status, .processingDays, .feeAmount, .feeExemptions,
                  .onlineUrl, .contactEmail, .contactTelephone, .contactHours, .contactUrl,
                  .updatedAt,
                  provider: [(s)-[:PROVIDED_BY]->(b:StateBody) | b.code][0],
                  channels: [(s)-[:AVAILABLE_VIA]->(c:Channel) | c.code],
                  centres: [(s)-[:OFFERED_AT]->(c:AsanCentre) | c.code],
                  buses: [(s)-[:OFFERED_ON]->(m:MobileBus) | m.code],
                  requirements: [(s)-[r:REQUIRES]->(e:Evidence)
                                 | {code: e.code, condition: r.condition,
                                    position: r.position}],
                  outputs: [(s)-[:PRODUCES]->(o:Output) | o.code],
                  legal: [(s)-[l:HAS_LEGAL_BASIS]->(a:LegalAct)
                          | {code: a.code, uri: a.uri, articles: l.articles}],
                  categories: [(s)-[:IN_CATEGORY]->(c:Category) | {code: c.code, kind: c.kind}]
                 } AS row
        """,
        {"published": PUBLISHED, "after": after, "limit": limit},
    )
    return [_plain(r["row"]) for r in rows]


async def referenced_entries(db: Database, label: str, *, after: str, limit: int) -> list[Row]:
    """A page of the shared entries (documents, outputs, legal acts, categories) that at
    least one published service names; the rest is not part of the public registry."""
    query = _REFERENCED[label]
    rows = await db.read(query, {"published": PUBLISHED, "after": after, "limit": limit})
    return [_plain(r["row"]) for r in rows]


_REFERENCED: Final[dict[str, LiteralString]] = {
    "Evidence": """
        MATCH (e:Evidence) WHERE e.code > $after
          AND EXISTS { (:Service {status: $published})-[:REQUIRES]->(e) }
        WITH e ORDER BY e.code LIMIT $limit
        RETURN e {.code, .nameAz, .nameEn, .nameRu} AS row
        """,
    "Output": """
        MATCH (e:Output) WHERE e.code > $after
          AND EXISTS { (:Service {status: $published})-[:PRODUCES]->(e) }
        WITH e ORDER BY e.code LIMIT $limit
        RETURN e {.code, .nameAz, .nameEn, .nameRu} AS row
        """,
    "LegalAct": """
        MATCH (e:LegalAct) WHERE e.code > $after
          AND EXISTS { (:Service {status: $published})-[:HAS_LEGAL_BASIS]->(e) }
        WITH e ORDER BY e.code LIMIT $limit
        RETURN e {.code, .title, .uri, .inForceFrom, .inForceUntil} AS row
        """,
    "Category": """
        MATCH (e:Category) WHERE e.code > $after
          AND EXISTS { (:Service {status: $published})-[:IN_CATEGORY]->(e) }
        WITH e ORDER BY e.code LIMIT $limit
        RETURN e {.code, .nameAz, .nameEn, .nameRu, .kind,
                  services: [(s:Service {status: $published})-[:IN_CATEGORY]->(e)
                             | s.code]} AS row
        """,
    "AsanCentre": """
        MATCH (e:AsanCentre) WHERE e.code > $after
        WITH e ORDER BY e.code LIMIT $limit
        RETURN e {.code, .name, .region, .address, .hours} AS row
        """,
    "MobileBus": """
        MATCH (e:MobileBus) WHERE e.code > $after
        WITH e ORDER BY e.code LIMIT $limit
        RETURN e {.code, .name,
                  stops: [(e)-[v:STOPS_AT]->(p:BusStop)
                          | {weekday: v.weekday, startsAt: v.startsAt, endsAt: v.endsAt,
                             name: p.name, region: p.region}]} AS row
        """,
}
