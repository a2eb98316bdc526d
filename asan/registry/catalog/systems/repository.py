"""Cypher of information systems and their data-exchange links."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from asan.core.db import Tx
from asan.core.text import name_keys, search_fold
from asan.registry.catalog.models import (
    DataLink,
    InformationSystem,
    InformationSystemInput,
    Page,
)
from asan.registry.catalog.repo_common import (
    Query,
    _run,
)
from asan.registry.catalog.systems.records_repository import record_of

# --------------------------------------------------------------------------- information systems


def _system(row: Mapping[str, Any]) -> InformationSystem:
    return InformationSystem(
        code=row["code"],
        name_az=row.get("nameAz") or "",
        name_en=row.get("nameEn") or "",
        name_ru=row.get("nameRu") or "",
        description=row.get("description") or "",
        operator=row.get("operator"),
        record=record_of(row),
    )


async def upsert_information_systems(tx: Tx, systems: Sequence[InformationSystemInput]) -> None:
    await tx.run(
        """
        UNWIND $rows AS r
        MERGE (x:InformationSystem {code: r.code})
        SET x.updatedAt = CASE
                WHEN x.updatedAt IS NULL
                     OR coalesce(x {.nameAz, .nameEn, .nameRu, .description}
                                 <> r {.nameAz, .nameEn, .nameRu, .description}, true)
                     OR NOT EXISTS { (x)-[:OPERATED_BY]->(:StateBody {code: r.operator}) }
                THEN datetime() ELSE x.updatedAt END
        SET x.nameAz = r.nameAz, x.nameEn = r.nameEn, x.nameRu = r.nameRu,
            x.nameFold = r.nameFold, x.nameSortKey = r.nameSortKey,
            x.searchText = r.searchText, x.description = r.description
        WITH x, r
        OPTIONAL MATCH (x)-[old:OPERATED_BY]->()
        DELETE old
        WITH x, r
        MATCH (b:StateBody {code: r.operator})
        MERGE (x)-[:OPERATED_BY]->(b)
        """,
        {
            "rows": [
                {
                    "code": s.code,
                    "nameAz": s.name_az,
                    "nameEn": s.name_en,
                    "nameRu": s.name_ru,
                    **name_keys(s.name_az, s.name_en, s.name_ru, code=s.code),
                    "description": s.description,
                    "operator": s.operator,
                }
                for s in systems
            ]
        },
    )


async def link_information_systems(tx: Tx, links: Sequence[DataLink]) -> int:
    """MERGE data-exchange links; returns how many were new."""
    rows = await tx.run(
        """
        UNWIND $rows AS r
        MATCH (c:InformationSystem {code: r.consumer}), (p:InformationSystem {code: r.provider})
        OPTIONAL MATCH (c)-[existing:CONSUMES_DATA_FROM]->(p)
        MERGE (c)-[l:CONSUMES_DATA_FROM]->(p)
        SET l.since = coalesce(r.since, l.since)
        RETURN count(existing) AS existed, count(*) AS total
        """,
        {
            "rows": [
                {"consumer": link.consumer, "provider": link.provider, "since": link.since}
                for link in links
            ]
        },
    )
    return int(rows[0]["total"] - rows[0]["existed"]) if rows else 0


async def information_systems_by_codes(
    q: Query, codes: Sequence[str]
) -> dict[str, InformationSystem]:
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (x:InformationSystem {code: code})
        RETURN x {.*, operator: [(x)-[:OPERATED_BY]->(o:StateBody) | o.code][0]} AS x
        """,
        {"codes": list(codes)},
    )
    return {row["x"]["code"]: _system(row["x"]) for row in rows}


async def systems_by_operator(
    q: Query, body_codes: Sequence[str]
) -> dict[str, list[InformationSystem]]:
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (x:InformationSystem)-[:OPERATED_BY]->(:StateBody {code: code})
        WITH code, x ORDER BY x.nameSortKey, x.code
        RETURN code, collect(x {.*, operator: code}) AS systems
        """,
        {"codes": list(body_codes)},
    )
    return {row["code"]: [_system(x) for x in row["systems"]] for row in rows}


async def data_links(q: Query, codes: Sequence[str]) -> dict[str, tuple[list[str], list[str]]]:
    """Per system: (codes it consumes data from, codes that consume its data)."""
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (x:InformationSystem {code: code})
        RETURN code,
               [(x)-[:CONSUMES_DATA_FROM]->(p:InformationSystem) | p.code] AS providers,
               [(c:InformationSystem)-[:CONSUMES_DATA_FROM]->(x) | c.code] AS consumers
        """,
        {"codes": list(codes)},
    )
    return {row["code"]: (sorted(row["providers"]), sorted(row["consumers"])) for row in rows}


async def list_information_systems(
    q: Query,
    *,
    after: list[Any] | None,
    limit: int,
    operator: str | None = None,
    search: str | None = None,
    backward: bool = False,
    updated_since: datetime | None = None,
) -> Page[InformationSystem]:
    """A page in Azerbaijani name order; see ``bodies.repository.list_state_bodies``."""
    rows = await _run(
        q,
        """
        MATCH (x:InformationSystem)
        WHERE ($operator IS NULL
               OR EXISTS { (x)-[:OPERATED_BY]->(:StateBody {code: $operator}) })
          AND ($search IS NULL OR x.searchText CONTAINS $search)
          AND ($since IS NULL OR x.updatedAt >= $since)
        WITH x ORDER BY x.nameSortKey, x.code
        WITH collect(x) AS matched
        WITH matched, CASE WHEN $backward THEN reverse(matched) ELSE matched END AS ordered
        RETURN size(matched) AS total,
               [x IN ordered WHERE $after IS NULL
                   OR CASE WHEN $backward THEN [x.nameSortKey, x.code] < $after
                           ELSE [x.nameSortKey, x.code] > $after END
                | x {.*, operator: [(x)-[:OPERATED_BY]->(o:StateBody) | o.code][0]}][0..$limit]
               AS page
        """,
        {
            "operator": operator,
            "search": search_fold(search) if search else None,
            "since": updated_since,
            "after": after,
            "backward": backward,
            "limit": limit,
        },
    )
    row = rows[0]
    return Page([_system(x) for x in row["page"]], row["total"])
