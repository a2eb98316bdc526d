"""A hold (saxlama qadağası) on a case: while active, nothing of the case may be destroyed.

A hold is never deleted: lifting it records who lifted it, when and why, so the history of
holds on a case stays readable (an auditor asks why a record outlived its retention).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

LITIGATION: Final = "litigation"  # məhkəmə işi
INVESTIGATION: Final = "investigation"  # araşdırma / istintaq
OTHER: Final = "other"
KINDS: Final = (LITIGATION, INVESTIGATION, OTHER)
MAX_REASON: Final = 1000


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


@dataclass(frozen=True)
class Hold:
    id: str
    case_id: str
    kind: str
    reason: str
    placed_by: str
    placed_by_name: str
    placed_at: datetime
    active: bool
    lifted_by: str | None
    lifted_by_name: str | None
    lifted_at: datetime | None
    lift_reason: str | None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Hold:
        return cls(
            id=row["id"],
            case_id=row["caseId"],
            kind=row["kind"],
            reason=row["reason"],
            placed_by=row["placedBy"],
            placed_by_name=row["placedByName"] or row["placedBy"],
            placed_at=_native(row["placedAt"]),
            active=bool(row["active"]),
            lifted_by=row["liftedBy"],
            lifted_by_name=row["liftedByName"],
            lifted_at=_native(row["liftedAt"]),
            lift_reason=row["liftReason"],
        )

    def describe(self) -> str:
        """Who placed it, when and why: what a refused destruction tells the person."""
        return (
            f"{self.kind}: {self.placed_by_name} ({self.placed_at.date().isoformat()}) — "
            f"{self.reason}"
        )
