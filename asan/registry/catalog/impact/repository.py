"""Cypher of what depends on what: the impact of a system, dependency paths, coverage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from asan.registry.catalog.models import (
    CHANNELS,
    ChannelCount,
    Coverage,
    Impact,
    ImpactedService,
    PathStep,
    Visibility,
)
from asan.registry.catalog.places.repository import (
    _centre,
)
from asan.registry.catalog.repo_common import (
    Query,
    _run,
    _vis,
)
from asan.registry.catalog.services.rows import (
    _SERVICE_TIMES,
    _service,
)
from asan.registry.catalog.systems.repository import (
    _system,
)

# ---------------------------------------------------------------------- impact and dependencies


async def impact(
    q: Query,
    system: str,
    vis: Visibility,
    *,
    limit: int = 101,
    after: Sequence[Any] | None = None,
) -> Impact | None:
    """Everything that stops if ``system`` stops, in one query.

    A service is impacted when it depends on the system directly or on any system that
    consumes its data through a chain of data-exchange links; ``hops`` is the shortest such
    chain. One breadth-first search from the system finds every such system with its distance
    (enumerating paths instead costs seconds on a large graph). A core system can stop
    thousands of services, so services come a page at a time (keyset on [hops,
    nameSortKey, code]) with their total; the centres are those offering any impacted service.
    """
    rows = await _run(
        q,
        """
        MATCH (x:InformationSystem {code: $code})
        CALL (x) {
            MATCH p = SHORTEST 1 (x)<-[:CONSUMES_DATA_FROM]-*(sys:InformationSystem)
            WITH sys, length(p) AS distance
            MATCH (s:Service)-[:DEPENDS_ON]->(sys)
            WITH s, min(distance) AS hops
            // the provider is looked up only where visibility needs it, and for the page
            WHERE $all_statuses OR s.status IN $public
               OR EXISTS { (s)-[:PROVIDED_BY]->(:StateBody {code: $own_body}) }
            RETURN collect({s: s, hops: hops, key: [hops, s.nameSortKey, s.code]}) AS hits
        }
        CALL (hits) {
            UNWIND hits AS h
            WITH h WHERE $after IS NULL OR h.key > $after
            WITH h ORDER BY h.key LIMIT $limit
            WITH h, h.s AS s
            RETURN collect({s: s {.*, provider: [(s)-[:PROVIDED_BY]->(b:StateBody) | b.code][0], """
        + _SERVICE_TIMES
        + """}, hops: h.hops}) AS page
        }
        CALL (hits) {
            UNWIND hits AS h
            WITH h.s AS s
            MATCH (s)-[:OFFERED_AT]->(c:AsanCentre)
            WITH DISTINCT c ORDER BY c.nameSortKey, c.code
            RETURN collect(c {.*}) AS centres
        }
        RETURN x {.*, operator: [(x)-[:OPERATED_BY]->(o:StateBody) | o.code][0]} AS system,
               size(hits) AS total, page, centres
        """,
        {"code": system, "limit": limit, "after": list(after) if after else None, **_vis(vis)},
    )
    if not rows:
        return None
    row = rows[0]
    return Impact(
        system=_system(row["system"]),
        total_services=row["total"],
        services=tuple(ImpactedService(_service(r["s"]), r["hops"]) for r in row["page"]),
        centres=tuple(_centre(c) for c in row["centres"]),
    )


async def dependency_path(q: Query, service: str, system: str) -> list[PathStep] | None:
    """The shortest chain service -> system -> ... -> system; None when there is none."""
    rows = await _run(
        q,
        """
        MATCH (s:Service {code: $service}), (x:InformationSystem {code: $system})
        MATCH p = shortestPath((s)-[:DEPENDS_ON|CONSUMES_DATA_FROM*..25]->(x))
        RETURN [n IN nodes(p) | {kind: CASE WHEN n:Service THEN 'Service'
                                            ELSE 'InformationSystem' END,
                                 code: n.code, nameAz: n.nameAz}] AS steps
        """,
        {"service": service, "system": system},
    )
    if not rows:
        return None
    return [PathStep(s["kind"], s["code"], s["nameAz"] or "") for s in rows[0]["steps"]]


async def coverage(q: Query, body_codes: Sequence[str] | None = None) -> list[Coverage]:
    """Published services per body, how many are online (e-services), and per channel."""
    rows = await _run(
        q,
        """
        MATCH (b:StateBody)
        WHERE $codes IS NULL OR b.code IN $codes
        OPTIONAL MATCH (s:Service {status: 'published'})-[:PROVIDED_BY]->(b)
        OPTIONAL MATCH (s)-[:AVAILABLE_VIA]->(c:Channel)
        WITH b, s, collect(c.code) AS channels
        WITH b, collect(CASE WHEN s IS NULL THEN null ELSE channels END) AS perService
        RETURN b.code AS code, b.nameAz AS nameAz, size(perService) AS services,
               size([cs IN perService WHERE 'ONLINE' IN cs]) AS online,
               [ch IN $channels | {channel: ch,
                                   services: size([cs IN perService WHERE ch IN cs])}]
               AS channels
        ORDER BY b.nameSortKey, b.code
        """,
        {"codes": list(body_codes) if body_codes is not None else None, "channels": list(CHANNELS)},
    )
    return [
        Coverage(
            body=row["code"],
            name_az=row["nameAz"] or "",
            services=row["services"],
            online=row["online"],
            channels=tuple(ChannelCount(c["channel"], c["services"]) for c in row["channels"]),
        )
        for row in rows
    ]
