"""All Cypher of the org-structure import: the records the text yields, the graph's current
state in the same shape (so the two compare directly), and one UNWIND write per kind (an
import costs a fixed number of queries however many clauses the text has).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from asan.core.db import Tx
from asan.core.text import name_keys, search_text
from asan.registry.org.models import OrgGraph
from asan.registry.org.repository import _native

# --- import payloads: the same shape as read_state returns, so they compare directly --------


def unit_rows(graph: OrgGraph) -> list[dict[str, Any]]:
    return [
        {
            "code": u.code,
            "kind": u.kind,
            "nameAz": u.name_az,
            "nameEn": u.name_en,
            "nameFold": u.name_fold,
            "parent": u.parent_code,
        }
        for u in graph.units
    ]


def regulation_rows(graph: OrgGraph) -> list[dict[str, Any]]:
    return [
        {
            "code": r.code,
            "unit": r.unit_code,
            "title": r.title,
            "decisionNumber": r.decision_number,
            "decisionDate": r.decision_date,
            "sections": list(r.sections),
        }
        for r in graph.regulations
    ]


def clause_rows(graph: OrgGraph) -> list[dict[str, Any]]:
    return [
        {
            "key": c.key,
            "regulationCode": c.regulation_code,
            "section": c.section,
            "number": c.number,
            "text": c.text,
            "textHash": c.text_hash,
            "amended": c.amended,
            "current": c.current,
            "sortKey": c.sort_key,
            "concerns": c.concerns_code,
        }
        for c in graph.clauses
    ]


def position_rows(graph: OrgGraph) -> list[dict[str, Any]]:
    return [
        {
            "code": p.code,
            "kind": p.kind,
            "title": p.title,
            "unit": p.unit_code,
            "leads": p.leads_code,
            "actsForHead": p.acts_for_head,
        }
        for p in graph.positions
    ]


async def read_state(tx: Tx) -> dict[str, list[dict[str, Any]]]:
    """The org graph as it is now, in the payload shapes above (for the import's diff)."""
    units = await tx.run(
        """
        MATCH (u:OrgUnit)
        RETURN u.code AS code, u.kind AS kind, u.nameAz AS nameAz, u.nameEn AS nameEn,
               u.nameFold AS nameFold, head([(u)-[:PART_OF]->(p:OrgUnit) | p.code]) AS parent
        """
    )
    regulations = await tx.run(
        """
        MATCH (r:Regulation)
        RETURN r.code AS code, head([(r)-[:REGULATES]->(u:OrgUnit) | u.code]) AS unit,
               r.title AS title, r.decisionNumber AS decisionNumber,
               r.decisionDate AS decisionDate, r.sections AS sections
        """
    )
    clauses = await tx.run(
        """
        MATCH (c:Clause)
        RETURN c.key AS key, c.regulationCode AS regulationCode, c.section AS section,
               c.number AS number, c.text AS text, c.textHash AS textHash, c.amended AS amended,
               c.current AS current, c.sortKey AS sortKey,
               head([(c)-[:CONCERNS]->(u:OrgUnit) | u.code]) AS concerns
        """
    )
    positions = await tx.run(
        """
        MATCH (p:Position)
        RETURN p.code AS code, p.kind AS kind, p.title AS title,
               head([(p)-[:IN_UNIT]->(u:OrgUnit) | u.code]) AS unit,
               head([(p)-[:LEADS]->(s:OrgUnit) | s.code]) AS leads,
               coalesce(p.actsForHead, false) AS actsForHead
        """
    )
    for row in regulations:
        row["decisionDate"] = _native(row["decisionDate"])
    return {"units": units, "regulations": regulations, "clauses": clauses, "positions": positions}


# --- import writes ---------------------------------------------------------------------------


async def write_units(tx: Tx, units: Sequence[dict[str, Any]]) -> None:
    await tx.run(
        """
        UNWIND $units AS u
        MERGE (n:OrgUnit {code: u.code})
        SET n.updatedAt = CASE
                WHEN n.updatedAt IS NULL
                     OR coalesce(n {.kind, .nameAz, .nameEn} <> u {.kind, .nameAz, .nameEn}, true)
                THEN datetime() ELSE n.updatedAt END
        SET n.kind = u.kind, n.nameAz = u.nameAz, n.nameEn = u.nameEn, n.nameFold = u.nameFold,
            n.nameSortKey = u.keys.nameSortKey, n.searchText = u.keys.searchText
        """,
        # the derived keys are added here, not in ``unit_rows``, which compares with read_state
        {
            "units": [
                {**u, "keys": name_keys(u["nameAz"], u["nameEn"], code=u["code"])} for u in units
            ]
        },
    )
    await tx.run(
        """
        UNWIND $units AS u
        MATCH (n:OrgUnit {code: u.code})
        OPTIONAL MATCH (n)-[stale:PART_OF]->(old:OrgUnit)
          WHERE u.parent IS NULL OR old.code <> u.parent
        DELETE stale
        WITH DISTINCT n, u WHERE u.parent IS NOT NULL
        MATCH (p:OrgUnit {code: u.parent})
        MERGE (n)-[:PART_OF]->(p)
        """,
        {"units": list(units)},
    )


async def write_regulations(tx: Tx, regulations: Sequence[dict[str, Any]]) -> None:
    await tx.run(
        """
        UNWIND $regulations AS r
        MERGE (n:Regulation {code: r.code})
        SET n.title = r.title, n.decisionNumber = r.decisionNumber,
            n.decisionDate = r.decisionDate, n.sections = r.sections
        WITH n, r
        MATCH (u:OrgUnit {code: r.unit})
        MERGE (n)-[:REGULATES]->(u)
        """,
        {"regulations": list(regulations)},
    )


async def write_clauses(tx: Tx, clauses: Sequence[dict[str, Any]], now: datetime) -> None:
    """Upsert clauses; a changed text first moves the old one to a ClauseRevision.

    Revisions form a chain, newest first: (Clause)-[:PREVIOUS]->(rev)-[:PREVIOUS]->(older).
    Clauses the text no longer has stay in the graph with ``current = false``.
    """
    await tx.run(
        """
        UNWIND $clauses AS c
        MERGE (cl:Clause {key: c.key})
        WITH cl, c, cl.text AS oldText, cl.textHash AS oldHash
        CALL (cl, c, oldText, oldHash) {
            WITH * WHERE oldHash IS NOT NULL AND oldHash <> c.textHash
            OPTIONAL MATCH (cl)-[old:PREVIOUS]->(prev:ClauseRevision)
            CREATE (cl)-[:PREVIOUS]->(rev:ClauseRevision
                {text: oldText, textHash: oldHash, validUntil: $now})
            FOREACH (p IN CASE WHEN prev IS NULL THEN [] ELSE [prev] END |
                CREATE (rev)-[:PREVIOUS]->(p))
            DELETE old
        }
        SET cl.regulationCode = c.regulationCode, cl.section = c.section,
            cl.number = c.number, cl.text = c.text, cl.textHash = c.textHash,
            cl.amended = c.amended, cl.current = c.current, cl.sortKey = c.sortKey,
            cl.searchText = c.searchText
        WITH cl, c
        MATCH (r:Regulation {code: c.regulationCode})
        MERGE (cl)-[:OF]->(r)
        WITH cl, c
        OPTIONAL MATCH (cl)-[stale:CONCERNS]->(old:OrgUnit) WHERE old.code <> c.concerns
        DELETE stale
        WITH DISTINCT cl, c
        MATCH (u:OrgUnit {code: c.concerns})
        MERGE (cl)-[:CONCERNS]->(u)
        """,
        {
            "clauses": [{**c, "searchText": search_text(c["text"], c["number"])} for c in clauses],
            "now": now,
        },
    )
    await tx.run(
        """
        MATCH (c:Clause) WHERE c.current AND NOT c.key IN $keys
        SET c.current = false, c.retiredAt = $now
        """,
        {"keys": [c["key"] for c in clauses], "now": now},
    )


async def write_positions(tx: Tx, positions: Sequence[dict[str, Any]]) -> None:
    await tx.run(
        """
        UNWIND $positions AS p
        MERGE (n:Position {code: p.code})
        SET n.kind = p.kind, n.title = p.title, n.actsForHead = p.actsForHead
        WITH n, p
        OPTIONAL MATCH (n)-[stale:IN_UNIT|LEADS]->(:OrgUnit)
        DELETE stale
        WITH DISTINCT n, p
        MATCH (u:OrgUnit {code: p.unit})
        MERGE (n)-[:IN_UNIT]->(u)
        WITH n, p WHERE p.leads IS NOT NULL
        MATCH (s:OrgUnit {code: p.leads})
        MERGE (n)-[:LEADS]->(s)
        """,
        {"positions": list(positions)},
    )
