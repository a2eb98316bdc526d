"""``asan pki``: the dev/test agency CA and per-user signing certificates.

Production never runs these (they refuse): its keys and trust roots are configured
(``ASAN_EDMS_SIGNATURES_KEY_SOURCE=files`` or ``pkcs11``, docs/edms-signatures.md). Imports
are inside the commands so ``asan --help`` stays fast.
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Annotated

import typer
from rich.console import Console

pki_app = typer.Typer(
    help="Signing certificates: the dev/test agency CA and per-user certificates.",
    no_args_is_help=True,
)
console = Console(stderr=True)


def _fail(message: str) -> typer.Exit:
    console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


@pki_app.command("init")
def pki_init() -> None:
    """Create the agency CA under <data dir>/pki (once; dev and test profiles only)."""
    from cryptography.hazmat.primitives import serialization

    from asan.core.errors import DomainError
    from asan.core.settings import Settings
    from asan.edms.signatures import pki

    settings = Settings()
    try:
        cert = pki.init_ca(settings.data_path, production=settings.is_production)
    except DomainError as exc:
        raise _fail(exc.message) from None
    der = cert.public_bytes(serialization.Encoding.DER)
    path = pki.pki_dir(settings.data_path) / "ca.cert.pem"
    console.print(f"agency CA: {path}", highlight=False)
    console.print(f"SHA-256 fingerprint: {hashlib.sha256(der).hexdigest()}", highlight=False)


@pki_app.command("issue")
def pki_issue(
    user: Annotated[str, typer.Argument(help="username or user id of the signer")],
    replace: Annotated[
        bool, typer.Option(help="issue a new certificate even if the user has one")
    ] = False,
) -> None:
    """Issue a user a signing certificate and key from the agency CA (dev and test only)."""
    from asan.core.errors import DomainError
    from asan.core.settings import Settings
    from asan.edms.signatures import pki
    from asan.edms.signatures.credentials import signature_settings

    settings = Settings()
    found = asyncio.run(_find_user(settings, user))
    if found is None:
        raise _fail(f"istifadəçi tapılmadı / no user {user!r}")
    user_id, name = found
    try:
        credential = pki.issue_user(
            settings.data_path,
            user_id,
            name,
            production=settings.is_production,
            days=signature_settings().certificate_days,
            replace=replace,
        )
    except DomainError as exc:
        raise _fail(exc.message) from None
    cert = credential.certificate
    console.print(
        f"certificate for {name} ({user_id}): serial {cert.serial_number:x}, "
        f"valid until {cert.not_valid_after_utc.date().isoformat()}",
        highlight=False,
    )


@pki_app.command("revoke")
def pki_revoke(
    user: Annotated[str, typer.Argument(help="username or user id of the signer")],
) -> None:
    """Revoke a user's certificate (the agency CA's CRL): their signatures verify as REVOKED."""
    from asan.core.errors import DomainError
    from asan.core.settings import Settings
    from asan.edms.signatures import pki

    settings = Settings()
    found = asyncio.run(_find_user(settings, user))
    if found is None:
        raise _fail(f"istifadəçi tapılmadı / no user {user!r}")
    try:
        serial = pki.revoke_user(settings.data_path, found[0], production=settings.is_production)
    except DomainError as exc:
        raise _fail(exc.message) from None
    console.print(f"revoked certificate {serial:x} of {found[1]} ({found[0]})", highlight=False)


async def _find_user(settings: object, user: str) -> tuple[str, str] | None:
    from asan.core.platform import Platform
    from asan.core.settings import Settings

    assert isinstance(settings, Settings)
    platform = Platform.connect(settings)
    try:
        rows = await platform.db.read(
            "MATCH (u:User) WHERE u.username = $user OR u.id = $user "
            "RETURN u.id AS id, coalesce(u.displayName, u.username) AS name LIMIT 1",
            {"user": user},
        )
    finally:
        await platform.close()
    return (rows[0]["id"], rows[0]["name"]) if rows else None
