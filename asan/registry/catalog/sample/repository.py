"""Cypher of the sample registry: its vocabulary (created, never renamed) and the ``sample``
mark that tells sample nodes from real entries."""

from __future__ import annotations

from typing import Any

from asan.core.db import Database, Tx
from asan.core.text import normalize


async def upsert_vocabulary(tx: Tx, data: dict[str, Any]) -> None:
    """Documents, outputs and legal acts that the sample services name by code.

    Created when missing, never renamed: shared entries change only through
    ``reference.update_reference_entry`` (versioned and audited), reloading included.
    """

    def named(items: list[dict[str, Any]]) -> list[dict[str, str]]:
        return [
            {
                "code": normalize(i["code"]),
                "nameAz": normalize(i["nameAz"]),
                "nameEn": normalize(i.get("nameEn", "")),
                "nameRu": normalize(i.get("nameRu", "")),
            }
            for i in items
        ]

    await tx.run(
        """
        CALL () {
            UNWIND $documents AS d
            MERGE (e:Evidence {code: d.code})
            ON CREATE SET e.nameAz = d.nameAz, e.nameEn = d.nameEn, e.nameRu = d.nameRu,
                          e.sample = true
        }
        CALL () {
            UNWIND $outputs AS o
            MERGE (x:Output {code: o.code})
            ON CREATE SET x.nameAz = o.nameAz, x.nameEn = o.nameEn, x.nameRu = o.nameRu,
                          x.sample = true
        }
        CALL () {
            UNWIND $acts AS a
            MERGE (l:LegalAct {code: a.code})
            ON CREATE SET l.title = a.title, l.sample = true
        }
        """,
        {
            "documents": named(data["documents"]),
            "outputs": named(data["outputs"]),
            "acts": [
                {"code": normalize(a["code"]), "title": normalize(a["title"])}
                for a in data["legalActs"]
            ],
        },
    )


async def mark_sample(
    tx: Tx,
    *,
    bodies: list[str],
    systems: list[str],
    categories: list[str],
    centres: list[str],
    stops: list[str],
    buses: list[str],
) -> None:
    await tx.run(
        """
        CALL () { UNWIND $bodies AS c MATCH (n:StateBody {code: c}) SET n.sample = true }
        CALL () { UNWIND $systems AS c MATCH (n:InformationSystem {code: c}) SET n.sample = true }
        CALL () { UNWIND $categories AS c MATCH (n:Category {code: c}) SET n.sample = true }
        CALL () { UNWIND $centres AS c MATCH (n:AsanCentre {code: c}) SET n.sample = true }
        CALL () { UNWIND $stops AS c MATCH (n:BusStop {code: c}) SET n.sample = true }
        CALL () { UNWIND $buses AS c MATCH (n:MobileBus {code: c}) SET n.sample = true }
        """,
        {
            "bodies": bodies,
            "systems": systems,
            "categories": categories,
            "centres": centres,
            "stops": stops,
            "buses": buses,
        },
    )


async def mark_sample_services(db: Database, codes: list[str]) -> None:
    await db.write(
        "UNWIND $codes AS code MATCH (s:Service {code: code}) SET s.sample = true",
        {"codes": codes},
    )
