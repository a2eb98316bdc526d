"""Reads for the API: the feed page and a body's webhooks, each behind the policy."""

from __future__ import annotations

from collections.abc import Sequence

from asan.auth.policy import Resource, authorize
from asan.auth.principal import Principal
from asan.core import changelog
from asan.core.platform import Platform
from asan.integration import feed
from asan.integration import repository as repo
from asan.integration.feed import FeedPage
from asan.integration.kinds import log_kinds
from asan.integration.models import Webhook
from asan.integration.policy import WEBHOOK_READ


async def changes(
    platform: Platform,
    principal: Principal,
    after: str | None,
    first: int,
    kinds: Sequence[str] | None,
) -> FeedPage:
    """A page of the feed as ``principal`` may see it (``kinds``: the feed's names)."""
    position = feed.decode_cursor(after)
    return await feed.read(
        platform.db, principal, position, first, log_kinds(list(kinds) if kinds else None)
    )


async def head(platform: Platform) -> int:
    return await changelog.head_seq(platform.db)


async def webhooks(
    platform: Platform, principal: Principal, state_body: str | None
) -> list[Webhook]:
    """The webhooks of ``state_body`` (default: the caller's body); Forbidden for others'."""
    body = state_body or principal.state_body
    authorize(principal, WEBHOOK_READ, Resource("Webhook", None, state_body=body))
    rows = await repo.webhooks(platform.db, body, None)
    return [Webhook.of(r) for r in rows]
