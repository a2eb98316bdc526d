"""An export of a case as a BagIt package, and the package's layout.

``(:ArchiveExport {id, caseId, index, year, status, path, bytes, payloadBytes, files, sha256,
classification, createdAt, createdBy, finishedAt, validated, error})-[:OF_CASE]->(:Case)``:
``path`` is the .tar on the server's disk, ``sha256`` the tar's, ``validated`` true only
when bagit validated the bag after writing it. ``classification`` is the highest of the
case's documents: downloads and lists check the caller's clearance against it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from asan.auth.principal import CLEARANCE_LEVELS

WRITING: Final = "writing"  # the bag is being written (or the process died doing it)
DONE: Final = "done"  # written, validated and packed
FAILED: Final = "failed"  # refused while writing (a file that did not match its SHA-256...)
STATUSES: Final = (WRITING, DONE, FAILED)

# what a bag holds under data/ (RFC 8493's payload)
FORMAT: Final = "asan-archive-bag/1"
CASE_FILE: Final = "case.json"
FIXITY_FILE: Final = "fixity.json"
TRUST_ROOTS_FILE: Final = "signatures/trust-roots.pem"
DOCUMENTS_DIR: Final = "documents"
CARD_FILE: Final = "card.json"
SOURCE_ORGANIZATION: Final = "ASAN xidmət (Dövlət Xidmətləri və Sosial İnnovasiyalar Agentliyi)"
DOWNLOAD_PREFIX: Final = "/archive/exports/"


def download_path(export_id: str) -> str:
    """Where the package's .tar is served (the read policy is checked per request)."""
    return f"{DOWNLOAD_PREFIX}{export_id}/bag.tar"


def highest_classification(values: Iterable[str | None]) -> str | None:
    """The strictest of the documents' classifications; None when all are public."""
    rank = 0
    for value in values:
        if value is None or value == CLEARANCE_LEVELS[0]:
            continue
        # an unknown classification counts as the strictest known one
        known = value in CLEARANCE_LEVELS
        rank = max(rank, CLEARANCE_LEVELS.index(value) if known else len(CLEARANCE_LEVELS) - 1)
    return None if rank == 0 else CLEARANCE_LEVELS[rank]


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


@dataclass(frozen=True)
class ArchiveExport:
    id: str
    case_id: str
    index: str
    year: int
    status: str
    path: str | None
    bytes: int | None
    payload_bytes: int | None
    files: int | None
    sha256: str | None
    classification: str | None
    created_at: datetime
    created_by: str
    finished_at: datetime | None
    validated: bool
    error: str | None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> ArchiveExport:
        return cls(
            id=row["id"],
            case_id=row["caseId"],
            index=row["index"],
            year=int(row["year"]),
            status=row["status"],
            path=row.get("path"),
            bytes=row.get("bytes"),
            payload_bytes=row.get("payloadBytes"),
            files=row.get("files"),
            sha256=row.get("sha256"),
            classification=row.get("classification"),
            created_at=_native(row["createdAt"]),
            created_by=row["createdBy"],
            finished_at=_native(row.get("finishedAt")),
            validated=bool(row.get("validated")),
            error=row.get("error"),
        )


@dataclass(frozen=True)
class ImportReport:
    """What an import did; ``already`` when this very package had been imported before."""

    case_id: str
    index: str
    year: int
    documents: int
    files: int
    signatures: int
    bytes: int
    already: bool = False
