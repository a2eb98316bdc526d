"""Plain data of the auth domain: accounts, sessions, login throttles."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class NewUser:
    username: str
    display_name: str
    password: str
    roles: frozenset[str] = field(default_factory=frozenset)
    state_body: str | None = None  # staff of a state body; None for agency staff
    clearance: str = "public"
    email: str | None = None
    external_id: str | None = None  # "<issuer>|<sub>" of an external OpenID Connect identity


@dataclass(frozen=True)
class PositionGrant:
    """A user holding a position from ``valid_from`` to ``valid_until`` (inclusive, ISO dates)."""

    username: str
    position: str
    valid_from: str
    valid_until: str | None = None


@dataclass(frozen=True)
class NewServiceAccount:
    client_id: str
    name: str
    scopes: frozenset[str]
    state_body: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    expires_in: int
    refresh_token: str | None = None
    scope: str | None = None
    token_type: str = "Bearer"  # noqa: S105 - the OAuth2 token type, not a secret


@dataclass(frozen=True)
class ThrottleState:
    failures: int = 0
    last_failed_at: float | None = None  # epoch seconds
    locked_until: float | None = None
