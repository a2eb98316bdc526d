"""A signature as stored: ``(:Signature)-[:OF]->(:Document)``, ``-[:SIGNS]->(:DocumentFile)``.

``kind`` is ``pades`` (the signature is inside the signed PDF) or ``jws`` (a detached JWS over
``statement``, the JSON about the file that was signed). ``actingFor`` is the head the signer
signed for within a delegation; ``verificationCode`` is printed in the visible block.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asan.edms.signatures.status import SignatureCheck

PADES = "pades"
JWS = "jws"


@dataclass(frozen=True)
class SignatureRecord:
    id: str
    document_id: str
    file_id: str
    kind: str
    sha256: str
    signer: str
    signer_name: str | None
    acting_for: str | None
    acting_for_name: str | None
    signed_at: datetime
    reg_number: str | None
    verification_code: str
    certificate_serial: str
    jws: str | None = None
    statement: dict[str, Any] | None = None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> SignatureRecord:
        at = row["signedAt"]
        to_native = getattr(at, "to_native", None)
        return cls(
            id=row["id"],
            document_id=row["documentId"],
            file_id=row["fileId"],
            kind=row["kind"],
            sha256=row["sha256"],
            signer=row["signer"],
            signer_name=row.get("signerName"),
            acting_for=row.get("actingFor"),
            acting_for_name=row.get("actingForName"),
            signed_at=to_native() if callable(to_native) else at,
            reg_number=row.get("regNumber"),
            verification_code=row["verificationCode"],
            certificate_serial=row["certificateSerial"],
            jws=row.get("jws"),
            statement=json.loads(row["statement"]) if row.get("statement") else None,
        )


@dataclass(frozen=True)
class Verification:
    """A verdict on one signed file: what the graph recorded (if known), what the bytes say."""

    check: SignatureCheck
    record: SignatureRecord | None
    kind: str
    error: str | None = None

    @property
    def valid(self) -> bool:
        return self.error is None and self.check.ok
