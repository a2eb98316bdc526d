"""Signing keys for access tokens: generated on first start under the data dir, rotated live.

Private keys never enter the repository: they live in ``<data_dir>/keys`` (directory 0700,
files 0600). A manifest names the active key; rotation writes the new key file first and the
manifest last (atomic rename), and running servers notice the changed manifest on their next
request, so signing moves to the new key without a restart. Retired keys stay published in the
JWKS until every token they signed has expired, so rotation never logs anyone out.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

MANIFEST = "keys.json"
RELOAD_CHECK_SECONDS = 1.0


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _int_bytes(value: int, length: int | None = None) -> bytes:
    size = length or max(1, (value.bit_length() + 7) // 8)
    return value.to_bytes(size, "big")


def public_jwk(private_pem: bytes, algorithm: str) -> dict[str, str]:
    """The public half as a JWK (RFC 7517) with an RFC 7638 thumbprint as its kid."""
    key = serialization.load_pem_private_key(private_pem, password=None)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        numbers = key.public_key().public_numbers()
        core = {
            "crv": "P-256",
            "kty": "EC",
            "x": _b64(_int_bytes(numbers.x, 32)),
            "y": _b64(_int_bytes(numbers.y, 32)),
        }
    elif isinstance(key, rsa.RSAPrivateKey):
        rsa_numbers = key.public_key().public_numbers()
        core = {
            "e": _b64(_int_bytes(rsa_numbers.e)),
            "kty": "RSA",
            "n": _b64(_int_bytes(rsa_numbers.n)),
        }
    else:
        raise ValueError("only EC P-256 and RSA signing keys are supported")
    canonical = json.dumps(core, separators=(",", ":"), sort_keys=True).encode()
    kid = _b64(hashlib.sha256(canonical).digest())[:16]
    return {**core, "kid": kid, "use": "sig", "alg": algorithm}


def generate_private_pem(algorithm: str) -> bytes:
    if algorithm == "ES256":
        key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey = ec.generate_private_key(
            ec.SECP256R1()
        )
    elif algorithm == "RS256":
        key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    else:
        raise ValueError(f"unsupported signing algorithm {algorithm!r}: use ES256 or RS256")
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@dataclass(frozen=True)
class SigningKey:
    kid: str
    algorithm: str
    private_pem: bytes
    jwk: dict[str, str]


@dataclass(frozen=True)
class _Entry:
    kid: str
    algorithm: str
    created_at: str
    retired_at: str | None


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


class KeyStore:
    """The signing keys of this installation (shared by every server process on the host)."""

    def __init__(self, directory: Path, algorithm: str = "ES256") -> None:
        self.directory = directory
        self.algorithm = algorithm
        self._lock = threading.Lock()
        self._mtime: float | None = None
        self._checked = 0.0
        self._active: SigningKey | None = None
        self._public: dict[str, dict[str, str]] = {}

    @classmethod
    def open(cls, data_dir: Path, algorithm: str = "ES256") -> KeyStore:
        store = cls(data_dir / "keys", algorithm)
        store.ensure()
        return store

    def _pem_path(self, kid: str) -> Path:
        # prefixed: a base64url kid may start with "-", which shell tools read as an option
        return self.directory / f"key-{kid}.pem"

    @property
    def manifest_path(self) -> Path:
        return self.directory / MANIFEST

    def ensure(self) -> None:
        """Create the directory and a first key when there is none (first start)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        os.chmod(self.directory, 0o700)
        with self._lock:
            if not self.manifest_path.exists():
                self._add_key(entries=[])
        self._reload(force=True)

    def _entries(self) -> tuple[str, list[_Entry]]:
        raw = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        entries = [
            _Entry(e["kid"], e["alg"], e["createdAt"], e.get("retiredAt")) for e in raw["keys"]
        ]
        return raw["active"], entries

    def _write_manifest(self, active: str, entries: list[_Entry]) -> None:
        body = {
            "active": active,
            "keys": [
                {
                    "kid": e.kid,
                    "alg": e.algorithm,
                    "createdAt": e.created_at,
                    "retiredAt": e.retired_at,
                }
                for e in entries
            ],
        }
        tmp = self.manifest_path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(body, out, indent=2)
        os.replace(tmp, self.manifest_path)

    def _add_key(self, entries: list[_Entry]) -> str:
        pem = generate_private_pem(self.algorithm)
        jwk = public_jwk(pem, self.algorithm)
        _write_private(self._pem_path(jwk["kid"]), pem)
        now = datetime.now(UTC).isoformat()
        self._write_manifest(jwk["kid"], [*entries, _Entry(jwk["kid"], self.algorithm, now, None)])
        return jwk["kid"]

    def _reload(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._checked < RELOAD_CHECK_SECONDS:
            return
        self._checked = now
        mtime = self.manifest_path.stat().st_mtime_ns
        if not force and mtime == self._mtime:
            return
        with self._lock:
            active_kid, entries = self._entries()
            public: dict[str, dict[str, str]] = {}
            active: SigningKey | None = None
            for entry in entries:
                pem = self._pem_path(entry.kid).read_bytes()
                jwk = public_jwk(pem, entry.algorithm)
                public[entry.kid] = jwk
                if entry.kid == active_kid:
                    active = SigningKey(entry.kid, entry.algorithm, pem, jwk)
            if active is None:
                raise RuntimeError(f"{self.manifest_path}: active key {active_kid} is missing")
            self._public, self._active, self._mtime = public, active, float(mtime)

    @property
    def active(self) -> SigningKey:
        self._reload()
        assert self._active is not None
        return self._active

    def public_key(self, kid: str) -> dict[str, str] | None:
        self._reload()
        return self._public.get(kid)

    def jwks(self) -> dict[str, Any]:
        self._reload()
        return {"keys": list(self._public.values())}

    def rotate(self, retire_after: timedelta) -> tuple[str, list[str]]:
        """Make a new key active; drop keys retired longer ago than ``retire_after``.

        ``retire_after`` must exceed the access-token lifetime, so every token signed by a
        dropped key has already expired. Returns the new kid and the kids dropped.
        """
        with self._lock:
            active_kid, entries = self._entries()
            now = datetime.now(UTC)
            kept: list[_Entry] = []
            dropped: list[str] = []
            for entry in entries:
                if entry.kid == active_kid:
                    entry = _Entry(entry.kid, entry.algorithm, entry.created_at, now.isoformat())
                if (
                    entry.retired_at
                    and datetime.fromisoformat(entry.retired_at) + retire_after < now
                ):
                    dropped.append(entry.kid)
                    continue
                kept.append(entry)
            new_kid = self._add_key(kept)
            for kid in dropped:
                self._pem_path(kid).unlink(missing_ok=True)
        self._reload(force=True)
        return new_kid, dropped
