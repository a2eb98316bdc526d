"""Every Cypher statement of documents and journals (parameterised; callers pass a Tx)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from asan.core.db import Tx
from asan.core.text import fold
from asan.edms.documents.models import DocumentCard, RegNumber

DOCUMENT_FIELDS = (
    "d {.id, .kind, .status, .journalCode, .regNumber, .regDate, .regYear, .regSeq, .subject, "
    ".summary, .pages, .attachments, .channel, .language, .classification, .caseIndex, .unit, "
    ".correspondentKind, .correspondentBody, .correspondentName, .correspondentNumber, "
    ".correspondentDate, .involved, .createdAt, .createdBy, .updatedAt, .sample}"
)


async def references(
    tx: Tx, body: str | None, unit: str | None, journal: str | None
) -> dict[str, Any]:
    rows = await tx.run(
        """
        OPTIONAL MATCH (b:StateBody {code: $body})
        OPTIONAL MATCH (u:OrgUnit {code: $unit})
        OPTIONAL MATCH (j:Journal {code: $journal})
        RETURN b IS NOT NULL AS body, u IS NOT NULL AS unit, j.kind AS journal
        """,
        {"body": body, "unit": unit, "journal": journal},
    )
    return rows[0]


def card_properties(card: DocumentCard) -> dict[str, Any]:
    return {
        "kind": card.kind,
        "subject": card.subject,
        "subjectFold": fold(card.subject),
        "summary": card.summary,
        "pages": card.pages,
        "attachments": card.attachments,
        "channel": card.channel,
        "language": card.language,
        "classification": card.classification,
        "caseIndex": card.case_index,
        "unit": card.unit,
        "correspondentKind": card.correspondent_kind,
        "correspondentBody": card.correspondent_body,
        "correspondentName": card.correspondent_name,
        "correspondentNumber": card.correspondent_number,
        "correspondentDate": card.correspondent_date,
        "sample": card.sample,
    }


async def create_document(
    tx: Tx, document_id: str, card: DocumentCard, status: str, actor: str
) -> None:
    now = datetime.now(UTC)
    involved = sorted({actor, *card.involved} - {"system", "anonymous"})
    await tx.run(
        """
        CREATE (d:Document {id: $id})
        SET d += $props, d.status = $status, d.involved = $involved, d.createdAt = $now,
            d.updatedAt = $now, d.createdBy = $actor, d.journalCode = $journal
        WITH d
        OPTIONAL MATCH (j:Journal {code: $journal})
        FOREACH (_ IN CASE WHEN j IS NULL THEN [] ELSE [1] END | CREATE (d)-[:IN_JOURNAL]->(j))
        """,
        {
            "id": document_id,
            "props": card_properties(card),
            "status": status,
            "involved": involved,
            "now": now,
            "actor": actor,
            "journal": card.journal_code,
        },
    )


async def set_registration(
    tx: Tx, document_id: str, journal: str, number: RegNumber, on: Any
) -> None:
    """The number, its date and the journal; the (journal, year, seq) constraint backs it."""
    await tx.run(
        """
        MATCH (d:Document {id: $id}), (j:Journal {code: $journal})
        SET d.journalCode = $journal, d.regNumber = $number, d.regDate = $on,
            d.regYear = $year, d.regSeq = $seq
        MERGE (d)-[:IN_JOURNAL]->(j)
        WITH d
        MATCH (d)-[r:IN_JOURNAL]->(other:Journal) WHERE other.code <> $journal
        DELETE r
        """,
        {
            "id": document_id,
            "journal": journal,
            "number": number.number,
            "on": on,
            "year": number.year,
            "seq": number.seq,
        },
    )


async def document_row(tx: Tx, document_id: str) -> dict[str, Any] | None:
    rows = await tx.run(
        "MATCH (d:Document {id: $id}) RETURN " + DOCUMENT_FIELDS + " AS d",
        {"id": document_id},
    )
    return rows[0]["d"] if rows else None


async def update_card(tx: Tx, document_id: str, props: dict[str, Any]) -> None:
    await tx.run(
        "MATCH (d:Document {id: $id}) SET d += $props, d.updatedAt = $now",
        {"id": document_id, "props": props, "now": datetime.now(UTC)},
    )


async def journal_rows(tx: Tx, year: int) -> list[dict[str, Any]]:
    return await tx.run(
        """
        MATCH (j:Journal)
        OPTIONAL MATCH (c:JournalCounter {journal: j.code, year: $year})
        RETURN j.code AS code, j.kind AS kind, j.nameAz AS nameAz, j.nameEn AS nameEn,
               j.pattern AS pattern, coalesce(c.value, 0) AS lastSeq
        ORDER BY j.code
        """,
        {"year": year},
    )


async def configure_journal(
    tx: Tx, code: str, pattern: str | None, name_az: str | None, name_en: str | None
) -> dict[str, Any] | None:
    rows = await tx.run(
        """
        MATCH (j:Journal {code: $code})
        WITH j, j {.pattern, .nameAz, .nameEn, .kind} AS old
        SET j.pattern = coalesce($pattern, j.pattern), j.nameAz = coalesce($nameAz, j.nameAz),
            j.nameEn = coalesce($nameEn, j.nameEn)
        RETURN old
        """,
        {"code": code, "pattern": pattern, "nameAz": name_az, "nameEn": name_en},
    )
    return rows[0]["old"] if rows else None


async def create_journal(
    tx: Tx, code: str, kind: str, name_az: str, name_en: str, pattern: str
) -> None:
    await tx.run(
        "CREATE (:Journal {code: $code, kind: $kind, nameAz: $nameAz, nameEn: $nameEn, "
        "pattern: $pattern})",
        {"code": code, "kind": kind, "nameAz": name_az, "nameEn": name_en, "pattern": pattern},
    )
