"""The webhook delivery worker: signed batches, in order per subscriber, retried with backoff.

Each pass finds the active subscribers behind the change log's head whose backoff has passed,
takes a lease on each (a write in Neo4j, so among several workers and processes only one
delivers to a subscriber at a time), reads the events after its stored cursor as its body
sees them, and posts them in batches. The cursor advances only when the receiver answers 2xx,
so a subscriber that was down resumes from where it stopped and catches up batch by batch
without loss; a failure keeps the cursor, counts the failure and waits
``base * 2^(failures-1)`` (capped) before the same batch is tried again. Events the subscriber
may not see, or of kinds it did not ask for, advance the cursor without a delivery.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from asan.auth.principal import Principal
from asan.core import changelog
from asan.core.platform import Platform
from asan.integration import feed, signing, urls
from asan.integration import repository as repo
from asan.integration.feed import FeedEvent, FeedPage
from asan.integration.kinds import log_kinds
from asan.integration.models import Webhook
from asan.integration.policy import DELIVERY_READ, WEBHOOK_READ

log = logging.getLogger("asan.webhooks")

MAX_ERROR = 300
CONCURRENT_SUBSCRIBERS = 8
READ_BATCHES = 5  # delivery batches read from the feed at once


def batches(page: FeedPage, size: int) -> list[tuple[list[FeedEvent], int]]:
    """The page in delivery batches of ``size``, each with the cursor it moves the subscriber
    to: its last event's, the page's own (past hidden events) for the last batch."""
    if not page.events:
        return [([], page.last_seq)]
    parts = [page.events[i : i + size] for i in range(0, len(page.events), size)]
    return [(part, part[-1].seq) for part in parts[:-1]] + [(parts[-1], page.last_seq)]


def subscriber(webhook: Webhook) -> Principal:
    """Whose eyes a body's deliveries see through: the body's own system (its drafts and
    requests, and what is public)."""
    return Principal(
        subject=f"webhook:{webhook.id}",
        kind="service",
        roles=frozenset({"state_body_editor"}),
        state_body=webhook.state_body,
        scopes=frozenset(
            {"registry.service.read", "registry.request.read", WEBHOOK_READ, DELIVERY_READ}
        ),
    )


def event_json(event: FeedEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "cursor": event.cursor,
        "at": event.at.isoformat(),
        "kind": event.kind_name,
        "id": event.entity_id,
        "operation": event.operation.upper(),
        "fields": list(event.fields),
        "tombstone": event.tombstone,
    }


def delivery_json(row: dict[str, Any], base: str) -> dict[str, Any]:
    """A delivered document as its addressee's webhook receives it (see docs/edms-dispatch.md)."""

    def iso(value: Any) -> str | None:
        return str(value.iso_format()) if hasattr(value, "iso_format") else value

    path = f"/edms/deliveries/{row['id']}/file"
    return {
        "id": row["id"],
        "status": str(row["status"]).upper(),
        "sentAt": iso(row["sentAt"]),
        "document": {
            "id": row["documentId"],
            "kind": row["kind"],
            "regNumber": row["regNumber"],
            "regDate": iso(row["regDate"]),
            "subject": row["subject"],
        },
        "file": {
            "filename": row["filename"],
            "contentType": row["contentType"],
            "size": row["size"],
            "sha256": row["sha256"],
            "fetchPath": path,
            "fetchUrl": f"{base}{path}" if base else None,
        },
    }


@dataclass
class Outcome:
    delivered: int = 0  # events received with a 2xx
    failed: bool = False


