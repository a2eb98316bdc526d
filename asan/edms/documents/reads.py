"""Reads of documents, journals and timelines, filtered by what the caller may see.

A single document goes through the policy (``edms.document.read``: NOT_FOUND for a secret the
caller may not see); lists and their counts AND in ``access.visible_where``, so invisible
documents are absent from pages and totals alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from asan.auth.policy import can, is_admin
from asan.auth.principal import Principal
from asan.core.platform import Platform
from asan.core.text import fold
from asan.edms.documents import repository as repo
from asan.edms.documents.access import to_resource, visible_where
from asan.edms.documents.models import DocumentEvent

TIMELINE_LIMIT = 500  # steps of one document shown (a document's way has a few dozen)


def native(value: Any) -> Any:
    """Neo4j temporal values as Python's (the driver's own types otherwise)."""
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


def _plain_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: native(v) for k, v in row.items()}


@dataclass(frozen=True)
class DocumentFilter:
    kind: str | None = None
    status: str | None = None
    journal: str | None = None
    year: int | None = None
    unit: str | None = None
    classification: str | None = None
    text: str | None = None  # folded; matched against the subject and the numbers
    involving_me: bool = False
    sample: bool | None = None


async def documents_by_ids(
    platform: Platform, principal: Principal, ids: Sequence[str]
) -> list[dict[str, Any] | None]:
    """Rows in ``ids`` order; None for a missing id or one the caller may not see."""
    rows = await platform.db.read(
        "MATCH (d:Document) WHERE d.id IN $ids RETURN " + repo.DOCUMENT_FIELDS + " AS d",
        {"ids": list(dict.fromkeys(ids))},
    )
    found = {r["d"]["id"]: r["d"] for r in rows}
    out: list[dict[str, Any] | None] = []
    for document_id in ids:
        row = found.get(document_id)
        visible = row is not None and can(principal, "edms.document.read", to_resource(row))
        out.append(_plain_row(row) if row is not None and visible else None)
    return out


async def document(
    platform: Platform, principal: Principal, document_id: str
) -> dict[str, Any] | None:
    return (await documents_by_ids(platform, principal, [document_id]))[0]


def _filter_params(flt: DocumentFilter, principal: Principal) -> dict[str, Any]:
    return {
        "kind": flt.kind,
        "status": flt.status,
        "journal": flt.journal,
        "year": flt.year,
        "unit": flt.unit,
        "classification": flt.classification,
        "text": fold(flt.text) if flt.text else None,
        "me": principal.subject if flt.involving_me else None,
        "sample": flt.sample,
    }


_FILTER = """
  ($kind IS NULL OR d.kind = $kind) AND ($status IS NULL OR d.status = $status)
  AND ($journal IS NULL OR d.journalCode = $journal) AND ($year IS NULL OR d.regYear = $year)
  AND ($unit IS NULL OR d.unit = $unit)
  AND ($classification IS NULL OR d.classification = $classification)
  AND ($me IS NULL OR $me IN coalesce(d.involved, []))
  AND ($sample IS NULL OR coalesce(d.sample, false) = $sample)
  AND ($text IS NULL OR d.subjectFold CONTAINS $text OR d.regNumber = $rawText
       OR d.correspondentNumber = $rawText)
"""


async def list_documents(
    platform: Platform,
    principal: Principal,
    flt: DocumentFilter,
    *,
    after: list[Any] | None,
    limit: int,
) -> tuple[list[dict[str, Any]], int]:
    """Newest first, keyset-paged by (createdAt, id); the total counts visible rows only."""
    visible, params = visible_where("d", principal)
    params.update(_filter_params(flt, principal))
    params["rawText"] = flt.text
    params["after"] = after
    params["limit"] = limit
    where = _FILTER + " AND " + visible
    rows = await platform.db.read(
        "MATCH (d:Document) WHERE "
        + where
        + " AND ($after IS NULL OR d.createdAt < datetime($after[0]) OR "
        "(d.createdAt = datetime($after[0]) AND d.id < $after[1])) "
        "RETURN " + repo.DOCUMENT_FIELDS + " AS d ORDER BY d.createdAt DESC, d.id DESC "
        "LIMIT $limit",
        params,
    )
    total = await platform.db.read(
        "MATCH (d:Document) WHERE " + where + " RETURN count(d) AS n", params
    )
    return [_plain_row(r["d"]) for r in rows], int(total[0]["n"])


def cursor_of(row: dict[str, Any]) -> list[Any]:
    created = row["createdAt"]
    return [created.isoformat() if isinstance(created, datetime) else str(created), row["id"]]


async def journals(platform: Platform, principal: Principal, year: int) -> list[dict[str, Any]]:
    """The journals; ``lastSeq`` only for registrars and administrators (it counts documents
    of every classification, secrets included), None for everyone else."""
    async with platform.db.read_transaction() as tx:
        rows = await repo.journal_rows(tx, year)
    if not (principal.has_role("registrar") or is_admin(principal)):
        rows = [{**r, "lastSeq": None} for r in rows]
    return rows


async def timeline(
    platform: Platform, principal: Principal, document_id: str
) -> list[DocumentEvent] | None:
    """The steps of a document, oldest first; None when it is missing or invisible."""
    if await document(platform, principal, document_id) is None:
        return None
    rows = await platform.db.read(
        """
        MATCH (e:DocumentEvent {documentId: $id})
        RETURN e.id AS id, e.documentId AS documentId, e.at AS at, e.step AS step,
               e.actor AS actor, e.actingFor AS actingFor, e.details AS details
        ORDER BY e.at, e.id LIMIT $limit
        """,
        {"id": document_id, "limit": TIMELINE_LIMIT},
    )
    return [
        DocumentEvent(
            r["id"],
            r["documentId"],
            native(r["at"]).isoformat(),
            r["step"],
            r["actor"],
            r["actingFor"],
            r["details"],
        )
        for r in rows
    ]


def as_date(value: Any) -> date | None:
    value = native(value)
    return value if isinstance(value, date) else None
