"""Webhook mutations, each one audited unit through ``run_mutation``.

A webhook belongs to a state body; its editors or its own system (a service account of the
body whose scopes cover ``integration.webhook``) register, change, rotate and delete it. The
signing secret is generated here and returned once; it is stored so deliveries can be signed.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import FieldError, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.core.text import clean
from asan.integration import feed, urls
from asan.integration import repository as repo
from asan.integration.kinds import BY_NAME
from asan.integration.models import Registered, Webhook, WebhookChange, WebhookInput
from asan.integration.policy import WEBHOOK_MANAGE
from asan.integration.signing import new_secret

_KIND = "Webhook"


def _kinds(names: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        raise ValidationFailed(
            [FieldError("kinds", f"naməlum növ / unknown kind: {', '.join(unknown[:5])}")]
        )
    return tuple(sorted(set(names)))


async def _url(platform: Platform, url: str) -> str:
    text, error = clean(url, "url", max_length=urls.MAX_URL)
    if error is not None:
        raise ValidationFailed([error])
    problem = await urls.problem(text, platform.settings.webhook_allow_loopback)
    if problem is not None:
        raise ValidationFailed([FieldError("url", problem)])
    return text


async def _head(tx: Tx) -> int:
    rows = await tx.run("MATCH (h:ChangeLogHead {id: 'main'}) RETURN h.seq AS seq")
    return int(rows[0]["seq"]) if rows else 0


def _resolver(webhook_id: str) -> Callable[[Tx], Awaitable[Resource]]:
    async def resolve(tx: Tx) -> Resource:
        row = await repo.webhook_in_tx(tx, webhook_id)
        body = row["stateBody"] if row is not None else None
        return Resource(_KIND, webhook_id, state_body=body, hidden_if_denied=True)

    return resolve


async def _existing(m: Mutation, webhook_id: str) -> Webhook:
    row = await repo.webhook_in_tx(m.tx, webhook_id)
    if row is None:
        raise NotFound(f"webhook {webhook_id} tapılmadı / not found", field="id")
    return Webhook.of(row)


async def register_webhook(
    platform: Platform, principal: Principal, raw: WebhookInput
) -> Registered:
    body, error = clean(raw.state_body, "stateBody", max_length=64)
    if error is not None:
        raise ValidationFailed([error])
    url = await _url(platform, raw.url)
    kinds = _kinds(raw.kinds)
    start = feed.decode_cursor(raw.after) if raw.after is not None else None

    async def work(m: Mutation) -> Registered:
        if not await repo.body_exists(m.tx, body):
            raise NotFound(f"'{body}' tapılmadı / '{body}' not found", field="stateBody")
        webhook_id = "wh_" + secrets.token_hex(8)
        secret = new_secret()
        at = datetime.now(UTC)
        cursor = await _head(m.tx) if start is None else start
        row = {
            "id": webhook_id,
            "stateBody": body,
            "url": url,
            "kinds": list(kinds),
            "secret": secret,
            "cursor": cursor,
            "at": at,
            "actor": principal.subject,
        }
        await repo.create_webhook(m.tx, row)
        m.changed(_KIND, webhook_id, "created", ("stateBody", "url", "kinds", "cursor"))
        m.detail(webhook=webhook_id, url=url)
        created = await repo.webhook_in_tx(m.tx, webhook_id)
        assert created is not None
        return Registered(Webhook.of(created), secret)

    return await run_mutation(
        platform, principal, WEBHOOK_MANAGE, Resource(_KIND, None, state_body=body), work
    )


async def update_webhook(platform: Platform, principal: Principal, raw: WebhookChange) -> Webhook:
    url = await _url(platform, raw.url) if raw.url is not None else None
    kinds = _kinds(raw.kinds) if raw.kinds is not None else None

    async def work(m: Mutation) -> Webhook:
        current = await _existing(m, raw.id)
        values: dict[str, object] = {}
        if url is not None and url != current.url:
            values["url"] = url
        if kinds is not None and kinds != current.kinds:
            values["kinds"] = list(kinds)
        if raw.active is not None and raw.active != current.active:
            values["active"] = raw.active
            if raw.active:  # a re-enabled subscriber is tried at once
                values.update(consecutiveFailures=0, nextAttemptAt=None)
        if values:
            await repo.update_webhook(m.tx, raw.id, values)
            fields = sorted(k for k in values if k in ("url", "kinds", "active"))
            m.changed(_KIND, raw.id, "updated", fields)
        row = await repo.webhook_in_tx(m.tx, raw.id)
        assert row is not None
        return Webhook.of(row)

    return await run_mutation(platform, principal, WEBHOOK_MANAGE, _resolver(raw.id), work)


async def delete_webhook(platform: Platform, principal: Principal, webhook_id: str) -> Webhook:
    async def work(m: Mutation) -> Webhook:
        current = await _existing(m, webhook_id)
        await repo.delete_webhook(m.tx, webhook_id)
        m.changed(_KIND, webhook_id, "deleted")
        return replace(current, active=False)

    return await run_mutation(platform, principal, WEBHOOK_MANAGE, _resolver(webhook_id), work)


async def rotate_webhook_secret(
    platform: Platform, principal: Principal, webhook_id: str
) -> Registered:
    """A new secret, effective for the next delivery; the old one stops working at once."""

    async def work(m: Mutation) -> Registered:
        current = await _existing(m, webhook_id)
        secret = new_secret()
        await repo.update_webhook(m.tx, webhook_id, {"secret": secret})
        m.changed(_KIND, webhook_id, "updated", ("secret",))
        return Registered(current, secret)

    return await run_mutation(platform, principal, WEBHOOK_MANAGE, _resolver(webhook_id), work)
