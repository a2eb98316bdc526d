"""The only module that touches python-jose: signing and verifying JWTs, safely.

python-jose (<= 3.5.0) has open advisories where a token signed with HMAC using a public key as
the secret verifies when the caller lets the token pick its algorithm, and its defaults do not
require ``exp``, ``aud`` or ``iss``. So every verification here:

- accepts only asymmetric algorithms (never ``none`` or any ``HS*``), checked on the header
  before any key is chosen and passed to jose as an explicit list of one algorithm that matches
  the key type;
- takes exactly one public JWK chosen by ``kid`` (never a key set or a bare string);
- passes audience and issuer and requires ``exp``, ``iat``, ``aud``, ``iss`` and ``sub``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jose import jwt
from jose.exceptions import ExpiredSignatureError, JWTClaimsError, JWTError

from asan.auth.keys import SigningKey

ALLOWED_ALGORITHMS: tuple[str, ...] = ("ES256", "RS256")
_ALG_FOR_KTY = {"EC": "ES256", "RSA": "RS256"}


class TokenError(Exception):
    """A token that must be refused; ``reason`` is safe to show to the caller."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sign(claims: Mapping[str, Any], key: SigningKey) -> str:
    token: str = jwt.encode(
        dict(claims), key.private_pem.decode(), algorithm=key.algorithm, headers={"kid": key.kid}
    )
    return token


def header(token: str) -> dict[str, Any]:
    """The unverified header, refused unless it names an allowed algorithm and a kid."""
    try:
        head: dict[str, Any] = jwt.get_unverified_header(token)
    except JWTError as exc:
        raise TokenError("malformed token") from exc
    alg = head.get("alg")
    if alg not in ALLOWED_ALGORITHMS:
        raise TokenError(f"algorithm {alg!r} is not accepted")
    kid = head.get("kid")
    if not isinstance(kid, str) or not kid:
        raise TokenError("token has no key id (kid)")
    return head


def unverified_issuer(token: str) -> str | None:
    """Which issuer the token claims, only to choose whose keys verify it."""
    try:
        claims = jwt.get_unverified_claims(token)
    except JWTError as exc:
        raise TokenError("malformed token") from exc
    iss = claims.get("iss")
    return iss if isinstance(iss, str) else None


def verify(
    token: str,
    jwk: Mapping[str, Any],
    *,
    issuer: str,
    audience: str,
    leeway: int = 0,
) -> dict[str, Any]:
    """Verified claims, or TokenError naming why the token is refused."""
    head = header(token)
    expected = _ALG_FOR_KTY.get(str(jwk.get("kty")))
    if expected is None or jwk.get("alg", expected) != expected:
        raise TokenError("signing key type is not accepted")
    if head["alg"] != expected:
        raise TokenError(f"algorithm {head['alg']!r} does not match the key")
    options = {
        "verify_signature": True,
        "verify_aud": True,
        "verify_iss": True,
        "verify_exp": True,
        "verify_nbf": True,
        "verify_iat": True,
        "verify_sub": True,
        "require_exp": True,
        "require_aud": True,
        "require_iss": True,
        "require_iat": True,
        "require_sub": True,
        "leeway": leeway,
    }
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            dict(jwk),
            algorithms=[expected],
            audience=audience,
            issuer=issuer,
            options=options,
        )
    except ExpiredSignatureError as exc:
        raise TokenError("token has expired") from exc
    except JWTClaimsError as exc:
        raise TokenError(f"token claims rejected: {exc}") from exc
    except JWTError as exc:
        raise TokenError(f"token rejected: {exc}") from exc
    return claims
