"""Webhook signatures: HMAC-SHA256 over ``<unix seconds>.<body>`` with the webhook's secret.

Header ``X-Asan-Signature: t=<unix seconds>,v1=<hex>``. Signing the timestamp with the body
lets a receiver refuse replays older than its tolerance; ``v1`` names the scheme so a later
one can be sent beside it during a migration.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

HEADER = "X-Asan-Signature"
SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
DEFAULT_TOLERANCE = 300


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    return f"t={t},v1={signature(secret, t, body)}"


def verify(
    secret: str,
    value: str,
    body: bytes,
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> bool:
    """What a receiver does: the header's signature matches and its timestamp is recent."""
    parts = dict(p.split("=", 1) for p in value.split(",") if "=" in p)
    t = parts.get("t", "")
    if not t.isdigit():
        return False
    current = time.time() if now is None else now
    if abs(current - int(t)) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, int(t), body), parts.get("v1", ""))
