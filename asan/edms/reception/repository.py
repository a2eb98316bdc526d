"""Every Cypher statement of the reception (parameterised; callers pass a Tx)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from asan.core.db import Tx

SLOT_FIELDS = (
    "s {.id, .official, .officialName, .position, .unit, .startsAt, .endsAt, .place, "
    ".capacity, .status}"
)
VISIT_FIELDS = (
    "v {.id, .slotId, .visitorName, .contact, .address, .matter, .matterUnit, .status, "
    ".registeredAt, .receivedAt, .notes, .appealId}"
)


async def leadership_position(
    tx: Tx, username: str, on: date, kinds: list[str]
) -> dict[str, Any] | None:
    """The official's current leadership position and its unit (the highest first)."""
    rows = await tx.run(
        """
        MATCH (u:User {username: $username})-[h:HOLDS]->(p:Position)-[:IN_UNIT]->(o:OrgUnit)
        WHERE p.kind IN $kinds AND h.validFrom <= $on
          AND (h.validUntil IS NULL OR h.validUntil >= $on)
        RETURN u.id AS user, coalesce(u.displayName, u.username) AS name, p.code AS position,
               o.code AS unit
        ORDER BY CASE p.kind WHEN 'chairman' THEN 0 WHEN 'head' THEN 1
                 WHEN 'deputy_head' THEN 2 ELSE 3 END
        LIMIT 1
        """,
        {"username": username, "on": on, "kinds": kinds},
    )
    return rows[0] if rows else None


async def unit_exists(tx: Tx, code: str) -> bool:
    rows = await tx.run("MATCH (o:OrgUnit {code: $code}) RETURN count(o) AS n", {"code": code})
    return bool(rows and rows[0]["n"])


async def create_slot(tx: Tx, props: dict[str, Any]) -> None:
    await tx.run("CREATE (s:ReceptionSlot) SET s = $props", {"props": props})


async def lock_slot(tx: Tx, slot_id: str) -> dict[str, Any] | None:
    """The slot under its write lock (bookings for it queue here), with its booked count."""
    rows = await tx.run(
        "MATCH (s:ReceptionSlot {id: $id}) SET s._lock = true REMOVE s._lock "
        "WITH s OPTIONAL MATCH (v:ReceptionVisit {slotId: s.id}) WHERE v.status <> 'cancelled' "
        "RETURN " + SLOT_FIELDS + " AS s, count(v) AS booked",
        {"id": slot_id},
    )
    return {**rows[0]["s"], "booked": rows[0]["booked"]} if rows else None


async def competent(tx: Tx, slot_unit: str, matter_unit: str) -> bool:
    """The slot's unit is the matter's unit or one it is part of."""
    rows = await tx.run(
        """
        MATCH (m:OrgUnit {code: $matter})
        RETURN m.code = $slot OR EXISTS { (m)-[:PART_OF*1..6]->(:OrgUnit {code: $slot}) } AS ok
        """,
        {"matter": matter_unit, "slot": slot_unit},
    )
    return bool(rows and rows[0]["ok"])


async def competent_slots(tx: Tx, matter_unit: str, after: datetime, limit: int = 20) -> list[str]:
    """Upcoming scheduled slots competent for the matter: the nearest unit, then the earliest."""
    rows = await tx.run(
        """
        MATCH path = (m:OrgUnit {code: $matter})-[:PART_OF*0..6]->(o:OrgUnit)
        MATCH (s:ReceptionSlot {unit: o.code, status: 'scheduled'}) WHERE s.startsAt >= $after
        RETURN s.id AS id ORDER BY length(path), s.startsAt LIMIT $limit
        """,
        {"matter": matter_unit, "after": after, "limit": limit},
    )
    return [str(r["id"]) for r in rows]


async def create_visit(tx: Tx, props: dict[str, Any]) -> None:
    await tx.run(
        "MATCH (s:ReceptionSlot {id: $slot}) CREATE (v:ReceptionVisit)-[:AT]->(s) SET v = $props",
        {"slot": props["slotId"], "props": props},
    )


async def visit_row(tx: Tx, visit_id: str) -> dict[str, Any] | None:
    rows = await tx.run(
        "MATCH (v:ReceptionVisit {id: $id}) SET v._lock = true REMOVE v._lock "
        "WITH v MATCH (s:ReceptionSlot {id: v.slotId}) "
        "RETURN " + VISIT_FIELDS + " AS v, s.official AS official, s.unit AS unit",
        {"id": visit_id},
    )
    return (
        {**rows[0]["v"], "official": rows[0]["official"], "unit": rows[0]["unit"]} if rows else None
    )


async def set_visit(tx: Tx, visit_id: str, props: dict[str, Any]) -> None:
    await tx.run(
        "MATCH (v:ReceptionVisit {id: $id}) SET v += $props", {"id": visit_id, "props": props}
    )


async def slots_between(
    tx: Tx, start: datetime, end: datetime, unit: str | None, limit: int
) -> list[dict[str, Any]]:
    rows = await tx.run(
        """
        MATCH (s:ReceptionSlot) WHERE s.startsAt >= $start AND s.startsAt < $end
          AND ($unit IS NULL OR s.unit = $unit)
        OPTIONAL MATCH (v:ReceptionVisit {slotId: s.id}) WHERE v.status <> 'cancelled'
        WITH s, count(v) AS booked
        RETURN """
        + SLOT_FIELDS
        + """ AS s, booked ORDER BY s.startsAt, s.id LIMIT $limit
        """,
        {"start": start, "end": end, "unit": unit, "limit": limit},
    )
    return [{**r["s"], "booked": r["booked"]} for r in rows]


async def visits_of(tx: Tx, slot_ids: list[str]) -> list[dict[str, Any]]:
    return await tx.run(
        "UNWIND $ids AS sid MATCH (v:ReceptionVisit {slotId: sid}) "
        "RETURN " + VISIT_FIELDS + " AS v ORDER BY v.registeredAt",
        {"ids": slot_ids},
    )


async def slot_of_visit(tx: Tx, visit_id: str) -> dict[str, Any] | None:
    """Who receives the visitor and for which unit (the visit's policy resource)."""
    rows = await tx.run(
        "MATCH (v:ReceptionVisit {id: $id})-[:AT]->(s:ReceptionSlot) "
        "RETURN s.official AS official, s.unit AS unit",
        {"id": visit_id},
    )
    return rows[0] if rows else None


async def slot_row_of_visit(tx: Tx, visit_id: str) -> dict[str, Any] | None:
    rows = await tx.run(
        "MATCH (:ReceptionVisit {id: $id})-[:AT]->(s:ReceptionSlot) "
        "OPTIONAL MATCH (v:ReceptionVisit {slotId: s.id}) WHERE v.status <> 'cancelled' "
        "WITH s, count(v) AS booked RETURN " + SLOT_FIELDS + " AS s, booked",
        {"id": visit_id},
    )
    return {**rows[0]["s"], "booked": rows[0]["booked"]} if rows else None
