"""What a stored document file is, as every EDMS part sees it (the files contract).

A ``(:DocumentFile)`` is one immutable version of one file of a document: a new upload of
the same role is a new node and a new object, never an overwrite. Object keys are made of
ids only; the file's name (often Azerbaijani) lives in Neo4j, never in S3 metadata.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

ROLES: Final[tuple[str, ...]] = (
    "original",  # the file as received or uploaded
    "registration_stamp",  # a rendered copy with the registration stamp
    "ocr",  # a searchable copy made by OCR of a scan
    "draft",  # a version of a draft (outgoing, internal, order)
    "signed",  # the signed version (never replaced)
    "certified_copy",  # a copy marked "Əslinə uyğundur"
    "attachment",  # any other attached file
)
# roles made by the system from another version: never processed again
DERIVED_ROLES: Final[frozenset[str]] = frozenset({"registration_stamp", "ocr"})

MAX_WARNINGS: Final = 20  # problems kept per version (the first ones; the rest counted)
DOWNLOAD_PREFIX: Final = "/edms/files/"


def download_path(file_id: str) -> str:
    """Where a version's bytes are served (the read policy is checked there, per request)."""
    return f"{DOWNLOAD_PREFIX}{file_id}/content"


# textStatus: where extraction of a version stands
PENDING: Final = "pending"  # waiting for the processing job
PROCESSING: Final = "processing"  # claimed by a processing job
DONE: Final = "done"  # text extracted (possibly empty, with warnings)
NO_TEXT: Final = "no_text"  # kept without text (damaged, encrypted, refused by the pool)
NOT_APPLICABLE: Final = "not_applicable"  # a type with no text to extract, or a derived copy


@dataclass(frozen=True)
class StoredFile:
    id: str
    document_id: str
    role: str
    version: int
    sha256: str
    size: int
    content_type: str
    filename: str
    object_key: str
    bucket: str
    created_at: datetime
    created_by: str
    text_status: str
    warnings: tuple[str, ...] = ()
    derived_from: str | None = None
    destroyed_by_act: str | None = None  # the archive's destruction act that deleted its bytes

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> StoredFile:
        return cls(
            id=row["id"],
            document_id=row["documentId"],
            role=row["role"],
            version=int(row["version"]),
            sha256=row["sha256"],
            size=int(row["size"]),
            content_type=row["contentType"],
            filename=row["filename"],
            object_key=row["objectKey"],
            bucket=row["bucket"],
            created_at=_native(row["createdAt"]),
            created_by=row["createdBy"],
            text_status=row["textStatus"],
            warnings=tuple(row.get("warnings") or ()),
            derived_from=row.get("derivedFrom"),
            destroyed_by_act=row.get("destroyedByAct"),
        )


def _native(value: Any) -> datetime:
    """Neo4j's DateTime as Python's (the driver hands back its own type)."""
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value  # type: ignore[no-any-return]


def capped_warnings(warnings: list[str] | tuple[str, ...]) -> list[str]:
    """At most ``MAX_WARNINGS``, the last one saying how many more there were."""
    if len(warnings) <= MAX_WARNINGS:
        return list(warnings)
    more = len(warnings) - MAX_WARNINGS + 1
    return [*warnings[: MAX_WARNINGS - 1], f"və daha {more} xəbərdarlıq / and {more} more warnings"]
