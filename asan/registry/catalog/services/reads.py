"""Cypher that reads services: stored content, nested lists, pages with keyset cursors.

Keyset paging: callers pass ``after`` (the decoded cursor values) and ``limit`` (page size + 1);
list functions return the total of matching rows from the same query, so a connection with
``totalCount`` costs one round trip.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, LiteralString

from asan.core.text import search_fold
from asan.registry.catalog.bodies.repository import (
    _BODY,
    _state_body,
)
from asan.registry.catalog.models import (
    Evidence,
    Page,
    Service,
    ServiceFilter,
    ServiceRelations,
    ServiceVersion,
    StateBody,
    StoredService,
    Visibility,
)
from asan.registry.catalog.repo_common import (
    Query,
    _native,
    _run,
    _vis,
)
from asan.registry.catalog.services.rows import (
    _SERVICE_TIMES,
    _channels,
    _content,
    _evidence,
    _legal_basis,
    _outputs,
    _service,
)


async def stored_services(q: Query, codes: Sequence[str]) -> dict[str, StoredService]:
    """Whole content, status and version of each existing service (one query per batch)."""
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (s:Service {code: code})
        RETURN s {.*} AS s,
               [(s)-[:PROVIDED_BY]->(b:StateBody) | b.code][0] AS provider,
               [(s)-[r:HAS_LEGAL_BASIS]->(a:LegalAct)
                | {code: a.code, title: a.title, articles: r.articles}] AS legal,
               [(s)-[r:REQUIRES]->(e:Evidence)
                | {code: e.code, nameAz: e.nameAz, nameEn: e.nameEn, nameRu: e.nameRu,
                   condition: r.condition, position: r.position}] AS requirements,
               [(s)-[:PRODUCES]->(o:Output) | o {.*}] AS outputs,
               [(s)-[:AVAILABLE_VIA]->(c:Channel) | c.code] AS channels,
               [(s)-[:OFFERED_AT]->(c:AsanCentre) | c.code] AS centres,
               [(s)-[:OFFERED_ON]->(m:MobileBus) | m.code] AS buses,
               [(s)-[:DEPENDS_ON]->(x:InformationSystem) | x.code] AS systems,
               [(s)-[:IN_CATEGORY]->(c:Category) | c.code] AS categories
        """,
        {"codes": list(codes)},
    )
    return {
        row["s"]["code"]: StoredService(
            content=_content(row),
            status=row["s"].get("status") or "draft",
            version=int(row["s"].get("version") or 0),
        )
        for row in rows
    }


async def requirements_by_service(q: Query, codes: Sequence[str]) -> dict[str, list[Evidence]]:
    """Per service, the documents it requires in the order told (services without any absent).

    Only ``REQUIRES -> Evidence`` of the batch: no service properties, no other lists, so the
    documents of a whole level of a nested read cost one light query.
    """
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (:Service {code: code})-[r:REQUIRES]->(e:Evidence)
        WITH code, r.position AS position, e.code AS evidence, e, r
        ORDER BY position, evidence
        RETURN code, collect({code: evidence, nameAz: e.nameAz, nameEn: e.nameEn,
                              nameRu: e.nameRu, condition: r.condition}) AS documents
        """,
        {"codes": list(codes)},
    )
    return {row["code"]: [_evidence(e) for e in row["documents"]] for row in rows}


async def relations_by_service(q: Query, codes: Sequence[str]) -> dict[str, ServiceRelations]:
    """Per existing service, its linked lists other than required documents (one query).

    Unlike ``stored_services`` it reads no service properties and no provider: a nested read
    of a level's channels, centres, legal basis, ... pays only for the relationships.
    """
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (s:Service {code: code})
        RETURN code,
               [(s)-[r:HAS_LEGAL_BASIS]->(a:LegalAct)
                | {code: a.code, title: a.title, articles: r.articles}] AS legal,
               [(s)-[:PRODUCES]->(o:Output)
                | {code: o.code, nameAz: o.nameAz, nameEn: o.nameEn, nameRu: o.nameRu}]
                 AS outputs,
               [(s)-[:AVAILABLE_VIA]->(c:Channel) | c.code] AS channels,
               [(s)-[:OFFERED_AT]->(c:AsanCentre) | c.code] AS centres,
               [(s)-[:OFFERED_ON]->(m:MobileBus) | m.code] AS buses,
               [(s)-[:DEPENDS_ON]->(x:InformationSystem) | x.code] AS systems,
               [(s)-[:IN_CATEGORY]->(c:Category) | c.code] AS categories
        """,
        {"codes": list(codes)},
    )
    return {
        row["code"]: ServiceRelations(
            channels=_channels(row["channels"]),
            legal_basis=_legal_basis(row["legal"]),
            outputs=_outputs(row["outputs"]),
            centres=tuple(sorted(row["centres"])),
            buses=tuple(sorted(row["buses"])),
            systems=tuple(sorted(row["systems"])),
            categories=tuple(sorted(row["categories"])),
        )
        for row in rows
    }


