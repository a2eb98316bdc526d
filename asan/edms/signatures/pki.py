"""Signing certificates: the dev/test agency CA, and the production key sources.

In dev and test an agency CA under ``<data dir>/pki`` (directory 0700, files 0600) issues each
signer an X.509 certificate with its own RSA key, so a signed PDF carries a real chain that
standard tools (poppler's ``pdfsig``, Acrobat with the CA imported) check. The CA is refused in
production: there the keys are the agency's real ones, either PEM files (``files``) or on a
PKCS#11 token (``pkcs11``), and the trust roots are configured.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from asan.core.errors import BadInput, Conflict, Forbidden
from asan.edms.signatures.settings import SignatureSettings

CA_NAME = "ASAN xidmət agency signing CA (dev/test)"
ORGANISATION = "ASAN xidmət"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._@-]{1,128}$")


@dataclass(frozen=True)
class Pkcs11Key:
    """Where a signer's key lives on a token; the PIN comes from the settings, never the graph."""

    module: Path
    token_label: str
    key_label: str


@dataclass(frozen=True)
class Credential:
    """What signing needs: the signer's certificate, its issuers, and the key (or its token)."""

    subject: str
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]  # issuers, nearest first, up to the root
    key_pem: bytes | None = None  # None when the key stays on a PKCS#11 token
    pkcs11: Pkcs11Key | None = None


def pki_dir(data_dir: Path) -> Path:
    return data_dir / "pki"


