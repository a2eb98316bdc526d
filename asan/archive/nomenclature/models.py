"""A year's nomenclature of cases as a plain value, and its approval states."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

DRAFT: Final = "draft"
COMPILED: Final = "compiled"
APPROVED: Final = "approved"
STATUSES: Final = (DRAFT, COMPILED, APPROVED)


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


@dataclass(frozen=True)
class Nomenclature:
    year: int
    status: str
    created_at: datetime
    compiled_at: datetime | None
    approved_at: datetime | None
    approved_by: str | None
    cases: int
    units: int

    @classmethod
    def of(cls, row: Any) -> Nomenclature:
        return cls(
            year=int(row["year"]),
            status=row["status"],
            created_at=_native(row["createdAt"]),
            compiled_at=_native(row["compiledAt"]),
            approved_at=_native(row["approvedAt"]),
            approved_by=row["approvedBy"],
            cases=int(row["cases"] or 0),
            units=int(row["units"] or 0),
        )