async def services_with_providers(
    q: Query, codes: Sequence[str], vis: Visibility
) -> tuple[dict[str, Service], dict[str, StateBody]]:
    """The visible services among ``codes`` and, by code, the bodies providing them."""
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (s:Service {code: code})-[:PROVIDED_BY]->(b:StateBody)
        WHERE $all_statuses OR s.status IN $public OR b.code = $own_body
        RETURN s {.*, provider: b.code, """
        + _SERVICE_TIMES
        + "} AS s, "
        + _BODY
        + " AS b",
        {"codes": list(codes), **_vis(vis)},
    )
    services = {row["s"]["code"]: _service(row["s"]) for row in rows}
    bodies = {row["b"]["code"]: _state_body(row["b"]) for row in rows}
    return services, bodies


async def services_by_codes(q: Query, codes: Sequence[str], vis: Visibility) -> dict[str, Service]:
    services, _ = await services_with_providers(q, codes, vis)
    return services


async def services_by_body(
    q: Query, body_codes: Sequence[str], vis: Visibility
) -> dict[str, list[Service]]:
    """Per body, its services ``vis`` lets the reader see, by name (bodies without any absent).

    Anchored on the body: the services come from expanding ``PROVIDED_BY`` from each body
    (a pattern comprehension cannot start anywhere else), and status is tested on those rows
    only; a status predicate the planner could seek would start from the status index over
    every service of the registry instead. Whether the body is the reader's own is decided
    once per body, not per service.
    """
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (b:StateBody {code: code})
        WITH code, b, $all_statuses OR code = $own_body AS sees_all
        UNWIND [(b)<-[:PROVIDED_BY]-(s:Service) WHERE sees_all OR s.status IN $public | s] AS s
        WITH code, s ORDER BY s.nameSortKey, s.code
        RETURN code, collect(s {.*, provider: code, """
        + _SERVICE_TIMES
        + """}) AS services
        """,
        {"codes": list(body_codes), **_vis(vis)},
    )
    return {row["code"]: [_service(s) for s in row["services"]] for row in rows}


@dataclass(frozen=True)
class ServiceOrder:
    """A keyset ordering: the Cypher sort key (a list) and how many values its cursor holds."""

    key: LiteralString
    arity: int


SERVICE_ORDERS: Final[dict[str, ServiceOrder]] = {
    "NAME": ServiceOrder("[s.nameSortKey, s.code]", 2),
    "CODE": ServiceOrder("[s.code]", 1),
    "PROCESSING_DAYS": ServiceOrder(
        "[coalesce(s.processingDays, 1000000), s.nameSortKey, s.code]", 3
    ),
    "FEE": ServiceOrder("[coalesce(s.feeAmount, 0.0), s.nameSortKey, s.code]", 3),
}

