"""Every Cypher statement of appeals (parameterised; callers pass a Tx)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Final, LiteralString

from asan.core.db import Tx

APPEAL_FIELDS = (
    "d {.id, .appealType, .status, .regNumber, .regDate, .subject, .summary, .channel, "
    ".centre, .unit, .classification, .applicantName, .applicantAddress, .applicantContact, "
    ".termDays, "
    ".extraStudy, .extensionDays, .dueDate, .forwardDue, .answeredAt, .answerText, "
    ".answerSubstantive, .answeredLate, .forwardedTo, .forwardedAt, .forwardedLate, "
    ".forwardReason, .unconsideredReason, .repeatOf, .repeatCount, .sample}"
)


async def centre_exists(tx: Tx, code: str) -> bool:
    rows = await tx.run("MATCH (c:AsanCentre {code: $code}) RETURN count(c) AS n", {"code": code})
    return bool(rows and rows[0]["n"])


async def body_exists(tx: Tx, code: str) -> bool:
    rows = await tx.run("MATCH (b:StateBody {code: $code}) RETURN count(b) AS n", {"code": code})
    return bool(rows and rows[0]["n"])


async def set_appeal(tx: Tx, document_id: str, props: dict[str, Any]) -> None:
    await tx.run(
        "MATCH (d:Document {id: $id}) SET d += $props", {"id": document_id, "props": props}
    )


async def earlier_appeals(
    tx: Tx,
    document_id: str,
    name_fold: str,
    contact_fold: str | None,
    address_fold: str | None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """The same person's earlier appeals: same folded name and the same contact or address."""
    return await tx.run(
        """
        MATCH (d:Document {kind: 'appeal', applicantFold: $name})
        WHERE d.id <> $id AND (
            ($contact IS NOT NULL AND d.applicantContactFold = $contact)
            OR ($address IS NOT NULL AND d.applicantAddressFold = $address))
        RETURN d.id AS id, d.subject AS subject, d.regDate AS regDate,
               coalesce(d.answerSubstantive, false) AS substantive, d.answeredAt AS answeredAt
        ORDER BY d.createdAt DESC LIMIT $limit
        """,
        {
            "id": document_id,
            "name": name_fold,
            "contact": contact_fold,
            "address": address_fold,
            "limit": limit,
        },
    )


async def link_repeats(tx: Tx, document_id: str, earlier: list[str]) -> None:
    await tx.run(
        """
        MATCH (d:Document {id: $id})
        UNWIND $earlier AS other
        MATCH (e:Document {id: other})
        MERGE (d)-[:REPEATS]->(e)
        """,
        {"id": document_id, "earlier": earlier},
    )


async def substantive_answers_since(tx: Tx, document_id: str, since: datetime) -> int:
    """Substantive answers given to the earlier appeals this one repeats, since ``since``."""
    rows = await tx.run(
        """
        MATCH (:Document {id: $id})-[:REPEATS]->(e:Document)
        WHERE e.answerSubstantive = true AND e.answeredAt >= $since
        RETURN count(e) AS n
        """,
        {"id": document_id, "since": since},
    )
    return int(rows[0]["n"]) if rows else 0


async def appeal_row(tx: Tx, document_id: str) -> dict[str, Any] | None:
    rows = await tx.run(
        "MATCH (d:Document {id: $id, kind: 'appeal'}) RETURN " + APPEAL_FIELDS + " AS d",
        {"id": document_id},
    )
    return rows[0]["d"] if rows else None


async def locked_appeal_row(tx: Tx, document_id: str) -> dict[str, Any] | None:
    """The appeal under its document's write lock: a step reads what no other step changes
    until this transaction ends (two extensions cannot both count from the same total)."""
    rows = await tx.run(
        "MATCH (d:Document {id: $id, kind: 'appeal'}) SET d._lock = true REMOVE d._lock "
        "RETURN " + APPEAL_FIELDS + " AS d",
        {"id": document_id},
    )
    return rows[0]["d"] if rows else None


async def appeal_rows(tx: Tx, ids: list[str]) -> list[dict[str, Any]]:
    return await tx.run(
        "UNWIND $ids AS id MATCH (d:Document {id: id, kind: 'appeal'}) "
        "RETURN " + APPEAL_FIELDS + " AS d",
        {"ids": ids},
    )


async def repeated_ids(tx: Tx, document_id: str, limit: int) -> list[str]:
    rows = await tx.run(
        """
        MATCH (:Document {id: $id})-[:REPEATS]->(e:Document)
        RETURN e.id AS id ORDER BY e.createdAt DESC LIMIT $limit
        """,
        {"id": document_id, "limit": limit},
    )
    return [str(r["id"]) for r in rows]


async def repeated_by_ids(tx: Tx, document_id: str, limit: int) -> list[str]:
    """Ids of the later appeals that repeat this one (the other way of ``REPEATS``)."""
    rows = await tx.run(
        """
        MATCH (:Document {id: $id})<-[:REPEATS]-(e:Document)
        RETURN e.id AS id ORDER BY e.createdAt DESC LIMIT $limit
        """,
        {"id": document_id, "limit": limit},
    )
    return [str(r["id"]) for r in rows]


# the folded applicant name without Azerbaijani letters, as ``text.search_fold`` writes a query
PLAIN_APPLICANT: Final = (
    "replace(replace(replace(replace(replace(replace(replace(d.applicantFold, "
    "'ə', 'e'), 'ı', 'i'), 'ç', 'c'), 'ğ', 'g'), 'ö', 'o'), 'ş', 's'), 'ü', 'u')"
)


async def page(
    tx: Tx,
    visible: tuple[LiteralString, dict[str, Any]],
    filters: dict[str, Any],
    after: list[Any] | None,
    limit: int,
) -> tuple[list[dict[str, Any]], int]:
    """Appeals newest first (keyset on createdAt, id), with the count of every match."""
    predicate, params = visible
    where = (
        "d.kind = 'appeal' AND " + predicate + " "
        "AND ($status IS NULL OR d.status = $status) "
        "AND ($type IS NULL OR d.appealType = $type) "
        "AND ($channel IS NULL OR d.channel = $channel) "
        "AND ($centre IS NULL OR d.centre = $centre) "
        "AND ($unit IS NULL OR d.unit = $unit) "
        "AND ($overdueOn IS NULL OR (d.status IN $open AND d.dueDate < $overdueOn)) "
        "AND ($applicant IS NULL OR " + PLAIN_APPLICANT + " CONTAINS $applicant)"
    )
    args = {**params, **filters, "after": after, "limit": limit}
    rows = await tx.run(
        "MATCH (d:Document) WHERE " + where + " "
        "AND ($after IS NULL OR [d.createdAt.epochMillis, d.id] < $after) "
        "RETURN " + APPEAL_FIELDS + " AS d, d.createdAt.epochMillis AS createdAt "
        "ORDER BY createdAt DESC, d.id DESC LIMIT $limit",
        args,
    )
    total = await tx.run("MATCH (d:Document) WHERE " + where + " RETURN count(d) AS n", args)
    return [{**r["d"], "createdAt": r["createdAt"]} for r in rows], int(total[0]["n"])


def date_value(value: Any) -> date | None:
    """A Neo4j date as a Python date (the driver's own type converts with to_native)."""
    if value is None:
        return None
    native = getattr(value, "to_native", None)
    result = native() if native is not None else value
    return result if isinstance(result, date) else None


def datetime_value(value: Any) -> datetime | None:
    if value is None:
        return None
    native = getattr(value, "to_native", None)
    result = native() if native is not None else value
    return result if isinstance(result, datetime) else None
