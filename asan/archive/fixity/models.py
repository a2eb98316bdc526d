"""A fixity audit's report and the problems it found.

The problem kinds go one further than the record's fixity: ``overwritten`` means the pinned
version is intact (its record stays ``ok``) but someone put a newer version, or a delete
marker, on top of its key behind the system's back. Nothing is lost, yet whoever reads the key
without a version id no longer gets the archived bytes, so it is reported like damage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from asan.archive.records.models import MISMATCH, MISSING

# how a run was started
CLI: Final = "cli"
SCHEDULE: Final = "schedule"
API: Final = "api"
TRIGGERS: Final = (CLI, SCHEDULE, API)

RUNNING: Final = "running"
FINISHED: Final = "finished"
FAILED: Final = "failed"
STATUSES: Final = (RUNNING, FINISHED, FAILED)

# problem kinds: the first two are also the record's fixity
OVERWRITTEN: Final = "overwritten"
PROBLEM_KINDS: Final = (MISMATCH, MISSING, OVERWRITTEN)
DELETE_MARKER: Final = "delete-marker"  # ``actual`` of an overwritten key whose newest is one


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


@dataclass(frozen=True)
class FixityReport:
    id: str
    case_id: str | None  # None: the whole archive
    trigger: str
    status: str
    started_at: datetime
    started_by: str
    finished_at: datetime | None
    checked: int
    ok: int
    mismatched: int
    missing: int
    overwritten: int
    bytes: int
    seconds: float | None
    error: str | None

    @property
    def problems(self) -> int:
        return self.mismatched + self.missing + self.overwritten

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> FixityReport:
        seconds = row["seconds"]
        return cls(
            id=row["id"],
            case_id=row["caseId"],
            trigger=row["trigger"],
            status=row["status"],
            started_at=_native(row["startedAt"]),
            started_by=row["startedBy"],
            finished_at=_native(row["finishedAt"]),
            checked=int(row["checked"]),
            ok=int(row["ok"]),
            mismatched=int(row["mismatched"]),
            missing=int(row["missing"]),
            overwritten=int(row["overwritten"]),
            bytes=int(row["bytes"]),
            seconds=None if seconds is None else float(seconds),
            error=row["error"],
        )


@dataclass(frozen=True)
class FixityProblem:
    id: str
    report_id: str
    record_id: str
    case_id: str
    case_index: str | None
    key: str
    version_id: str | None
    kind: str
    expected: str  # the recorded SHA-256, or the pinned version id (overwritten)
    actual: str | None  # the SHA-256 read, None when missing, the newest version id
    at: datetime

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> FixityProblem:
        return cls(
            id=row["id"],
            report_id=row["reportId"],
            record_id=row["recordId"],
            case_id=row["caseId"],
            case_index=row["caseIndex"],
            key=row["key"],
            version_id=row["versionId"],
            kind=row["kind"],
            expected=row["expected"],
            actual=row["actual"],
            at=_native(row["at"]),
        )