class DeliveryWorker:
    def __init__(
        self,
        platform: Platform,
        *,
        owner: str | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.platform = platform
        self.settings = platform.settings
        self.owner = owner or f"worker-{uuid.uuid4().hex[:12]}"
        self._client = client
        self.wake = asyncio.Event()

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                follow_redirects=False,
                timeout=httpx.Timeout(self.settings.webhook_timeout_seconds),
                headers={"user-agent": "asan-registry-webhooks/1"},
            )
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set; a pass that found nothing waits the poll interval."""
        while not stop.is_set():
            try:
                busy = await self.run_once()
            except Exception:  # an outage must not end the worker: log, wait, try again
                log.exception("webhook pass failed")
                busy = 0
            if busy:
                continue
            self.wake.clear()
            waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self.wake.wait())]
            await asyncio.wait(
                waits,
                timeout=self.settings.webhook_poll_seconds,
                return_when=asyncio.FIRST_COMPLETED,
            )
            for w in waits:
                w.cancel()

    async def run_once(self) -> int:
        """One pass over the due subscribers; returns how many were served."""
        db = self.platform.db
        head = await changelog.head_seq(db)
        due = await repo.due_webhooks(db, datetime.now(UTC), head)
        if not due:
            return 0
        gate = asyncio.Semaphore(CONCURRENT_SUBSCRIBERS)

        async def one(webhook_id: str) -> bool:
            async with gate:
                return await self.serve(webhook_id, head)

        served = await asyncio.gather(*(one(i) for i in due))
        return sum(1 for s in served if s)

    async def serve(self, webhook_id: str, head: int) -> bool:
        """Deliver to one subscriber up to ``head`` under its lease; False if another holds it."""
        now = datetime.now(UTC)
        lease = timedelta(seconds=self.settings.webhook_lease_seconds)
        row = await repo.acquire_lease(self.platform.db, webhook_id, self.owner, now, now + lease)
        if row is None:
            return False
        webhook = Webhook.of(row)
        secret = str(row["secret"])
        cursor = webhook.cursor
        failures = webhook.consecutive_failures
        started = time.monotonic()
        budget = max(1.0, self.settings.webhook_lease_seconds / 2)
        while cursor < head:
            # one read serves several deliveries (batches of ``webhook_batch_size``): a
            # subscriber catching up pays the read once per READ_BATCHES posts
            page = await feed.read(
                self.platform.db,
                subscriber(webhook),
                cursor,
                self.settings.webhook_batch_size * READ_BATCHES,
                log_kinds(list(webhook.kinds)) or None,
                head=head,
            )
            for events, last_seq in batches(page, self.settings.webhook_batch_size):
                at = datetime.now(UTC)
                if not events:
                    values: dict[str, Any] = {"cursor": last_seq}
                    delivered = 0
                else:
                    status, error = await self._post(webhook, secret, events, last_seq)
                    if error is not None:
                        failures += 1
                        wait = min(
                            self.settings.webhook_retry_base_seconds * 2 ** min(failures - 1, 30),
                            self.settings.webhook_retry_max_seconds,
                        )
                        values = {
                            "lastAttemptAt": at,
                            "lastStatus": status,
                            "lastError": error[:MAX_ERROR],
                            "consecutiveFailures": failures,
                            "nextAttemptAt": at + timedelta(seconds=wait),
                        }
                        await repo.record_attempt(
                            self.platform.db, webhook_id, self.owner, values, 0, None
                        )
                        return True
                    failures = 0
                    delivered = len(events)
                    values = {
                        "cursor": last_seq,
                        "lastAttemptAt": at,
                        "lastDeliveryAt": at,
                        "lastStatus": status,
                        "lastError": None,
                        "consecutiveFailures": 0,
                        "nextAttemptAt": None,
                    }
                more = last_seq < head and time.monotonic() - started < budget
                still_ours = await repo.record_attempt(
                    self.platform.db,
                    webhook_id,
                    self.owner,
                    values,
                    delivered,
                    datetime.now(UTC) + lease if more else None,
                )
                cursor = last_seq
                if not still_ours or not more:
                    return True
        await repo.record_attempt(self.platform.db, webhook_id, self.owner, {}, 0, None)
        return True

    async def _with_documents(self, events: list[FeedEvent], shown: list[dict[str, Any]]) -> None:
        """A document delivery's event carries the document's registration, the dispatched
        file's SHA-256 and where to fetch it (with the body's own token, scope edms.delivery)."""
        ids = [e.entity_id for e in events if e.kind == "DocumentDelivery" and not e.tombstone]
        if not ids:
            return
        found = await repo.delivered_documents(self.platform.db, ids)
        base = (self.settings.public_url or "").rstrip("/")
        for event, item in zip(events, shown, strict=True):
            row = found.get(event.entity_id) if event.kind == "DocumentDelivery" else None
            if row is not None:
                item["delivery"] = delivery_json(row, base)

    async def _post(
        self, webhook: Webhook, secret: str, events: list[FeedEvent], last_seq: int
    ) -> tuple[int | None, str | None]:
        """(HTTP status, error or None): only a 2xx answer is a delivery."""
        problem = await urls.problem(webhook.url, self.settings.webhook_allow_loopback)
        if problem is not None:
            return None, problem
        shown = [event_json(e) for e in events]
        await self._with_documents(events, shown)
        body = json.dumps(
            {
                "webhook": webhook.id,
                "stateBody": webhook.state_body,
                "cursor": feed.encode_cursor(last_seq),
                "events": shown,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        headers = {
            "content-type": "application/json",
            signing.HEADER: signing.header(secret, body),
            "x-asan-webhook": webhook.id,
        }
        try:
            response = await self._http().post(webhook.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return None, f"{type(exc).__name__}: {exc}"
        if 200 <= response.status_code < 300:
            return response.status_code, None
        return response.status_code, f"HTTP {response.status_code}"
