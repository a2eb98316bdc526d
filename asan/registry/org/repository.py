"""All Cypher of the org structure. Writes take a transaction; batched reads take the database.

Every write is one UNWIND over all records of one kind, so an import costs a fixed number of
queries however many clauses the text has. Every batched read answers many keys in one query
(the GraphQL DataLoaders call these), so a nested GraphQL level costs one round trip.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from asan.core.db import Database, Record, Tx
from asan.registry.org.models import (
    Clause,
    Delegation,
    OrgGraph,
    OrgUnit,
    Position,
    Regulation,
)

# --- conversions ---------------------------------------------------------------------------


def _native(value: Any) -> Any:
    """neo4j.time values to Python's; everything else unchanged."""
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


def to_unit(row: Record) -> OrgUnit:
    return OrgUnit(
        code=row["code"],
        kind=row["kind"],
        name_az=row["nameAz"],
        name_en=row.get("nameEn"),
        name_fold=row["nameFold"],
        parent_code=row.get("parent"),
    )


def to_regulation(row: Record) -> Regulation:
    return Regulation(
        code=row["code"],
        unit_code=row["unit"],
        title=row["title"],
        decision_number=row["decisionNumber"],
        decision_date=_native(row["decisionDate"]),
        sections=tuple(row.get("sections") or ()),
    )


def to_clause(row: Record) -> Clause:
    return Clause(
        key=row["key"],
        regulation_code=row["regulationCode"],
        section=row["section"],
        number=row["number"],
        text=row["text"],
        text_hash=row["textHash"],
        amended=row["amended"],
        current=row["current"],
        sort_key=row["sortKey"],
        concerns_code=row["concerns"],
    )


def to_position(row: Record) -> Position:
    return Position(
        code=row["code"],
        kind=row["kind"],
        title=row["title"],
        unit_code=row["unit"],
        leads_code=row.get("leads"),
        acts_for_head=bool(row.get("actsForHead")),
    )


