"""Backfill of the stored Azerbaijani text keys (``nameSortKey``, ``searchText``, ...).

The keys are computed in Python (``asan.core.text``), so a migration cannot derive them in
Cypher: it reads each label's names, computes the keys and writes them back, in one UNWIND per
label. Nodes written after the migration get them from their repository's write.
"""

from __future__ import annotations

from typing import Any, Final, LiteralString

from asan.core.db import Tx
from asan.core.text import name_keys, search_fold, search_text

# label -> (the properties holding its names, the first one ordering lists)
NAMED: Final[dict[LiteralString, tuple[str, ...]]] = {
    "StateBody": ("nameAz", "nameEn", "nameRu"),
    "InformationSystem": ("nameAz", "nameEn", "nameRu"),
    "Service": ("nameAz", "nameEn", "nameRu"),
    "Category": ("nameAz", "nameEn", "nameRu"),
    "Evidence": ("nameAz", "nameEn", "nameRu"),
    "Output": ("nameAz", "nameEn", "nameRu"),
    "LegalAct": ("title",),
    "AsanCentre": ("name",),
    "MobileBus": ("name",),
    "BusStop": ("name",),
}

# labels whose lists filter on ``updatedAt``: nodes written before it existed get the
# migration's time (they have not changed since at least then)
STAMPED: Final[tuple[LiteralString, ...]] = ("StateBody", "InformationSystem", "AsanCentre")


async def backfill_names(tx: Tx, labels: dict[LiteralString, tuple[str, ...]]) -> None:
    for label, fields in labels.items():
        rows = await tx.run("MATCH (n:" + label + ") RETURN elementId(n) AS id, n {.*} AS n")
        updates: list[dict[str, Any]] = []
        for row in rows:
            node = row["n"]
            keys: dict[str, Any] = name_keys(
                *(node.get(f) or "" for f in fields), code=node.get("code")
            )
            if "region" in node:
                keys["regionFold"] = search_fold(node.get("region") or "")
            updates.append({"id": row["id"], "keys": keys})
        await tx.run(
            "UNWIND $rows AS r MATCH (n:" + label + ") WHERE elementId(n) = r.id SET n += r.keys",
            {"rows": updates},
        )


async def stamp_updated(tx: Tx, labels: tuple[LiteralString, ...]) -> None:
    for label in labels:
        await tx.run(
            "MATCH (n:" + label + ") WHERE n.updatedAt IS NULL SET n.updatedAt = datetime()"
        )


async def catalog_text_keys(tx: Tx) -> None:
    await backfill_names(tx, NAMED)
    await stamp_updated(tx, STAMPED)


async def org_text_keys(tx: Tx) -> None:
    await backfill_names(tx, {"OrgUnit": ("nameAz", "nameEn")})
    await stamp_updated(tx, ("OrgUnit",))
    rows = await tx.run("MATCH (c:Clause) RETURN c.key AS key, c.text AS text, c.number AS number")
    await tx.run(
        "UNWIND $rows AS r MATCH (c:Clause {key: r.key}) SET c.searchText = r.searchText",
        {
            "rows": [
                {"key": r["key"], "searchText": search_text(r["text"] or "", r["number"] or "")}
                for r in rows
            ]
        },
    )