_SERVICE_FILTER: Final = """
        MATCH (s:Service)-[:PROVIDED_BY]->(b:StateBody)
        WHERE ($body IS NULL OR b.code = $body)
          AND ($all_statuses OR s.status IN $public OR b.code = $own_body)
          AND ($status IS NULL OR s.status = $status)
          AND ($search IS NULL OR s.searchText CONTAINS $search)
          AND ($since IS NULL OR s.updatedAt >= $since)
          AND ($category IS NULL
               OR EXISTS { (s)-[:IN_CATEGORY]->(:Category {code: $category}) })
          AND ($channel IS NULL OR EXISTS { (s)-[:AVAILABLE_VIA]->(:Channel {code: $channel}) })
          AND ($centre IS NULL OR EXISTS { (s)-[:OFFERED_AT]->(:AsanCentre {code: $centre}) })
          AND ($stop IS NULL
               OR EXISTS { (s)-[:OFFERED_ON]->(:MobileBus)-[:STOPS_AT]->(:BusStop {code: $stop}) })
          AND ($system IS NULL
               OR EXISTS { (s)-[:DEPENDS_ON]->(:InformationSystem {code: $system}) })
          AND ($region IS NULL
               OR EXISTS { (s)-[:OFFERED_AT]->(:AsanCentre {regionFold: $region}) }
               OR EXISTS { (s)-[:OFFERED_ON]->(:MobileBus)
                           -[:STOPS_AT]->(:BusStop {regionFold: $region}) })
"""

# Count and page in one round trip: the count scans the matches without building rows; the
# page keeps only the top ``limit`` rows after the cursor (ORDER BY ... LIMIT is a top-k sort).
_PAGE_END: Final = (
    """
            RETURN collect(s {.*, provider: b.code, """
    + _SERVICE_TIMES
    + """}) AS page,
                   collect(DISTINCT b) AS bodies
        }
        RETURN total, page, [b IN bodies | """
    + _BODY
    + "] AS bodies\n"
)
_PAGE_ASC: Final = (
    """
            WHERE $after IS NULL OR k > $after
            WITH s, b, k ORDER BY k ASC LIMIT $limit
"""
    + _PAGE_END
)
_PAGE_DESC: Final = (
    """
            WHERE $after IS NULL OR k < $after
            WITH s, b, k ORDER BY k DESC LIMIT $limit
"""
    + _PAGE_END
)


def _list_query(order: ServiceOrder, descending: bool) -> LiteralString:
    page = _PAGE_DESC if descending else _PAGE_ASC
    return (
        "CALL () {"
        + _SERVICE_FILTER
        + "        RETURN count(s) AS total\n}\nCALL () {"
        + _SERVICE_FILTER
        + "            WITH s, b, "
        + order.key
        + " AS k"
        + page
    )


async def list_services(
    q: Query,
    flt: ServiceFilter,
    vis: Visibility,
    *,
    after: list[Any] | None,
    limit: int,
    order: str = "NAME",
    descending: bool = False,
) -> Page[Service]:
    page, _ = await list_services_with_providers(
        q, flt, vis, after=after, limit=limit, order=order, descending=descending
    )
    return page


async def list_services_with_providers(
    q: Query,
    flt: ServiceFilter,
    vis: Visibility,
    *,
    after: list[Any] | None,
    limit: int,
    order: str = "NAME",
    descending: bool = False,
) -> tuple[Page[Service], dict[str, StateBody]]:
    """A page of visible services with its total, and the bodies providing the page's rows."""
    rows = await _run(
        q,
        _list_query(SERVICE_ORDERS[order], descending),
        {
            "body": flt.body,
            "status": flt.status,
            "search": search_fold(flt.search) if flt.search else None,
            "since": flt.updated_since,
            "category": flt.category,
            "channel": flt.channel,
            "centre": flt.centre,
            "stop": flt.stop,
            "system": flt.system,
            "region": search_fold(flt.region) if flt.region else None,
            "after": after,
            "limit": limit,
            **_vis(vis),
        },
    )
    row = rows[0]
    bodies = {b["code"]: _state_body(b) for b in row["bodies"]}
    return Page([_service(s) for s in row["page"]], row["total"]), bodies


async def versions_by_service(q: Query, codes: Sequence[str]) -> dict[str, list[ServiceVersion]]:
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (:Service {code: code})-[:HAS_VERSION]->(v:ServiceVersion)
        WITH code, v ORDER BY v.number DESC
        RETURN code, collect(v {.*}) AS versions
        """,
        {"codes": list(codes)},
    )
    return {
        row["code"]: [
            ServiceVersion(
                number=v["number"],
                at=_native(v["at"]),
                actor=v["actor"],
                status_from=v.get("statusFrom"),
                status_to=v.get("statusTo"),
                changes=json.loads(v.get("changes") or "{}"),
            )
            for v in row["versions"]
        ]
        for row in rows
    }
