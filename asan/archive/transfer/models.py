"""A transfer inventory (təhvil siyahısı, "opis") and the cases it lists, as plain values.

The inventory is drafted by the unit (its head or a registrar) from cases of one unit and one
year that sit in the unit's archive, submitted, and then accepted by an archivist or returned
with a reason; a returned inventory is corrected and submitted again. Acceptance moves every
listed case to ``transferred``; ingest of the cases' files follows, and its progress is read
from the graph (records per case against files per case), so it is right after a crash too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

DRAFT: Final = "draft"
SUBMITTED: Final = "submitted"
RETURNED: Final = "returned"
ACCEPTED: Final = "accepted"
STATUSES: Final = (DRAFT, SUBMITTED, RETURNED, ACCEPTED)
# an inventory in one of these holds its cases: a case is on one open inventory at a time
OPEN_STATUSES: Final = (DRAFT, SUBMITTED, RETURNED)
EDITABLE: Final = (DRAFT, RETURNED)

# ingest progress of an inventory (computed, never stored)
NOT_STARTED: Final = "not_started"
INCOMPLETE: Final = "incomplete"
COMPLETE: Final = "complete"

MAX_CASES: Final = 500  # cases on one inventory (a unit's year rarely has more than 100)


def inventory_number(year: int, sequence: int) -> str:
    """``TI-2026-0001``: the year the inventory was drawn up and its number in that year."""
    return f"TI-{year}-{sequence:04d}"


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


@dataclass(frozen=True)
class ListedCase:
    """One line of the inventory: the case as it is now and how far its ingest has come."""

    position: int
    case_id: str
    index: str
    title: str
    year: int
    status: str
    retention_years: int | None
    permanent: bool
    closed_at: datetime | None
    disposal_date: date | None
    first_document: date | None  # earliest registration date of its documents
    last_document: date | None
    documents: int
    files: int  # file versions of its documents: what ingest archives
    ingested: int  # archived records of the case

    @property
    def ingest_complete(self) -> bool:
        return self.ingested >= self.files

    @classmethod
    def of(cls, row: Any) -> ListedCase:
        return cls(
            position=int(row["position"]),
            case_id=row["caseId"],
            index=row["index"],
            title=row["title"],
            year=int(row["year"]),
            status=row["status"],
            retention_years=row["retentionYears"],
            permanent=bool(row["permanent"]),
            closed_at=_native(row["closedAt"]),
            disposal_date=_native(row["disposalDate"]),
            first_document=_day(row["firstDocument"]),
            last_document=_day(row["lastDocument"]),
            documents=int(row["documents"] or 0),
            files=int(row["files"] or 0),
            ingested=int(row["ingested"] or 0),
        )


def _day(value: Any) -> date | None:
    value = _native(value)
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


@dataclass(frozen=True)
class Inventory:
    id: str
    number: str
    unit: str
    unit_name: str | None
    year: int
    status: str
    created_by: str
    created_at: datetime
    submitted_at: datetime | None
    submitted_by: str | None
    accepted_at: datetime | None
    accepted_by: str | None
    returned_at: datetime | None
    returned_by: str | None
    returned_reason: str | None
    case_count: int
    files: int
    ingested: int

    @property
    def ingest_status(self) -> str:
        if self.status != ACCEPTED:
            return NOT_STARTED
        return COMPLETE if self.ingested >= self.files else INCOMPLETE

    @classmethod
    def of(cls, row: Any) -> Inventory:
        return cls(
            id=row["id"],
            number=row["number"],
            unit=row["unit"],
            unit_name=row["unitName"],
            year=int(row["year"]),
            status=row["status"],
            created_by=row["createdBy"],
            created_at=_native(row["createdAt"]),
            submitted_at=_native(row["submittedAt"]),
            submitted_by=row["submittedBy"],
            accepted_at=_native(row["acceptedAt"]),
            accepted_by=row["acceptedBy"],
            returned_at=_native(row["returnedAt"]),
            returned_by=row["returnedBy"],
            returned_reason=row["returnedReason"],
            case_count=int(row["cases"] or 0),
            files=int(row["files"] or 0),
            ingested=int(row["ingested"] or 0),
        )
