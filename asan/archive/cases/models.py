"""A case (iş) of the nomenclature and its lifecycle, as plain values.

The lifecycle is the archive regulation's: a case is open during its year, closed at the end
of it, kept in the unit's archive, transferred to the agency's archive, and then either
destroyed by an act or kept permanently. The retention clock starts on 1 January after the
closing year, so the disposal date depends only on the closing year and the retention period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

OPEN: Final = "open"
CLOSED: Final = "closed"
UNIT_ARCHIVE: Final = "unit_archive"
TRANSFERRED: Final = "transferred"
DESTROYED: Final = "destroyed"
PERMANENT: Final = "permanent"

# each state's next steps, in the order the regulation lists them
STEPS: Final[dict[str, tuple[str, ...]]] = {
    OPEN: (CLOSED,),
    CLOSED: (UNIT_ARCHIVE,),
    UNIT_ARCHIVE: (TRANSFERRED,),
    TRANSFERRED: (DESTROYED, PERMANENT),
    DESTROYED: (),
    PERMANENT: (),
}
STATUSES: Final = tuple(STEPS)


def disposal_date(closed_year: int, retention_years: int | None, permanent: bool) -> date | None:
    """1 January after the closing year plus the retention years; None for permanent cases."""
    if permanent or retention_years is None:
        return None
    return date(closed_year + 1 + retention_years, 1, 1)


def make_index(unit: str, number: int) -> str:
    """The case's index: the unit's code and the case's number in the unit's list (01, 02...)."""
    return f"{unit}-{number:02d}"


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


@dataclass(frozen=True)
class Case:
    id: str
    year: int
    index: str
    number: int
    title: str
    unit: str
    retention_years: int | None
    permanent: bool
    article: str | None
    expert_review: bool
    status: str
    closed_at: datetime | None
    disposal_date: date | None
    documents: int

    @property
    def allowed_steps(self) -> tuple[str, ...]:
        return STEPS.get(self.status, ())

    @classmethod
    def of(cls, row: Any) -> Case:
        return cls(
            id=row["id"],
            year=int(row["year"]),
            index=row["index"],
            number=int(row["number"]),
            title=row["title"],
            unit=row["unit"],
            retention_years=row["retentionYears"],
            permanent=bool(row["permanent"]),
            article=row["article"],
            expert_review=bool(row["expertReview"]),
            status=row["status"],
            closed_at=_native(row["closedAt"]),
            disposal_date=_native(row["disposalDate"]),
            documents=int(row["documents"] or 0),
        )
