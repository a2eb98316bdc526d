"""Detached JWS (RFC 7515, appendix F) for files that are not PDFs.

The signed payload is a small JSON statement about the file (its SHA-256, size, name, type,
the document, the signer, whom they acted for, when), not the file itself, so a signature of a
200 MB scan is a few kilobytes. The JWS header carries the signer's certificate chain in
``x5c``: anyone holding the file, the statement and the JWS can check all three with standard
JOSE tools and the agency's root certificate. The compact form is stored with its payload part
empty (``header..signature``); the statement is stored beside it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from jose import jws
from jose.backends.cryptography_backend import CryptographyRSAKey
from jose.exceptions import JOSEError
from pyhanko_certvalidator import CertificateValidator
from pyhanko_certvalidator import errors as cv_errors

from asan.edms.signatures.pki import Credential
from asan.edms.signatures.settings import SignatureSettings
from asan.edms.signatures.signers import asn1_cert, loaded_key, open_signer, validation_context
from asan.edms.signatures.status import (
    EXPIRED,
    REVOCATION_UNKNOWN,
    REVOKED,
    UNTRUSTED,
    VALID,
    SignatureCheck,
)

ALGORITHM = "RS256"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def canonical(statement: Mapping[str, Any]) -> bytes:
    """One byte form per statement, so the stored statement is exactly what was signed."""
    return json.dumps(statement, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def statement_for(data: bytes, metadata: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **metadata,
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
    }


async def sign_detached(
    statement: Mapping[str, Any],
    credential: Credential,
    config: SignatureSettings | None = None,
) -> str:
    """The detached compact JWS of ``statement`` (``header..signature``)."""
    chain = (credential.certificate, *credential.chain)
    headers = {
        "x5c": [
            base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in chain
        ]
    }
    payload = canonical(statement)
    if credential.key_pem is not None:
        key = CryptographyRSAKey(loaded_key(credential.key_pem)[0], ALGORITHM)
        token: str = jws.sign(payload, key, headers=headers, algorithm=ALGORITHM)
        header, _, signature = token.split(".")
        return f"{header}..{signature}"
    # A key on a token cannot be handed to python-jose: sign the JWS input on the token
    # (RS256 is RSASSA-PKCS1-v1_5 over SHA-256, what the token's signer produces).
    header_b64 = _b64url(canonical({"alg": ALGORITHM, **headers}))
    signing_input = f"{header_b64}.{_b64url(payload)}".encode()
    with open_signer(credential, config) as signer:
        raw = await signer.async_sign_raw(signing_input, "sha256")
    return f"{header_b64}..{_b64url(raw)}"


def _chain(token: str) -> list[x509.Certificate]:
    header = jws.get_unverified_header(token)
    return [x509.load_der_x509_certificate(base64.b64decode(c)) for c in header.get("x5c", [])]


async def _certificate_status(
    chain: Sequence[x509.Certificate],
    roots: Sequence[x509.Certificate],
    at: datetime | None,
    crls: Sequence[bytes],
) -> str:
    context = validation_context(roots, at, crls)
    validator = CertificateValidator(
        asn1_cert(chain[0]), [asn1_cert(c) for c in chain[1:]], validation_context=context
    )
    try:
        await validator.async_validate_usage({"digital_signature"})  # type: ignore[no-untyped-call]
    except cv_errors.RevokedError:
        return REVOKED
    except (cv_errors.ExpiredError, cv_errors.NotYetValidError):
        return EXPIRED
    except cv_errors.InsufficientRevinfoError:
        return REVOCATION_UNKNOWN
    except (cv_errors.PathError, cv_errors.ValidationError):
        return UNTRUSTED
    return VALID


async def verify_detached(
    data: bytes,
    statement: Mapping[str, Any],
    token: str,
    roots: Sequence[x509.Certificate],
    *,
    at: datetime | None = None,
    crls: Sequence[bytes] = (),
) -> SignatureCheck:
    """Check the JWS over the statement, the statement against the file, the chain to roots."""
    problems: list[str] = []
    try:
        header, _, signature = token.split(".")
        full = f"{header}.{_b64url(canonical(statement))}.{signature}"
        chain = _chain(full)
        if not chain:
            return SignatureCheck.broken(None, "JWS has no x5c certificate chain")
        public = (
            chain[0]
            .public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        jws.verify(full, public.decode(), algorithms=[ALGORITHM])
        signature_ok = True
    except (JOSEError, ValueError) as exc:
        return SignatureCheck.broken(None, f"{type(exc).__name__}: {exc}")
    file_ok = statement.get("sha256") == hashlib.sha256(data).hexdigest() and statement.get(
        "size"
    ) == len(data)
    if not file_ok:
        problems.append("fayl imzalanandan sonra dəyişib / the file changed after signing")
    status = await _certificate_status(chain, roots, at, crls)
    cert = chain[0]
    names = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    ids = cert.subject.get_attributes_for_oid(x509.NameOID.USER_ID)
    signed_at = statement.get("signedAt")
    return SignatureCheck(
        field=None,
        signer_name=str(names[0].value) if names else None,
        signer_id=str(ids[0].value) if ids else None,
        certificate_serial=format(cert.serial_number, "x"),
        signed_at=datetime.fromisoformat(signed_at) if isinstance(signed_at, str) else None,
        intact=signature_ok and file_ok,
        covers_whole_file=file_ok,
        certificate_status=status,
        problems=tuple(problems),
    )


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
