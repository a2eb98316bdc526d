"""Disposition as plain values: decisions of the expert commission and destruction acts.

A decision is kept as a node per decision (its history stays) and the case carries the
latest one, so the calendar and the act read one property. An act lists its cases with a
snapshot of what they held when it was drawn up: the signed PDF says exactly that, and the
execution refuses a case that has gained records since.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

# the expert commission's decisions (ekspert komissiyasının qərarı)
DESTROY: Final = "destroy"  # approve destruction (məhv edilməsinə razılıq)
EXTEND: Final = "extend"  # keep N more years (saxlama müddətinin uzadılması)
PERMANENT: Final = "permanent"  # keep permanently (daimi saxlanma)
DECISIONS: Final = (DESTROY, EXTEND, PERMANENT)
MAX_EXTEND_YEARS: Final = 75
MAX_REASON: Final = 2000

# a destruction act's life (məhv etmə aktı)
DRAFT: Final = "draft"
SIGNED: Final = "signed"
EXECUTING: Final = "executing"
EXECUTED: Final = "executed"
ACT_STATUSES: Final = (DRAFT, SIGNED, EXECUTING, EXECUTED)
OPEN_ACT_STATUSES: Final = (DRAFT, SIGNED, EXECUTING)

# cases the calendar and the acts consider: closed, not destroyed, not permanent
DISPOSABLE_STATUSES: Final = ("closed", "unit_archive", "transferred")


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def act_number(year: int, seq: int) -> str:
    return f"DA-{year}-{seq:03d}"


@dataclass(frozen=True)
class CalendarEntry:
    """A case whose disposal date falls in the asked window, with what decides its fate."""

    case_id: str
    index: str
    year: int
    title: str
    unit: str
    status: str
    retention_years: int | None
    disposal_date: date
    decision: str | None
    decided_at: datetime | None
    decided_by_name: str | None
    decision_reason: str | None
    records: int
    bytes: int
    act_number: str | None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> CalendarEntry:
        return cls(
            case_id=row["id"],
            index=row["index"],
            year=int(row["year"]),
            title=row["title"],
            unit=row["unit"],
            status=row["status"],
            retention_years=row["retentionYears"],
            disposal_date=_native(row["disposalDate"]),
            decision=row["decision"],
            decided_at=_native(row["decidedAt"]),
            decided_by_name=row["decidedByName"],
            decision_reason=row["decisionReason"],
            records=int(row["records"] or 0),
            bytes=int(row["bytes"] or 0),
            act_number=row["actNumber"],
        )


@dataclass(frozen=True)
class ActCase:
    """One case of an act as it stood when the act was drawn up (the PDF's row)."""

    case_id: str
    index: str
    title: str
    year: int
    retention_years: int | None
    disposal_date: date | None
    documents: int
    records: int
    bytes: int
    digest: str  # SHA-256 over the records' "id sha256" lines, sorted by id
    status: str  # the case's status now

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> ActCase:
        return cls(
            case_id=row["caseId"],
            index=row["index"],
            title=row["title"],
            year=int(row["year"]),
            retention_years=row["retentionYears"],
            disposal_date=_native(row["disposalDate"]),
            documents=int(row["documents"] or 0),
            records=int(row["records"] or 0),
            bytes=int(row["bytes"] or 0),
            digest=row["digest"],
            status=row["status"],
        )


@dataclass(frozen=True)
class DestructionAct:
    id: str
    number: str
    year: int
    status: str
    created_by: str
    created_by_name: str
    created_at: datetime
    signed_by: str | None
    signed_by_name: str | None
    signed_at: datetime | None
    document_id: str | None  # the EDMS internal document that carries the signed PDF
    signature_id: str | None
    signed_file_id: str | None
    verification_code: str | None
    records: int
    bytes: int
    destroyed_records: int
    execution_started_at: datetime | None
    executed_at: datetime | None
    executed_by: str | None
    commission: tuple[str, ...]  # who decided the listed cases' destruction (names)
    digest: str  # SHA-256 over the cases' digests: one value for the whole act
    cases: tuple[ActCase, ...]

    @classmethod
    def of(cls, row: Mapping[str, Any], cases: list[ActCase]) -> DestructionAct:
        return cls(
            id=row["id"],
            number=row["number"],
            year=int(row["year"]),
            status=row["status"],
            created_by=row["createdBy"],
            created_by_name=row["createdByName"] or row["createdBy"],
            created_at=_native(row["createdAt"]),
            signed_by=row["signedBy"],
            signed_by_name=row["signedByName"],
            signed_at=_native(row["signedAt"]),
            document_id=row["documentId"],
            signature_id=row["signatureId"],
            signed_file_id=row["signedFileId"],
            verification_code=row["verificationCode"],
            records=int(row["records"] or 0),
            bytes=int(row["bytes"] or 0),
            destroyed_records=int(row["destroyedRecords"] or 0),
            execution_started_at=_native(row["executionStartedAt"]),
            executed_at=_native(row["executedAt"]),
            executed_by=row["executedBy"],
            commission=tuple(row["commission"] or ()),
            digest=row["digest"],
            cases=tuple(cases),
        )


@dataclass(frozen=True)
class ExecutionReport:
    """What one run of an act's execution did; ``already_gone`` were deleted by an earlier
    run that stopped before it could record them (found missing, recorded, not deleted again)."""

    act_id: str
    number: str
    status: str
    deleted: int
    already_gone: int
    cases_destroyed: int
    records_total: int
