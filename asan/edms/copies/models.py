"""Certified copies (əslinə uyğunluğu təsdiq edilmiş surət) as use cases return them.

A certified copy is a new ``DocumentFile`` (role ``certified_copy``, derived from the original
version) carrying a visible mark "Əslinə uyğundur" with the certifier, their position, the date,
the original version's SHA-256 and a verification code, PAdES-signed with the certifier's key;
a ``(:CertifiedCopy)`` node binds the code to both hashes so anyone holding the copy can check it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

MARK: Final = "Əslinə uyğundur"


@dataclass(frozen=True)
class CertifiedCopy:
    code: str
    document_id: str
    copy_file_id: str
    original_file_id: str
    original_sha256: str
    copy_sha256: str
    certified_by: str
    certifier_name: str
    position: str | None
    unit: str | None
    certified_at: datetime
    reg_number: str | None
    acting_for: str | None

    @classmethod
    def of(cls, row: Any) -> CertifiedCopy:
        at = row["certifiedAt"]
        at = at.to_native() if hasattr(at, "to_native") else at
        return cls(
            code=row["code"],
            document_id=row["documentId"],
            copy_file_id=row["copyFileId"],
            original_file_id=row["originalFileId"],
            original_sha256=row["originalSha256"],
            copy_sha256=row["copySha256"],
            certified_by=row["certifiedBy"],
            certifier_name=row["certifierName"],
            position=row["position"],
            unit=row["unit"],
            certified_at=at,
            reg_number=row["regNumber"],
            acting_for=row["actingFor"],
        )


@dataclass(frozen=True)
class Verification:
    """What ``verifyCertifiedCopy`` answers anyone (no document content, only the binding)."""

    found: bool
    copy: CertifiedCopy | None = None
    # the original version is still stored and its bytes hash to what the copy names
    original_matches: bool = False
    # an uploaded file is byte for byte the certified copy (None: checked by code only)
    copy_matches: bool | None = None
    # the copy's PAdES signature verifies against the agency's trust roots (uploads only)
    signature_valid: bool | None = None
    problems: tuple[str, ...] = ()
