"""Making the copy's bytes: the mark stamped by the processing pool, then the PAdES signature.

Both are heavy (a worker process renders the mark onto a possibly hostile PDF; signing hashes
and runs RSA in a thread), so they run BEFORE the mutation's transaction opens: file versions
are immutable, so the bytes read here are the bytes the mutation binds the copy to.
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import date

from asan.core.errors import FieldError, ValidationFailed
from asan.core.settings import Settings
from asan.core.text import az_upper
from asan.edms.copies.flatten import flatten_signatures
from asan.edms.copies.models import MARK
from asan.edms.copies.settings import copies_settings
from asan.edms.files.processing.models import ProcessingFailed
from asan.edms.files.processing.pool import ExtractionPool
from asan.edms.files.processing.settings import processing_settings
from asan.edms.signatures.credentials import credential_for, signature_settings
from asan.edms.signatures.pades import sign_pdf
from asan.edms.signatures.pki import Credential

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by people
_pool: ExtractionPool | None = None
_pool_lock = asyncio.Lock()


def new_code() -> str:
    """A verification code: 'SC-' and 16 random characters (80 bits) in groups of four."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    return "SC-" + "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def normalise_code(code: str) -> str:
    """What people type (lower case, spaces, no dashes) as the stored form."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    raw = raw.removeprefix("SC")
    return "SC-" + "-".join(raw[i : i + 4] for i in range(0, len(raw), 4)) if raw else ""


def mark_lines(
    *,
    certifier: str,
    position: str | None,
    on: date,
    reg_number: str | None,
    reg_date: date | None,
    sha256: str,
    code: str,
) -> list[str]:
    lines = [az_upper(MARK)]  # "ƏSLİNƏ": str.upper would give a dotless I
    if reg_number:
        dated = f", {reg_date.strftime('%d.%m.%Y')}" if reg_date else ""
        lines.append(f"Sənəd / Document: {reg_number}{dated}")
    lines.append(f"Təsdiq etdi / Certified by: {certifier}")
    if position:
        lines.append(f"Vəzifə / Position: {position}")
    lines.append(f"Tarix / Date: {on.strftime('%d.%m.%Y')}")
    lines.append(f"Əslin SHA-256 / Original SHA-256: {sha256[:32]}")
    lines.append(f"  {sha256[32:]}")
    lines.append(f"Yoxlama kodu / Verification code: {code}")
    return lines


async def _shared_pool() -> ExtractionPool:
    """One small pool per process for marks (started on first use, lives with the process)."""
    global _pool
    async with _pool_lock:
        if _pool is None:
            pool = ExtractionPool(processing_settings().model_copy(update={"workers": 1}))
            await pool.start()
            _pool = pool
    return _pool


async def close_pool() -> None:
    global _pool
    if _pool is not None:
        await _pool.close()
        _pool = None


async def stamp(pdf: bytes, lines: list[str]) -> bytes:
    """The original's signature fields drawn flat, then the mark on every page (the pool)."""
    config = copies_settings()
    try:
        flat = await asyncio.to_thread(flatten_signatures, pdf)
    except Exception as exc:  # a PDF pypdf cannot rewrite: say so, never a 500
        raise ValidationFailed(
            [FieldError("fileId", f"PDF oxunmur / the PDF cannot be read: {type(exc).__name__}")]
        ) from None
    pool = await _shared_pool()
    try:
        return await pool.stamp(flat, lines, corner=config.corner, all_pages=config.all_pages)
    except ProcessingFailed as exc:
        raise ValidationFailed([FieldError("fileId", str(exc))]) from None


async def credential(settings: Settings, subject: str, name: str) -> Credential:
    """The certifier's signing credential as the signatures part finds it (dev and test issue
    one from the agency CA on first use)."""
    return await credential_for(settings, signature_settings(), subject, name)


async def sign(pdf: bytes, who: Credential) -> bytes:
    return await sign_pdf(pdf, who, reason=MARK, config=signature_settings())
