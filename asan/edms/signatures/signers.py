"""A pyHanko signer for a credential: the key in memory (local CA, key files) or on a token.

A PKCS#11 session is opened per signing and closed after it, so a token removed or a PIN
changed between signatures is noticed at the next signature, not after a restart.

Loading an RSA private key checks it (cryptography validates the key's numbers), which costs
tens of milliseconds, more than the signature itself; pyHanko's ``SimpleSigner`` reloads the key
for every signature. Keys are loaded once per process (keyed by their PEM's hash) and signed
with directly.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
from pyhanko.sign.signers.pdf_cms import Signer, SimpleSigner
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from asan.edms.signatures.pki import Credential
from asan.edms.signatures.settings import SignatureSettings


def asn1_cert(cert: x509.Certificate):  # type: ignore[no-untyped-def]
    """pyHanko speaks asn1crypto; the rest of the system speaks pyca/cryptography."""
    return translate_pyca_cryptography_cert_to_asn1(cert)


_MAX_CACHED = 512
_cache_lock = threading.Lock()
_keys: dict[str, tuple[PrivateKeyTypes, Any]] = {}


def loaded_key(pem: bytes) -> tuple[PrivateKeyTypes, Any]:
    """The key as pyca/cryptography and as asn1crypto objects, checked once per process."""
    digest = hashlib.sha256(pem).hexdigest()
    with _cache_lock:
        found = _keys.get(digest)
    if found is not None:
        return found
    loaded = (
        serialization.load_pem_private_key(pem, password=None),
        load_private_key_from_pemder_data(pem, passphrase=None),
    )
    with _cache_lock:
        if len(_keys) >= _MAX_CACHED:
            _keys.clear()
        _keys[digest] = loaded
    return loaded


class _LoadedKeySigner(SimpleSigner):
    """SimpleSigner signing with the already loaded key (RSA PKCS#1 v1.5, what we issue);
    any other mechanism goes the library's own way."""

    def __init__(self, key: PrivateKeyTypes, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            name = mechanism.signature_algo
        except ValueError:
            name = mechanism["algorithm"].native
        if name == "rsassa_pkcs1v15" and isinstance(self._key, RSAPrivateKey):
            return self._key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)


@contextmanager
def open_signer(
    credential: Credential, config: SignatureSettings | None = None
) -> Iterator[Signer]:
    """A signer that embeds the whole chain (roots included) in what it signs."""
    if credential.key_pem is not None:
        key, key_info = loaded_key(credential.key_pem)
        registry = SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [asn1_cert(c) for c in credential.chain]
        )
        yield _LoadedKeySigner(
            key,
            signing_cert=asn1_cert(credential.certificate),
            signing_key=key_info,
            cert_registry=registry,
        )
        return
    assert credential.pkcs11 is not None
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11

    pin = config.pkcs11_pin.get_secret_value() if config and config.pkcs11_pin else None
    session = pkcs11.open_pkcs11_session(
        str(credential.pkcs11.module),
        token_criteria=TokenCriteria(label=credential.pkcs11.token_label),
        user_pin=pin,
    )
    try:
        label = credential.pkcs11.key_label
        yield pkcs11.PKCS11Signer(
            session,
            cert_label=label,
            key_label=label,
            ca_chain=[asn1_cert(c) for c in credential.chain],
        )
    finally:
        session.close()


def public_pem(cert: x509.Certificate) -> bytes:
    return cert.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def validation_context(
    roots: Sequence[x509.Certificate], at: datetime | None, crls: Sequence[bytes] = ()
) -> ValidationContext:
    """No network (fetching off). With CRLs given, revocation information is required
    (a certificate its CRL does not cover is ``revocation_unknown``); without any, it is
    "soft-fail" (our certificates declare no CRL distribution point, so "soft-fail" alone
    would never look at a CRL)."""
    return ValidationContext(
        trust_roots=[asn1_cert(r) for r in roots],
        crls=list(crls) or None,
        allow_fetching=False,
        revocation_mode="require" if crls else "soft-fail",
        moment=at,
    )
