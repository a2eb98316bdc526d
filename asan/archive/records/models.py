"""An archived record: one file version of a case's document, as kept in the archive bucket.

The record pins the object's version id: later versions under the same key (anyone may add
one, Object Lock protects versions, not keys) never replace what was archived. Its SHA-256 is
the one recorded when the file was first stored by the document system and checked again at
ingest; the fixity audit compares the object against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

# fixity: where the record's last audit left it
UNCHECKED: Final = "unchecked"  # never audited since ingest (ingest itself hashed the bytes)
OK: Final = "ok"
MISMATCH: Final = "mismatch"  # the pinned version's bytes no longer hash to the recorded SHA-256
MISSING: Final = "missing"  # the pinned version is gone from the bucket
FIXITY_STATES: Final = (UNCHECKED, OK, MISMATCH, MISSING)


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


@dataclass(frozen=True)
class ArchivedRecord:
    id: str
    case_id: str
    document_id: str
    file_id: str
    role: str
    file_version: int
    filename: str
    content_type: str
    bucket: str
    key: str
    version_id: str | None
    sha256: str
    size: int
    retain_until: datetime | None
    legal_hold: bool
    ingested_at: datetime
    ingested_by: str
    fixity: str
    fixity_checked_at: datetime | None
    destroyed_at: datetime | None
    destroyed_by_act: str | None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> ArchivedRecord:
        return cls(
            id=row["id"],
            case_id=row["caseId"],
            document_id=row["documentId"],
            file_id=row["fileId"],
            role=row["role"],
            file_version=int(row["fileVersion"]),
            filename=row["filename"],
            content_type=row["contentType"],
            bucket=row["bucket"],
            key=row["key"],
            version_id=row["versionId"],
            sha256=row["sha256"],
            size=int(row["size"]),
            retain_until=_native(row["retainUntil"]),
            legal_hold=bool(row["legalHold"]),
            ingested_at=_native(row["ingestedAt"]),
            ingested_by=row["ingestedBy"],
            fixity=row["fixity"],
            fixity_checked_at=_native(row["fixityCheckedAt"]),
            destroyed_at=_native(row["destroyedAt"]),
            destroyed_by_act=row["destroyedByAct"],
        )


@dataclass(frozen=True)
class IngestReport:
    """What one ingest of a case did; ``skipped`` were archived by an earlier (resumed) run."""

    case_id: str
    ingested: int
    skipped: int
    bytes: int
