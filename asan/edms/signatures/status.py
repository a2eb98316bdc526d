"""One verdict shape for every signature kind (PAdES in a PDF, detached JWS beside a file).

Certificate statuses: ``valid`` (chains to a configured root, within its validity, not known
to be revoked), ``expired`` (or not yet valid), ``revoked``, ``revocation_unknown`` (the
revocation status was required and could not be obtained) and ``untrusted`` (no chain to a
configured root, or the chain is broken).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

VALID = "valid"
EXPIRED = "expired"
REVOKED = "revoked"
REVOCATION_UNKNOWN = "revocation_unknown"
UNTRUSTED = "untrusted"
CERTIFICATE_STATUSES = (VALID, EXPIRED, REVOKED, REVOCATION_UNKNOWN, UNTRUSTED)


def certificate_status(trusted: bool, problem: Any) -> str:
    """Map pyHanko's AdES sub-indication (an enum member or None) to our five statuses."""
    if trusted and problem is None:
        return VALID
    name = getattr(problem, "name", "") or ""
    if "REVOKED" in name:
        return REVOKED
    if name in ("EXPIRED", "NOT_YET_VALID", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED"):
        return EXPIRED
    if name in ("TRY_LATER", "REVOCATION_OUT_OF_BOUNDS_NO_POE"):
        return REVOCATION_UNKNOWN
    return UNTRUSTED


@dataclass(frozen=True)
class SignatureCheck:
    """What verification found about one signature."""

    field: str | None
    signer_name: str | None
    signer_id: str | None
    certificate_serial: str | None
    signed_at: datetime | None
    intact: bool  # the signed bytes are unchanged and the signature value checks out
    covers_whole_file: bool
    certificate_status: str
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.intact and self.covers_whole_file and self.certificate_status == VALID

    @classmethod
    def broken(cls, field: str | None, reason: str) -> SignatureCheck:
        return cls(
            field=field,
            signer_name=None,
            signer_id=None,
            certificate_serial=None,
            signed_at=None,
            intact=False,
            covers_whole_file=False,
            certificate_status=UNTRUSTED,
            problems=(f"imza yoxlanmadı / the signature could not be checked: {reason}",),
        )
