"""Cypher of categories and life events (the shared entries' versions are in ``reference_repo``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from asan.core.db import Tx
from asan.core.text import fold
from asan.registry.catalog.models import (
    CategoryInput,
)
from asan.registry.catalog.repo_common import (
    Query,
    _run,
)

# --------------------------------------------------------------------------- reference data


async def upsert_categories(tx: Tx, categories: Sequence[CategoryInput]) -> None:
    await tx.run(
        """
        UNWIND $rows AS r
        MERGE (c:Category {code: r.code})
        SET c.nameAz = r.nameAz, c.nameEn = r.nameEn, c.nameRu = r.nameRu,
            c.nameFold = r.nameFold, c.kind = r.kind
        """,
        {
            "rows": [
                {
                    "code": c.code,
                    "nameAz": c.name_az,
                    "nameEn": c.name_en,
                    "nameRu": c.name_ru,
                    "nameFold": fold(c.name_az),
                    "kind": c.kind,
                }
                for c in categories
            ]
        },
    )


def _category(row: Mapping[str, Any]) -> CategoryInput:
    return CategoryInput(
        code=row["code"],
        name_az=row.get("nameAz") or "",
        kind=row.get("kind") or "category",
        name_en=row.get("nameEn") or "",
        name_ru=row.get("nameRu") or "",
    )


async def categories_by_codes(q: Query, codes: Sequence[str]) -> dict[str, CategoryInput]:
    rows = await _run(
        q,
        "UNWIND $codes AS code MATCH (c:Category {code: code}) RETURN c {.*} AS c",
        {"codes": list(codes)},
    )
    return {row["c"]["code"]: _category(row["c"]) for row in rows}


async def list_categories(q: Query, kind: str | None = None) -> list[CategoryInput]:
    rows = await _run(
        q,
        """
        MATCH (c:Category) WHERE $kind IS NULL OR c.kind = $kind
        RETURN c {.*} AS c ORDER BY c.nameFold, c.code
        """,
        {"kind": kind},
    )
    return [_category(row["c"]) for row in rows]
