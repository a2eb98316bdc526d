"""Revocation that reaches access tokens: ended sessions and changed users, in every process.

Access tokens are self-contained JWTs, so without this a logged-out or revoked session would
keep working until its token expired (up to the token life plus leeway). Every token we issue
to a person carries ``sid``, the id of its refresh-token family; ending the family writes a
``:RevokedSession`` that lives exactly as long as a token of it could. Deactivating a user, or
changing their roles, stamps ``authChangedAt`` on the user (deactivation also
``tokensValidAfter``).

Each process keeps a copy of that small state (sessions ended in the last token life, users
changed in the last token life) and reloads it with one query when it is older than
``auth_revocation_cache_seconds``, so a revocation made by any process is honoured by every
process within that many seconds, at the cost of one query per interval, not per request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from asan.auth import repository
from asan.core.db import Database
from asan.core.settings import Settings

# users changed this long before the oldest token still alive are no longer of interest
_MARGIN_SECONDS = 60.0


@dataclass(frozen=True)
class UserChange:
    changed_at: float
    tokens_valid_after: float | None


class RevocationState:
    """Per process; ``clock`` is the auth service's, so tests drive the reload interval."""

    def __init__(self, settings: Settings, clock: Callable[[], float]) -> None:
        self.settings = settings
        self.clock = clock
        self._sessions: set[str] = set()
        self._users: dict[str, UserChange] = {}
        self._loaded_at: float | None = None
        self._lock: asyncio.Lock | None = None
        self.loads = 0  # how many times the state was read from the graph (tests, benchmarks)

    @property
    def token_life(self) -> float:
        """The longest an access token can be accepted after it was issued."""
        s = self.settings
        return float(s.access_token_ttl_seconds + s.token_leeway_seconds)

    def _stale(self) -> bool:
        if self._loaded_at is None:
            return True
        age = self.clock() - self._loaded_at
        return age >= self.settings.auth_revocation_cache_seconds or age < 0

    async def current(self, db: Database) -> None:
        """Reload the copy when it is older than the interval (one reload at a time)."""
        if not self._stale():
            return
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._stale():
                await self._load(db)

    async def _load(self, db: Database) -> None:
        now = self.clock()
        since = now - self.token_life - self.settings.auth_principal_cache_seconds - _MARGIN_SECONDS
        row = await repository.revocation_state(db, now, since)
        self._sessions = {str(sid) for sid in row["sessions"]}
        self._users = {
            str(u["id"]): UserChange(float(u["changedAt"]), _float(u["tokensValidAfter"]))
            for u in row["users"]
        }
        self._loaded_at = now
        self.loads += 1

    def expire(self) -> None:
        """Reload on the next request (after a change made by this process)."""
        self._loaded_at = None

    def session_ended(self, sid: str) -> None:
        """This process ended the session: honour it at once, before any reload."""
        self._sessions.add(sid)

    def is_revoked(self, claims: Mapping[str, Any], own_issuer: bool) -> bool:
        """True when the token's session has ended or its user's tokens were all withdrawn."""
        sid = claims.get("sid")
        if isinstance(sid, str) and sid in self._sessions:
            return True
        if not own_issuer:
            return False
        change = self._users.get(str(claims.get("sub")))
        if change is None or change.tokens_valid_after is None:
            return False
        issued = claims.get("iat")
        return not isinstance(issued, int | float) or issued <= change.tokens_valid_after

    def changed_since(self, subject: str, resolved_at: float) -> bool:
        """True when the user changed after a cached resolution of them was made."""
        change = self._users.get(subject)
        return change is not None and change.changed_at >= resolved_at


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None
