"""Cypher of state bodies: upserts with their PART_OF parent, cycle check, lookups, pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from asan.core.db import Tx
from asan.core.text import fold
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
    )


async def upsert_state_bodies(tx: Tx, bodies: Sequence[StateBodyInput]) -> None:
    """Create or update bodies; ``parent`` must exist (or be in the same batch)."""
    rows = [
        {
            "code": b.code,
            "nameAz": b.name_az,
            "nameEn": b.name_en,
            "nameRu": b.name_ru,
            "nameFold": fold(b.name_az),
            "kind": b.kind,
            "parent": b.parent,
        }
        for b in bodies
    ]
    await tx.run(
        """
        UNWIND $rows AS r
        MERGE (b:StateBody {code: r.code})
        SET b.nameAz = r.nameAz, b.nameEn = r.nameEn, b.nameRu = r.nameRu,
            b.nameFold = r.nameFold, b.kind = r.kind
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
) -> Page[StateBody]:
    rows = await _run(
        q,
        """
        MATCH (b:StateBody)
        WHERE ($search IS NULL OR b.nameFold CONTAINS $search OR b.code CONTAINS $raw)
          AND ($parent IS NULL OR EXISTS { (b)-[:PART_OF]->(:StateBody {code: $parent}) })
        WITH b ORDER BY b.nameFold, b.code
        WITH collect(b) AS matched
        RETURN size(matched) AS total,
               [b IN matched WHERE $after IS NULL OR [b.nameFold, b.code] > $after
                | b {.*, parent: [(b)-[:PART_OF]->(p:StateBody) | p.code][0]}][0..$limit] AS page
        """,
        {
            "search": fold(search) if search else None,
            "raw": search,
            "parent": parent,
            "after": after,
            "limit": limit,
        },
    )
    row = rows[0]
    return Page([_state_body(b) for b in row["page"]], row["total"])
