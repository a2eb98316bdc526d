"""A pyHanko signer for a credential: the key in memory (local CA, key files) or on a token.

A PKCS#11 session is opened per signing and closed after it, so a token removed or a PIN
changed between signatures is noticed at the next signature, not after a restart.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
from pyhanko.sign.signers.pdf_cms import Signer, SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from asan.edms.signatures.pki import Credential
from asan.edms.signatures.settings import SignatureSettings


def asn1_cert(cert: x509.Certificate):  # type: ignore[no-untyped-def]
    """pyHanko speaks asn1crypto; the rest of the system speaks pyca/cryptography."""
    return translate_pyca_cryptography_cert_to_asn1(cert)


@contextmanager
def open_signer(
    credential: Credential, config: SignatureSettings | None = None
) -> Iterator[Signer]:
    """A signer that embeds the whole chain (roots included) in what it signs."""
    if credential.key_pem is not None:
        key = load_private_key_from_pemder_data(credential.key_pem, passphrase=None)
        registry = SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [asn1_cert(c) for c in credential.chain]
        )
        yield SimpleSigner(
            signing_cert=asn1_cert(credential.certificate),
            signing_key=key,
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
