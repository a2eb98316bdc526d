"""The agency's org units and every clause of their regulations in the search: public.

An org unit's document holds its names, its regulation's title and its purpose: the clauses
of the first section after the general provisions that concern it (a department's activity
directions, a sector's functions). A clause's document is its text, titled
"<unit name> — <clause number>", with the unit it concerns as the "unit" facet and its
regulation's year. Retired clauses (``current = false``) are not indexed: a clause the text no
longer has vanishes from the index. A renamed unit re-indexes its clauses (their titles name
it); a changed clause or regulation re-indexes the unit whose purpose shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from asan.registry.searching.common import RegistryKind, text
from asan.search.engine import PUBLIC, SearchDoc

if TYPE_CHECKING:
    from asan.core.platform import Platform

_PUBLIC = frozenset({PUBLIC})
# section 1 of every regulation is its general provisions ("Ümumi müddəalar")
_GENERAL_SECTION = 1

_UNITS = """
UNWIND $codes AS code
MATCH (u:OrgUnit {code: code})
OPTIONAL MATCH (r:Regulation)-[:REGULATES]->(u)
RETURN u.code AS code, u.nameAz AS nameAz, u.nameEn AS nameEn, r.title AS regulation,
       coalesce(r.decisionDate.year,
                head([(u)<-[:CONCERNS]-(:Clause)-[:OF]->(x:Regulation) | x.decisionDate.year]))
         AS year,
       [(u)<-[:CONCERNS]-(c:Clause {current: true}) WHERE c.section > $general
        | {section: c.section, sortKey: c.sortKey, key: c.key, text: c.text}] AS clauses
"""

# units whose document shows a changed clause or regulation
_UNITS_SHOWING = """
UNWIND $Clause AS key
MATCH (:Clause {key: key})-[:CONCERNS]->(u:OrgUnit) RETURN u.code AS id
UNION
UNWIND $Regulation AS code
MATCH (:Regulation {code: code})-[:REGULATES]->(u:OrgUnit) RETURN u.code AS id
"""

_CLAUSES = """
UNWIND $keys AS key
MATCH (c:Clause {key: key, current: true})-[:CONCERNS]->(u:OrgUnit)
OPTIONAL MATCH (c)-[:OF]->(r:Regulation)
RETURN c.key AS key, c.number AS number, c.text AS text, u.code AS unit, u.nameAz AS unitName,
       r.decisionDate.year AS year
"""

# clauses whose document shows a changed unit (title) or regulation (year)
_CLAUSES_SHOWING = """
UNWIND $OrgUnit AS code
MATCH (:OrgUnit {code: code})<-[:CONCERNS]-(c:Clause {current: true}) RETURN c.key AS id
UNION
UNWIND $Regulation AS code
MATCH (:Regulation {code: code})<-[:OF]-(c:Clause {current: true}) RETURN c.key AS id
"""


def _purpose(clauses: list[dict[str, Any]]) -> list[str]:
    if not clauses:
        return []
    first = min(c["section"] for c in clauses)
    chosen = sorted(
        (c for c in clauses if c["section"] == first), key=lambda c: (c["sortKey"], c["key"])
    )
    return [c["text"] for c in chosen]


class OrgUnitSource(RegistryKind):
    """Kind "org_unit": the agency, its office, departments, sectors and the centre model."""

    kind: str = "org_unit"
    log_kinds: frozenset[str] = frozenset({"OrgUnit", "Regulation", "Clause"})
    own = "OrgUnit"
    showing = _UNITS_SHOWING
    every = "MATCH (u:OrgUnit) RETURN u.code AS id ORDER BY id"

    async def load(self, platform: Platform, ids: Sequence[str]) -> list[SearchDoc]:
        if not ids:
            return []
        rows = await platform.db.read(_UNITS, {"codes": list(ids), "general": _GENERAL_SECTION})
        return [
            SearchDoc(
                self.kind,
                row["code"],
                text(row["nameAz"]) or row["code"],
                text(row["nameEn"], row["code"], row["regulation"], *_purpose(row["clauses"])),
                acl=_PUBLIC,
                unit=row["code"],
                year=row["year"],
            )
            for row in rows
        ]


class ClauseSource(RegistryKind):
    """Kind "clause": every current clause of the approved regulations."""

    kind: str = "clause"
    log_kinds: frozenset[str] = frozenset({"Clause", "OrgUnit", "Regulation"})
    own = "Clause"
    showing = _CLAUSES_SHOWING
    every = (
        "MATCH (c:Clause {current: true})-[:CONCERNS]->(:OrgUnit) RETURN c.key AS id ORDER BY id"
    )

    async def load(self, platform: Platform, ids: Sequence[str]) -> list[SearchDoc]:
        if not ids:
            return []
        rows = await platform.db.read(_CLAUSES, {"keys": list(ids)})
        return [
            SearchDoc(
                self.kind,
                row["key"],
                text(f"{row['unitName']} — {row['number']}"),
                text(row["text"]),
                acl=_PUBLIC,
                unit=row["unit"],
                year=row["year"],
            )
            for row in rows
        ]
