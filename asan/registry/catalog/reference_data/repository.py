"""Cypher of categories and life events (the shared entries' versions are in ``reference_repo``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from asan.core.db import Tx
from asan.core.text import name_keys
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
        SET c.updatedAt = CASE
                WHEN c.updatedAt IS NULL
                     OR coalesce(c {.nameAz, .nameEn, .nameRu, .kind}
                                 <> r {.nameAz, .nameEn, .nameRu, .kind}, true)
                THEN datetime() ELSE c.updatedAt END
        SET c.nameAz = r.nameAz, c.nameEn = r.nameEn, c.nameRu = r.nameRu,
            c.nameFold = r.nameFold, c.nameSortKey = r.nameSortKey,
            c.searchText = r.searchText, c.kind = r.kind
        """,
        {
            "rows": [
                {
                    "code": c.code,
                    "nameAz": c.name_az,
                    "nameEn": c.name_en,
                    "nameRu": c.name_ru,
                    **name_keys(c.name_az, c.name_en, c.name_ru, code=c.code),
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
        RETURN c {.*} AS c ORDER BY c.nameSortKey, c.code
        """,
        {"kind": kind},
    )
    return [_category(row["c"]) for row in rows]
