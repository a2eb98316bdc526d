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
from asan.core.text import search_fold
from asan.registry.org.models import (
    Clause,
    Delegation,
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


# --- reads for the API (batched) ------------------------------------------------------------


async def units_page(
    db: Database,
    kind: str | None,
    parent_code: str | None,
    after: list[Any] | None,
    limit: int,
    *,
    search: str | None = None,
    backward: bool = False,
    updated_since: datetime | None = None,
) -> tuple[list[OrgUnit], int]:
    """Units in Azerbaijani name order (``nameSortKey``); ``backward``: the rows just before
    ``after``, nearest first; ``search`` without case or Azerbaijani letters, names and code."""
    rows = await db.read(
        """
        MATCH (u:OrgUnit)
        WHERE ($kind IS NULL OR u.kind = $kind)
          AND ($parent IS NULL OR EXISTS { (u)-[:PART_OF]->(:OrgUnit {code: $parent}) })
          AND ($search IS NULL OR u.searchText CONTAINS $search)
          AND ($since IS NULL OR u.updatedAt >= $since)
        WITH u ORDER BY u.nameSortKey, u.code
        WITH collect(u) AS units
        WITH units, CASE WHEN $backward THEN reverse(units) ELSE units END AS ordered
        RETURN size(units) AS total,
               [x IN [y IN ordered WHERE $after IS NULL
                         OR CASE WHEN $backward THEN [y.nameSortKey, y.code] < $after
                                 ELSE [y.nameSortKey, y.code] > $after END][..$limit]
                | x{.*, parent: head([(x)-[:PART_OF]->(p:OrgUnit) | p.code])}] AS page
        """,
        {
            "kind": kind,
            "parent": parent_code,
            "search": search_fold(search) if search else None,
            "since": updated_since,
            "backward": backward,
            "after": after,
            "limit": limit,
        },
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
        RETURN c{.*, parent: code} AS unit ORDER BY c.nameSortKey, c.code
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


async def regulations_by_codes(db: Database, codes: Sequence[str] | None) -> list[Regulation]:
    """The regulations with these codes (every regulation for None), by code."""
    rows = await db.read(
        """
        MATCH (r:Regulation)-[:REGULATES]->(u:OrgUnit)
        WHERE $codes IS NULL OR r.code IN $codes
        RETURN r{.*, unit: u.code} AS regulation ORDER BY r.code
        """,
        {"codes": list(codes) if codes is not None else None},
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
              AND (q.search IS NULL OR c.searchText CONTAINS q.search)
            WITH c ORDER BY c.sortKey, c.key
            WITH collect(c) AS clauses
            WITH clauses, CASE WHEN q.backward THEN reverse(clauses) ELSE clauses END AS ordered
            RETURN size(clauses) AS total,
                   [x IN [y IN ordered WHERE q.after IS NULL
                             OR CASE WHEN q.backward THEN [y.sortKey, y.key] < q.after
                                     ELSE [y.sortKey, y.key] > q.after END]
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
              AND (q.search IS NULL OR c.searchText CONTAINS q.search)
            WITH c ORDER BY c.sortKey, c.key
            WITH collect(c) AS clauses
            WITH clauses, CASE WHEN q.backward THEN reverse(clauses) ELSE clauses END AS ordered
            RETURN size(clauses) AS total,
                   [x IN [y IN ordered WHERE q.after IS NULL
                             OR CASE WHEN q.backward THEN [y.sortKey, y.key] < q.after
                                     ELSE [y.sortKey, y.key] > q.after END]
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
