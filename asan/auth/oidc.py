"""Public keys of an external OpenID Connect provider, fetched from its JWKS address and cached.

A token with an unknown ``kid`` triggers one refetch (the provider may have rotated), but at
most once per ``MIN_REFETCH_SECONDS``, so a flood of forged kids cannot make us hammer the
provider. Only public keys of asymmetric types are kept.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

MIN_REFETCH_SECONDS = 10.0
ACCEPTED_KTY = frozenset({"EC", "RSA"})


class JwksUnavailable(RuntimeError):
    pass


class JwksCache:
    def __init__(
        self, url: str, ttl_seconds: float, client: httpx.AsyncClient | None = None
    ) -> None:
        self.url = url
        self.ttl = ttl_seconds
        self._client = client
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def _fetch(self) -> None:
        client = self._client or httpx.AsyncClient(timeout=5.0)
        try:
            response = await client.get(self.url)
            response.raise_for_status()
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise JwksUnavailable(f"JWKS at {self.url} unavailable: {exc}") from exc
        finally:
            if self._client is None:
                await client.aclose()
        keys: dict[str, dict[str, Any]] = {}
        for jwk in body.get("keys", []) if isinstance(body, dict) else []:
            if isinstance(jwk, dict) and jwk.get("kty") in ACCEPTED_KTY and jwk.get("kid"):
                if "d" in jwk:  # a private key published by mistake: never use it
                    continue
                keys[str(jwk["kid"])] = jwk
        self._keys, self._fetched_at = keys, time.monotonic()
        self.fetches += 1

    async def key(self, kid: str) -> dict[str, Any] | None:
        async with self._lock:
            now = time.monotonic()
            age = None if self._fetched_at is None else now - self._fetched_at
            stale = age is None or age > self.ttl
            unknown_may_refetch = kid not in self._keys and (
                age is None or age > MIN_REFETCH_SECONDS
            )
            if stale or unknown_may_refetch:
                try:
                    await self._fetch()
                except JwksUnavailable:
                    if not self._keys:
                        raise
            return self._keys.get(kid)
