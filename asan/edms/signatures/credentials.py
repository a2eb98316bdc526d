"""A signer's credential when they sign: loaded from the configured source, or (dev and test
only) issued by the agency CA on their first signature.

Issuing writes key and certificate files; a file lock makes two first signatures of the same
person (two documents at once, two API workers) issue one certificate, not two half-written
ones.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
from functools import lru_cache

from cryptography import x509

from asan.core.errors import BadInput, Conflict
from asan.core.settings import Settings
from asan.edms.signatures import pki
from asan.edms.signatures.settings import SignatureSettings


@lru_cache(maxsize=1)
def signature_settings() -> SignatureSettings:
    return SignatureSettings()


def _issue_locked(
    settings: Settings, config: SignatureSettings, subject: str, name: str
) -> pki.Credential:
    folder = pki.pki_dir(settings.data_path)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    lock_path = folder / ".issue.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        existing = pki.load_credential(settings.data_path, config, subject)
        if existing is not None:
            return existing
        try:
            return pki.issue_user(
                settings.data_path,
                subject,
                name,
                production=settings.is_production,
                days=config.certificate_days,
            )
        except Conflict:  # issued by another process between our look and our lock
            found = pki.load_credential(settings.data_path, config, subject)
            assert found is not None
            return found
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


async def credential_for(
    settings: Settings, config: SignatureSettings, subject: str, name: str
) -> pki.Credential:
    """The signer's credential; in dev/test with the local CA one is issued if missing."""
    found = await asyncio.to_thread(pki.load_credential, settings.data_path, config, subject)
    if found is not None:
        return found
    if config.key_source == "local_ca" and not settings.is_production:
        return await asyncio.to_thread(_issue_locked, settings, config, subject, name)
    raise BadInput(
        f"imzalayanın sertifikatı yoxdur / the signer has no signing certificate ({subject}); "
        "see docs/edms-signatures.md",
        field="documentId",
    )


async def trust_roots_for(settings: Settings, config: SignatureSettings) -> list[x509.Certificate]:
    return await asyncio.to_thread(pki.trust_roots, settings.data_path, config)


async def revocation_lists_for(settings: Settings, config: SignatureSettings) -> list[bytes]:
    return await asyncio.to_thread(pki.revocation_lists, settings.data_path, config)
