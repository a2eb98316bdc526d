"""Cypher of state bodies: upserts with their PART_OF parent, cycle check, lookups, pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from asan.core.db import Tx
from asan.core.text import name_keys, search_fold
from asan.registry.catalog.contact import contact_of, contact_properties
from asan.registry.catalog.models import (
    Page,
    StateBody,
    StateBodyInput,
)
from asan.registry.catalog.repo_common import (
    Query,
    _run,
)

# ---------------------------------------------------------------------------------- state bodies

# A state body ``b`` as ``_state_body`` reads it: its properties and its parent's code.
_BODY: Final = "b {.*, parent: [(b)-[:PART_OF]->(p:StateBody) | p.code][0]}"


def _state_body(row: Mapping[str, Any]) -> StateBody:
    return StateBody(
        code=row["code"],
        name_az=row.get("nameAz") or "",
        name_en=row.get("nameEn") or "",
        name_ru=row.get("nameRu") or "",
        kind=row.get("kind") or "other",
        parent=row.get("parent"),
        contact_point=contact_of(row),
    )


async def upsert_state_bodies(tx: Tx, bodies: Sequence[StateBodyInput]) -> None:
    """Create or update bodies; ``parent`` must exist (or be in the same batch)."""
    rows = [
        {
            "code": b.code,
            "nameAz": b.name_az,
            "nameEn": b.name_en,
            "nameRu": b.name_ru,
            **name_keys(b.name_az, b.name_en, b.name_ru, code=b.code),
            "kind": b.kind,
            "parent": b.parent,
            "contact": contact_properties(b.contact_point),
        }
        for b in bodies
    ]
    await tx.run(
        """
        UNWIND $rows AS r
        MERGE (b:StateBody {code: r.code})
        SET b.updatedAt = CASE
                WHEN b.updatedAt IS NULL
                     OR coalesce(b {.nameAz, .nameEn, .nameRu, .kind}
                                 <> r {.nameAz, .nameEn, .nameRu, .kind}, true)
                     OR any(k IN keys(r.contact) WHERE coalesce(
                            b[k] <> r.contact[k], (b[k] IS NULL) <> (r.contact[k] IS NULL)))
                THEN datetime() ELSE b.updatedAt END
        SET b.nameAz = r.nameAz, b.nameEn = r.nameEn, b.nameRu = r.nameRu,
            b.nameFold = r.nameFold, b.nameSortKey = r.nameSortKey,
            b.searchText = r.searchText, b.kind = r.kind
        SET b += r.contact
        """,
        {"rows": rows},
    )
    await tx.run(
        """
        UNWIND $rows AS r
        MATCH (b:StateBody {code: r.code})
        OPTIONAL MATCH (b)-[old:PART_OF]->()
        DELETE old
        WITH b, r WHERE r.parent IS NOT NULL
        MATCH (p:StateBody {code: r.parent})
        MERGE (b)-[:PART_OF]->(p)
        """,
        {"rows": rows},
    )


async def would_cycle(q: Query, code: str, parent: str) -> bool:
    """Whether making ``parent`` the parent of ``code`` would close a PART_OF cycle."""
    rows = await _run(
        q,
        "RETURN EXISTS { MATCH (:StateBody {code: $parent})-[:PART_OF*0..]->"
        "(:StateBody {code: $code}) } AS cycle",
        {"code": code, "parent": parent},
    )
    return bool(rows[0]["cycle"])


async def state_bodies_by_codes(q: Query, codes: Sequence[str]) -> dict[str, StateBody]:
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (b:StateBody {code: code})
        RETURN b {.*, parent: [(b)-[:PART_OF]->(p:StateBody) | p.code][0]} AS b
        """,
        {"codes": list(codes)},
    )
    return {row["b"]["code"]: _state_body(row["b"]) for row in rows}


async def list_state_bodies(
    q: Query,
    *,
    after: list[Any] | None,
    limit: int,
    search: str | None = None,
    parent: str | None = None,
    backward: bool = False,
    updated_since: datetime | None = None,
) -> Page[StateBody]:
    """A page in Azerbaijani name order (``nameSortKey``); ``backward``: the rows just before
    ``after``, nearest first. ``search`` matches names in any language and the code, without
    case or Azerbaijani letters (``searchText``)."""
    rows = await _run(
        q,
        """
        MATCH (b:StateBody)
        WHERE ($search IS NULL OR b.searchText CONTAINS $search)
          AND ($parent IS NULL OR EXISTS { (b)-[:PART_OF]->(:StateBody {code: $parent}) })
          AND ($since IS NULL OR b.updatedAt >= $since)
        WITH b ORDER BY b.nameSortKey, b.code
        WITH collect(b) AS matched
        WITH matched, CASE WHEN $backward THEN reverse(matched) ELSE matched END AS ordered
        RETURN size(matched) AS total,
               [b IN ordered WHERE $after IS NULL
                   OR CASE WHEN $backward THEN [b.nameSortKey, b.code] < $after
                           ELSE [b.nameSortKey, b.code] > $after END
                | b {.*, parent: [(b)-[:PART_OF]->(p:StateBody) | p.code][0]}][0..$limit] AS page
        """,
        {
            "search": search_fold(search) if search else None,
            "parent": parent,
            "since": updated_since,
            "after": after,
            "backward": backward,
            "limit": limit,
        },
    )
    row = rows[0]
    return Page([_state_body(b) for b in row["page"]], row["total"])
