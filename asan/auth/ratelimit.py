"""Per-identity request rate limits: a token bucket per signed-in subject or client address.

In-process, so each server process limits on its own (several processes behind a balancer
multiply the allowance by their number). Buckets idle long enough to be full are dropped, so
memory follows the number of active callers, not of all callers ever seen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_BUCKETS = 100_000


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens per second
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def check(self, key: str) -> float:
        """Take one token for ``key``: 0 when allowed, else the seconds until one is free."""
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= MAX_BUCKETS:
                self._evict(now)
            bucket = self._buckets[key] = _Bucket(self.capacity, now)
        else:
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    def _evict(self, now: float) -> None:
        full_after = self.capacity / self.rate
        for key in [k for k, b in self._buckets.items() if now - b.updated >= full_after]:
            del self._buckets[key]
        if len(self._buckets) >= MAX_BUCKETS:  # still full of active callers: drop the oldest
            for key in sorted(self._buckets, key=lambda k: self._buckets[k].updated)[:1000]:
                del self._buckets[key]


class RateLimits:
    """One limiter for signed-in identities, a stricter one for anonymous addresses."""

    def __init__(self, per_minute: int, anonymous_per_minute: int) -> None:
        self.identified = RateLimiter(per_minute)
        self.anonymous = RateLimiter(anonymous_per_minute)

    def check(self, subject: str | None, address: str | None) -> float:
        if subject is not None:
            return self.identified.check(subject)
        return self.anonymous.check(address or "unknown")
