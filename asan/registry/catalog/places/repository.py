"""Cypher of where services are given: ASAN centres, mobile buses and their stops."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from asan.core.db import Tx
from asan.core.text import az_sort_key, name_keys, search_fold
from asan.registry.catalog.models import (
    AsanCentre,
    BusStop,
    MobileBus,
    MobileBusInput,
    Page,
    StopVisit,
)
from asan.registry.catalog.repo_common import (
    Query,
    _run,
)

# ---------------------------------------------------------------- centres, buses and stops


def _centre(row: Mapping[str, Any]) -> AsanCentre:
    return AsanCentre(
        code=row["code"],
        name=row.get("name") or "",
        region=row.get("region") or "",
        address=row.get("address") or "",
        hours=row.get("hours") or "",
    )


async def upsert_asan_centres(tx: Tx, centres: Sequence[AsanCentre]) -> None:
    await tx.run(
        """
        UNWIND $rows AS r
        MERGE (c:AsanCentre {code: r.code})
        SET c.updatedAt = CASE
                WHEN c.updatedAt IS NULL
                     OR coalesce(c {.name, .region, .address, .hours}
                                 <> r {.name, .region, .address, .hours}, true)
                THEN datetime() ELSE c.updatedAt END
        SET c.name = r.name, c.nameFold = r.nameFold, c.nameSortKey = r.nameSortKey,
            c.searchText = r.searchText, c.region = r.region, c.regionFold = r.regionFold,
            c.address = r.address, c.hours = r.hours
        """,
        {
            "rows": [
                {
                    "code": c.code,
                    "name": c.name,
                    **name_keys(c.name, code=c.code),
                    "region": c.region,
                    "regionFold": search_fold(c.region),
                    "address": c.address,
                    "hours": c.hours,
                }
                for c in centres
            ]
        },
    )


async def centres_by_codes(q: Query, codes: Sequence[str]) -> dict[str, AsanCentre]:
    rows = await _run(
        q,
        "UNWIND $codes AS code MATCH (c:AsanCentre {code: code}) RETURN c {.*} AS c",
        {"codes": list(codes)},
    )
    return {row["c"]["code"]: _centre(row["c"]) for row in rows}


async def list_asan_centres(
    q: Query,
    *,
    after: list[Any] | None,
    limit: int,
    region: str | None = None,
    search: str | None = None,
    backward: bool = False,
    updated_since: datetime | None = None,
) -> Page[AsanCentre]:
    """A page in Azerbaijani name order. ``region`` matches the whole region name without case
    or Azerbaijani letters ("gence" finds "Gəncə"); see ``list_state_bodies`` for the rest."""
    rows = await _run(
        q,
        """
        MATCH (c:AsanCentre)
        WHERE ($region IS NULL OR c.regionFold = $region)
          AND ($search IS NULL OR c.searchText CONTAINS $search)
          AND ($since IS NULL OR c.updatedAt >= $since)
        WITH c ORDER BY c.nameSortKey, c.code
        WITH collect(c) AS matched
        WITH matched, CASE WHEN $backward THEN reverse(matched) ELSE matched END AS ordered
        RETURN size(matched) AS total,
               [c IN ordered WHERE $after IS NULL
                   OR CASE WHEN $backward THEN [c.nameSortKey, c.code] < $after
                           ELSE [c.nameSortKey, c.code] > $after END
                | c {.*}][0..$limit] AS page
        """,
        {
            "region": search_fold(region) if region is not None else None,
            "search": search_fold(search) if search else None,
            "since": updated_since,
            "after": after,
            "backward": backward,
            "limit": limit,
        },
    )
    row = rows[0]
    return Page([_centre(c) for c in row["page"]], row["total"])


def centre_sort_key(centre: AsanCentre) -> list[Any]:
    return [az_sort_key(centre.name), centre.code]


async def upsert_bus_stops(tx: Tx, stops: Sequence[BusStop]) -> None:
    await tx.run(
        """
        UNWIND $rows AS r
        MERGE (p:BusStop {code: r.code})
        SET p.name = r.name, p.region = r.region, p.address = r.address,
            p.regionFold = r.regionFold, p += r.keys
        """,
        {
            "rows": [
                {
                    "code": s.code,
                    "name": s.name,
                    "region": s.region,
                    "regionFold": search_fold(s.region),
                    "address": s.address,
                    "keys": name_keys(s.name, code=s.code),
                }
                for s in stops
            ]
        },
    )


async def upsert_mobile_buses(tx: Tx, buses: Sequence[MobileBusInput]) -> None:
    """Create or update buses; each bus's stop schedule is replaced by the one given."""
    await tx.run(
        """
        UNWIND $rows AS r
        MERGE (m:MobileBus {code: r.code})
        SET m.name = r.name, m.nameFold = r.nameFold, m.nameSortKey = r.nameSortKey,
            m.searchText = r.searchText, m.updatedAt = datetime()
        WITH m, r
        CALL (m) { MATCH (m)-[old:STOPS_AT]->() DELETE old }
        CALL (m, r) {
            UNWIND r.stops AS v
            MATCH (p:BusStop {code: v.stop})
            CREATE (m)-[:STOPS_AT {weekday: v.weekday, startsAt: v.startsAt, endsAt: v.endsAt}]->(p)
        }
        """,
        {
            "rows": [
                {
                    "code": b.code,
                    "name": b.name,
                    **name_keys(b.name, code=b.code),
                    "stops": [
                        {
                            "stop": v.stop,
                            "weekday": v.weekday,
                            "startsAt": v.starts_at,
                            "endsAt": v.ends_at,
                        }
                        for v in b.stops
                    ],
                }
                for b in buses
            ]
        },
    )


async def list_mobile_buses(q: Query) -> list[MobileBus]:
    rows = await _run(
        q,
        "MATCH (m:MobileBus) RETURN m.code AS code, m.name AS name ORDER BY m.nameSortKey, m.code",
        {},
    )
    return [MobileBus(row["code"], row["name"] or "") for row in rows]


async def buses_by_codes(q: Query, codes: Sequence[str]) -> dict[str, MobileBus]:
    rows = await _run(
        q,
        "UNWIND $codes AS code MATCH (m:MobileBus {code: code}) "
        "RETURN m.code AS code, m.name AS name",
        {"codes": list(codes)},
    )
    return {row["code"]: MobileBus(row["code"], row["name"] or "") for row in rows}


async def schedules_by_bus(
    q: Query, codes: Sequence[str]
) -> dict[str, list[tuple[StopVisit, BusStop]]]:
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (:MobileBus {code: code})-[v:STOPS_AT]->(p:BusStop)
        WITH code, v, p ORDER BY v.weekday, v.startsAt, p.code
        RETURN code, collect({visit: v {.*}, stop: p {.*}}) AS visits
        """,
        {"codes": list(codes)},
    )
    return {
        row["code"]: [
            (
                StopVisit(
                    r["stop"]["code"],
                    r["visit"]["weekday"],
                    r["visit"]["startsAt"],
                    r["visit"]["endsAt"],
                ),
                BusStop(
                    r["stop"]["code"],
                    r["stop"].get("name") or "",
                    r["stop"].get("region") or "",
                    r["stop"].get("address") or "",
                ),
            )
            for r in row["visits"]
        ]
        for row in rows
    }