def to_delegation(row: Record) -> Delegation:
    return Delegation(
        id=row["id"],
        from_position=row["from"],
        to_position=row["to"],
        valid_from=_native(row["validFrom"]),
        valid_until=_native(row["validUntil"]),
        reason=row["reason"],
    )


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
        SET n.kind = u.kind, n.nameAz = u.nameAz, n.nameEn = u.nameEn, n.nameFold = u.nameFold
        """,
        {"units": list(units)},
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
            cl.amended = c.amended, cl.current = c.current, cl.sortKey = c.sortKey
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
        {"clauses": list(clauses), "now": now},
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


# --- reads for the API (batched) ------------------------------------------------------------


async def units_page(
    db: Database, kind: str | None, parent_code: str | None, after: list[Any] | None, limit: int
) -> tuple[list[OrgUnit], int]:
    rows = await db.read(
        """
        MATCH (u:OrgUnit)
        WHERE ($kind IS NULL OR u.kind = $kind)
          AND ($parent IS NULL OR EXISTS { (u)-[:PART_OF]->(:OrgUnit {code: $parent}) })
        WITH u ORDER BY u.nameFold, u.code
        WITH collect(u) AS units
        RETURN size(units) AS total,
               [x IN [y IN units WHERE $after IS NULL OR [y.nameFold, y.code] > $after][..$limit]
                | x{.*, parent: head([(x)-[:PART_OF]->(p:OrgUnit) | p.code])}] AS page
        """,
        {"kind": kind, "parent": parent_code, "after": after, "limit": limit},
    )
    row = rows[0]
    return [to_unit(u) for u in row["page"]], row["total"]


async def units_by_codes(db: Database, codes: Sequence[str]) -> list[OrgUnit]:
    rows = await db.read(
        """
        MATCH (u:OrgUnit) WHERE u.code IN $codes
        RETURN u{.*, parent: head([(u)-[:PART_OF]->(p:OrgUnit) | p.code])} AS unit
        """,
        {"codes": list(codes)},
    )
    return [to_unit(r["unit"]) for r in rows]


async def children_of(db: Database, parent_codes: Sequence[str]) -> list[OrgUnit]:
    rows = await db.read(
        """
        UNWIND $codes AS code
        MATCH (c:OrgUnit)-[:PART_OF]->(:OrgUnit {code: code})
        RETURN c{.*, parent: code} AS unit ORDER BY c.nameFold, c.code
        """,
        {"codes": list(parent_codes)},
    )
    return [to_unit(r["unit"]) for r in rows]


async def regulations_of(db: Database, unit_codes: Sequence[str]) -> list[Regulation]:
    rows = await db.read(
        """
        UNWIND $codes AS code
        MATCH (r:Regulation)-[:REGULATES]->(:OrgUnit {code: code})
        RETURN r{.*, unit: code} AS regulation
        """,
        {"codes": list(unit_codes)},
    )
    return [to_regulation(r["regulation"]) for r in rows]


async def clause_pages_by_regulation(
    db: Database, requests: Sequence[dict[str, Any]]
) -> list[Record]:
    """Many clause pages in one query; each request is {id, owner, section, after, limit}."""
    return await db.read(
        """
        UNWIND $requests AS q
        CALL (q) {
            MATCH (c:Clause {regulationCode: q.owner})
            WHERE c.current AND (q.section IS NULL OR c.section = q.section)
            WITH c ORDER BY c.sortKey, c.key
            WITH collect(c) AS clauses
            RETURN size(clauses) AS total,
                   [x IN [y IN clauses WHERE q.after IS NULL OR [y.sortKey, y.key] > q.after]
                         [..q.limit]
                    | x{.*, concerns: head([(x)-[:CONCERNS]->(u:OrgUnit) | u.code])}] AS page
        }
        RETURN q.id AS id, total, page
        """,
        {"requests": list(requests)},
    )


async def clause_pages_by_unit(db: Database, requests: Sequence[dict[str, Any]]) -> list[Record]:
    """Like clause_pages_by_regulation, for the clauses that CONCERN a unit."""
    return await db.read(
        """
        UNWIND $requests AS q
        CALL (q) {
            MATCH (c:Clause)-[:CONCERNS]->(:OrgUnit {code: q.owner})
            WHERE c.current AND (q.section IS NULL OR c.section = q.section)
            WITH c ORDER BY c.sortKey, c.key
            WITH collect(c) AS clauses
            RETURN size(clauses) AS total,
                   [x IN [y IN clauses WHERE q.after IS NULL OR [y.sortKey, y.key] > q.after]
                         [..q.limit]
                    | x{.*, concerns: q.owner}] AS page
        }
        RETURN q.id AS id, total, page
        """,
        {"requests": list(requests)},
    )


async def positions_of(db: Database, unit_codes: Sequence[str]) -> list[tuple[str, Position]]:
    """(unit code, position) for positions in each unit, or leading it (a deputy's sector)."""
    rows = await db.read(
        """
        UNWIND $codes AS code
        MATCH (u:OrgUnit {code: code})
        MATCH (p:Position) WHERE (p)-[:IN_UNIT]->(u) OR (p)-[:LEADS]->(u)
        RETURN code, p{.*, unit: head([(p)-[:IN_UNIT]->(x:OrgUnit) | x.code]),
                         leads: head([(p)-[:LEADS]->(s:OrgUnit) | s.code])} AS position
        ORDER BY p.code
        """,
        {"codes": list(unit_codes)},
    )
    return [(r["code"], to_position(r["position"])) for r in rows]


async def positions_by_codes(db: Database | Tx, codes: Sequence[str]) -> list[Position]:
    query = """
        MATCH (p:Position) WHERE p.code IN $codes
        RETURN p{.*, unit: head([(p)-[:IN_UNIT]->(x:OrgUnit) | x.code]),
                 leads: head([(p)-[:LEADS]->(s:OrgUnit) | s.code])} AS position
        """
    params = {"codes": list(codes)}
    rows = await (db.read(query, params) if isinstance(db, Database) else db.run(query, params))
    return [to_position(r["position"]) for r in rows]


async def acting_many(db: Database, requests: Sequence[dict[str, Any]]) -> list[Record]:
    """For each {id, unit, on}: the unit's head, and a delegation from it covering ``on``.

    A department's or centre's head is its ``head`` position; the Agency's is the chairman; a
    sector's is its sector head or the deputy head who LEADS it.
    """
    return await db.read(
        """
        UNWIND $requests AS q
        MATCH (u:OrgUnit {code: q.unit})
        OPTIONAL MATCH (h:Position)
          WHERE ((h)-[:IN_UNIT]->(u) AND h.kind IN ['chairman', 'head', 'sector_head'])
             OR (h)-[:LEADS]->(u)
        WITH q, h,
             head([(d:Delegation)-[:FROM]->(h)
                   WHERE d.validFrom <= q.on AND q.on <= d.validUntil | d]) AS d
        OPTIONAL MATCH (d)-[:TO]->(t:Position)
        RETURN q.id AS id,
               h{.*, unit: head([(h)-[:IN_UNIT]->(x:OrgUnit) | x.code]),
                 leads: head([(h)-[:LEADS]->(s:OrgUnit) | s.code])} AS head,
               t{.*, unit: head([(t)-[:IN_UNIT]->(x:OrgUnit) | x.code]),
                 leads: head([(t)-[:LEADS]->(s:OrgUnit) | s.code])} AS acting,
               CASE WHEN d IS NULL THEN NULL ELSE d{.*, from: h.code, to: t.code} END
                 AS delegation
        """,
        {"requests": list(requests)},
    )


async def acting_for_many(db: Database, requests: Sequence[dict[str, Any]]) -> list[Record]:
    """For each {id, code, on}: positions acting for position ``code`` under a delegation."""
    return await db.read(
        """
        UNWIND $requests AS q
        MATCH (d:Delegation)-[:FROM]->(:Position {code: q.code}), (d)-[:TO]->(t:Position)
        WHERE d.validFrom <= q.on AND q.on <= d.validUntil
        RETURN q.id AS id,
               t{.*, unit: head([(t)-[:IN_UNIT]->(x:OrgUnit) | x.code]),
                 leads: head([(t)-[:LEADS]->(s:OrgUnit) | s.code])} AS position
        ORDER BY t.code
        """,
        {"requests": list(requests)},
    )


# --- delegations -----------------------------------------------------------------------------


async def overlapping_delegations(
    tx: Tx, head_code: str, valid_from: date, valid_until: date
) -> list[Delegation]:
    """Delegations of ``head_code`` overlapping the window, after write-locking the head.

    The lock (a counter on the head position) serialises concurrent delegations of one head,
    so two overlapping windows cannot both pass this check and commit.
    """
    rows = await tx.run(
        """
        MATCH (h:Position {code: $head})
        SET h.delegationSeq = coalesce(h.delegationSeq, 0) + 1
        WITH h
        MATCH (d:Delegation)-[:FROM]->(h), (d)-[:TO]->(t:Position)
        WHERE d.validFrom <= $until AND $from <= d.validUntil
        RETURN d{.*, from: h.code, to: t.code} AS delegation
        """,
        {"head": head_code, "from": valid_from, "until": valid_until},
    )
    return [to_delegation(r["delegation"]) for r in rows]


async def create_delegation(tx: Tx, delegation: Delegation, actor: str) -> None:
    fields = asdict(delegation)
    await tx.run(
        """
        MATCH (h:Position {code: $from_position}), (t:Position {code: $to_position})
        CREATE (d:Delegation {id: $id, validFrom: $valid_from, validUntil: $valid_until,
                              reason: $reason, createdAt: datetime(), createdBy: $actor})
        CREATE (d)-[:FROM]->(h), (d)-[:TO]->(t)
        """,
        {**fields, "actor": actor},
    )


async def clauses_by_keys(db: Database, keys: Sequence[str]) -> list[Clause]:
    rows = await db.read(
        """
        MATCH (c:Clause) WHERE c.key IN $keys
        RETURN c{.*, concerns: head([(c)-[:CONCERNS]->(u:OrgUnit) | u.code])} AS clause
        """,
        {"keys": list(keys)},
    )
    return [to_clause(r["clause"]) for r in rows]