def _write_private(path: Path, data: bytes) -> None:
    """Owner-only from the first byte: the file is created 0600, never chmod-ed afterwards."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path.parent, 0o700)
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(partial, path)


def _pem_key(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _pem_cert(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _refuse_in_production(production: bool) -> None:
    if production:
        raise Forbidden(
            "agentlik CA yalnız dev/test üçündür / the agency CA is for dev and test only; "
            "production uses configured keys (ASAN_EDMS_SIGNATURES_KEY_SOURCE=files or pkcs11)"
        )


def init_ca(data_dir: Path, *, production: bool, days: int = 3650) -> x509.Certificate:
    """Create the agency CA once; a second call returns the existing one unchanged."""
    _refuse_in_production(production)
    folder = pki_dir(data_dir)
    if (folder / "ca.cert.pem").exists():
        return x509.load_pem_x509_certificate((folder / "ca.cert.pem").read_bytes())
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "AZ"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(folder / "ca.key.pem", _pem_key(key))
    _write_private(folder / "ca.cert.pem", _pem_cert(cert))
    return cert


def _user_paths(data_dir: Path, subject: str) -> tuple[Path, Path]:
    if not _SAFE_ID.match(subject):
        raise BadInput("istifadəçi id-si yanlışdır / invalid user id", field="user")
    folder = pki_dir(data_dir) / "users"
    return folder / f"{subject}.key.pem", folder / f"{subject}.cert.pem"


def issue_user(
    data_dir: Path,
    subject: str,
    display_name: str,
    *,
    production: bool,
    days: int = 365,
    replace: bool = False,
    valid_from: datetime | None = None,
) -> Credential:
    """Issue ``subject`` a signing certificate from the agency CA (created if missing).

    ``valid_from`` exists for tests and drills that need an already expired certificate.
    """
    _refuse_in_production(production)
    ca_cert = init_ca(data_dir, production=production)
    ca_key = serialization.load_pem_private_key(
        (pki_dir(data_dir) / "ca.key.pem").read_bytes(), password=None
    )
    assert isinstance(ca_key, rsa.RSAPrivateKey)
    key_path, cert_path = _user_paths(data_dir, subject)
    if cert_path.exists() and not replace:
        raise Conflict(
            f"{subject} üçün sertifikat artıq var / a certificate for {subject} exists",
            field="user",
        )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    start = valid_from or datetime.now(UTC) - timedelta(minutes=5)
    subject_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "AZ"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, display_name or subject),
            x509.NameAttribute(NameOID.USER_ID, subject),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject_name)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    _write_private(key_path, _pem_key(key))
    _write_private(cert_path, _pem_cert(cert))
    return Credential(subject, cert, (ca_cert,), key_pem=_pem_key(key))


def revoke_user(data_dir: Path, subject: str, *, production: bool) -> int:
    """Revoke the user's current certificate: its serial joins the CA's CRL (``ca.crl.pem``),
    which verification passes to the validator, so its signatures report ``revoked``."""
    _refuse_in_production(production)
    _, cert_path = _user_paths(data_dir, subject)
    folder = pki_dir(data_dir)
    if not cert_path.exists() or not (folder / "ca.key.pem").exists():
        raise BadInput(f"{subject} üçün sertifikat yoxdur / no certificate for {subject}")
    serial = x509.load_pem_x509_certificate(cert_path.read_bytes()).serial_number
    ca_cert = x509.load_pem_x509_certificate((folder / "ca.cert.pem").read_bytes())
    ca_key = serialization.load_pem_private_key((folder / "ca.key.pem").read_bytes(), None)
    assert isinstance(ca_key, rsa.RSAPrivateKey)
    crl_path = folder / "ca.crl.pem"
    revoked = list(x509.load_pem_x509_crl(crl_path.read_bytes())) if crl_path.exists() else []
    now = datetime.now(UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now - timedelta(minutes=5))
        .next_update(ca_cert.not_valid_after_utc)  # no CRL service: valid as long as the CA
    )
    for entry in revoked:
        if entry.serial_number != serial:
            builder = builder.add_revoked_certificate(entry)
    builder = builder.add_revoked_certificate(
        x509.RevokedCertificateBuilder()
        .serial_number(serial)
        .revocation_date(now - timedelta(seconds=1))
        .build()
    )
    crl = builder.sign(ca_key, hashes.SHA256())
    _write_private(crl_path, crl.public_bytes(serialization.Encoding.PEM))
    return serial


def revocation_lists(data_dir: Path, config: SignatureSettings) -> list[bytes]:
    """CRLs (DER) the validator is given: the agency CA's own in dev/test, configured files
    (``ASAN_EDMS_SIGNATURES_CRLS``) otherwise."""
    paths = (
        [pki_dir(data_dir) / "ca.crl.pem"]
        if config.key_source == "local_ca"
        else config.crl_paths()
    )
    found = []
    for path in paths:
        if path.exists():
            crl = x509.load_pem_x509_crl(path.read_bytes())
            found.append(crl.public_bytes(serialization.Encoding.DER))
    return found


def _load_local(data_dir: Path, subject: str) -> Credential | None:
    key_path, cert_path = _user_paths(data_dir, subject)
    ca_path = pki_dir(data_dir) / "ca.cert.pem"
    if not (key_path.exists() and cert_path.exists() and ca_path.exists()):
        return None
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    ca = x509.load_pem_x509_certificate(ca_path.read_bytes())
    return Credential(subject, cert, (ca,), key_pem=key_path.read_bytes())


def _load_files(key_dir: Path, subject: str) -> Credential | None:
    key_path, cert_path = key_dir / f"{subject}.key.pem", key_dir / f"{subject}.cert.pem"
    if not _SAFE_ID.match(subject) or not (key_path.exists() and cert_path.exists()):
        return None
    chain_path = key_dir / "chain.pem"
    chain = (
        tuple(x509.load_pem_x509_certificates(chain_path.read_bytes()))
        if chain_path.exists()
        else ()
    )
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return Credential(subject, cert, chain, key_pem=key_path.read_bytes())


def _load_pkcs11(config: SignatureSettings, subject: str) -> Credential:
    """The certificate is read from the token; the key never leaves it."""
    # python-pkcs11 is installed only where a token is used (docs/edms-signatures.md)
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11

    if config.pkcs11_module is None or not config.pkcs11_token_label:
        raise BadInput(
            "PKCS#11 ayarları natamamdır / PKCS#11 settings incomplete: set "
            "ASAN_EDMS_SIGNATURES_PKCS11_MODULE and ASAN_EDMS_SIGNATURES_PKCS11_TOKEN_LABEL"
        )
    label = config.pkcs11_key_label_prefix + subject
    pin = config.pkcs11_pin.get_secret_value() if config.pkcs11_pin else None
    session = pkcs11.open_pkcs11_session(
        str(config.pkcs11_module),
        token_criteria=TokenCriteria(label=config.pkcs11_token_label),
        user_pin=pin,
    )
    try:
        signer = pkcs11.PKCS11Signer(session, cert_label=label, key_label=label)
        der = signer.signing_cert.dump()
        chain = tuple(x509.load_der_x509_certificate(c.dump()) for c in signer.cert_registry)
    finally:
        session.close()
    cert = x509.load_der_x509_certificate(der)
    issuers = tuple(c for c in chain if c != cert)
    token = Pkcs11Key(config.pkcs11_module, config.pkcs11_token_label, label)
    return Credential(subject, cert, issuers, pkcs11=token)


def load_credential(data_dir: Path, config: SignatureSettings, subject: str) -> Credential | None:
    """The signer's credential from the configured source, or None when they have none."""
    if config.key_source == "pkcs11":
        return _load_pkcs11(config, subject)
    if config.key_source == "files":
        if config.key_dir is None:
            raise BadInput(
                "ASAN_EDMS_SIGNATURES_KEY_DIR təyin edilməyib / is not set (key source files)"
            )
        return _load_files(config.key_dir, subject)
    return _load_local(data_dir, subject)


def trust_roots(data_dir: Path, config: SignatureSettings) -> list[x509.Certificate]:
    """The roots a signature must chain to: the agency CA locally, configured files otherwise."""
    if config.key_source == "local_ca":
        ca_path = pki_dir(data_dir) / "ca.cert.pem"
        return [x509.load_pem_x509_certificate(ca_path.read_bytes())] if ca_path.exists() else []
    roots: list[x509.Certificate] = []
    for path in config.trust_root_paths():
        roots += x509.load_pem_x509_certificates(path.read_bytes())
    return roots


def certificate_pem(cert: x509.Certificate) -> str:
    return _pem_cert(cert).decode()
