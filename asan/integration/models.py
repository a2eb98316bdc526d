"""Webhook values as use cases take and return them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class WebhookInput:
    state_body: str
    url: str
    kinds: tuple[str, ...] = ()  # the feed's kind names; empty: every kind the body may see
    after: str | None = None  # a feed cursor to start after; None: the log's head now


@dataclass(frozen=True)
class WebhookChange:
    id: str
    url: str | None = None
    kinds: tuple[str, ...] | None = None
    active: bool | None = None


@dataclass(frozen=True)
class Webhook:
    """A subscriber and its delivery state (the secret is never read back)."""

    id: str
    state_body: str
    url: str
    kinds: tuple[str, ...]
    active: bool
    cursor: int
    created_at: datetime | None
    last_attempt_at: datetime | None
    last_delivery_at: datetime | None
    last_status: int | None
    last_error: str | None
    consecutive_failures: int
    next_attempt_at: datetime | None
    delivered: int

    @classmethod
    def of(cls, row: dict[str, Any]) -> Webhook:
        def native(value: Any) -> datetime | None:
            found = value.to_native() if hasattr(value, "to_native") else value
            return found if isinstance(found, datetime) else None

        return cls(
            id=row["id"],
            state_body=row["stateBody"],
            url=row["url"],
            kinds=tuple(row["kinds"] or ()),
            active=bool(row["active"]),
            cursor=int(row["cursor"] or 0),
            created_at=native(row["createdAt"]),
            last_attempt_at=native(row["lastAttemptAt"]),
            last_delivery_at=native(row["lastDeliveryAt"]),
            last_status=row["lastStatus"],
            last_error=row["lastError"],
            consecutive_failures=int(row["consecutiveFailures"] or 0),
            next_attempt_at=native(row["nextAttemptAt"]),
            delivered=int(row["delivered"] or 0),
        )


@dataclass(frozen=True)
class Registered:
    webhook: Webhook
    secret: str  # shown once, at registration or rotation
