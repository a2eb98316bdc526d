"""Webhooks against a real receiving HTTP server: signatures, order, retries, catch-up, leases."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from asan.auth.principal import Principal
from asan.core import changelog
from asan.core.platform import Platform
from asan.integration import signing
from asan.integration.delivery import DeliveryWorker
from asan.integration.feed import decode_cursor
from tests.integration.receiver import Receiver
from tests.integration.support import draft, gql, publish, rename
from tests.registry.catalog_support import EDITOR_ASAN, EDITOR_DIN, build_registry

REGISTER = """
mutation($input: RegisterWebhookInput!) {
  registerWebhook(input: $input) {
    secret webhook { id stateBody url kinds cursor }
    userErrors { field message code }
  }
}"""
WEBHOOKS = """
query { webhooks { id cursor cursorLag delivered lastStatus lastError consecutiveFailures
                   lastDeliveryAt nextAttemptAt active } }"""
DIN_SYSTEM = Principal(
    subject="din-system",
    kind="service",
    state_body="DIN",
    scopes=frozenset({"integration.webhook", "registry.service.read"}),
)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver().start()
    yield r
    r.stop()


@pytest.fixture
def fast(clean_platform: Platform, monkeypatch: pytest.MonkeyPatch) -> Platform:
    """Loopback receivers allowed (test profile), short backoff and poll, small batches."""
    s = clean_platform.settings
    monkeypatch.setattr(s, "webhook_allow_loopback", True)
    monkeypatch.setattr(s, "webhook_retry_base_seconds", 0.2)
    monkeypatch.setattr(s, "webhook_poll_seconds", 0.05)
    monkeypatch.setattr(s, "webhook_batch_size", 5)
    return clean_platform


@asynccontextmanager
async def running(p: Platform, count: int = 1) -> AsyncIterator[list[DeliveryWorker]]:
    """Delivery workers as the app runs them (asyncio tasks), stopped when the block ends."""
    stop = asyncio.Event()
    workers = [DeliveryWorker(p, owner=f"w{i}") for i in range(count)]
    tasks = [asyncio.create_task(w.run(stop)) for w in workers]
    try:
        yield workers
    finally:
        stop.set()
        await asyncio.gather(*tasks)
        for w in workers:
            await w.close()


async def register(
    p: Platform, url: str, principal: Principal = EDITOR_DIN, **extra: Any
) -> dict[str, Any]:
    data = await gql(p, REGISTER, principal, input={"stateBody": "DIN", "url": url, **extra})
    return dict(data["registerWebhook"])


WAIT = 60.0  # seconds a condition may take on a busy machine before the test fails


async def until(receiver: Receiver, predicate: Any) -> None:
    ok = await asyncio.to_thread(receiver.wait_for, predicate, WAIT)
    assert ok, f"receiver saw {len(receiver.deliveries)} deliveries"


async def test_signed_ordered_deliveries_of_what_the_body_may_see(
    fast: Platform, receiver: Receiver
) -> None:
    p = fast
    await build_registry(p)
    made = await register(p, receiver.url, DIN_SYSTEM)
    assert made["userErrors"] == [] and made["secret"].startswith("whsec_")
    secret = made["secret"]
    await draft(p, "DIN-001")  # DIN's own draft: its system sees it
    await catalog_draft_of_other_body(p)  # ASAN's draft: never delivered to DIN
    await publish(p, "DIN-001")
    await rename(p, "DIN-001", "Yeni ad")
    last_din = await changelog.head_seq(p.db)  # the rename: the last event DIN may see
    async with running(p):
        await until(receiver, lambda r: r.accepted() and r.accepted()[-1]["seq"] >= last_din)
    events = receiver.accepted()
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(set(seqs)), "in order, each once"
    assert all(receiver.verified(d, secret) for d in receiver.deliveries)
    assert not receiver.verified(receiver.deliveries[0], secret + "x")
    ids = {(e["kind"], e["id"]) for e in events}
    assert ("SERVICE", "DIN-001") in ids and ("SERVICE", "ASAN-001") not in ids
    assert next(e["operation"] for e in events if e["id"] == "DIN-001") == "CREATED"
    payload = receiver.deliveries[-1].payload
    assert payload["webhook"] == made["webhook"]["id"]
    assert decode_cursor(payload["cursor"]) >= seqs[-1]
    hooks = (await gql(p, WEBHOOKS, EDITOR_DIN))["webhooks"]
    assert hooks[0]["delivered"] == len(events) and hooks[0]["lastStatus"] == 200
    assert hooks[0]["consecutiveFailures"] == 0 and hooks[0]["lastDeliveryAt"]
    assert (await gql(p, WEBHOOKS, EDITOR_ASAN))["webhooks"] == []


async def catalog_draft_of_other_body(p: Platform) -> None:
    from asan.registry.catalog import service as catalog
    from tests.registry.catalog_support import passport_service

    await catalog.create_service(
        p, EDITOR_ASAN, passport_service("ASAN-001", provider="ASAN", centres=(), buses=())
    )


async def test_failed_deliveries_back_off_then_catch_up_without_loss(
    fast: Platform, receiver: Receiver
) -> None:
    p = fast
    await build_registry(p)
    made = await register(p, receiver.url, kinds=["SERVICE"])
    receiver.fail_next = 3  # the subscriber is down for three attempts
    for i in range(12):
        await draft(p, f"DIN-{i:03d}")  # 12 events, batches of 5
    async with running(p):
        await until(receiver, lambda r: len(r.deliveries) >= 2)
        hooks = (await gql(p, WEBHOOKS, EDITOR_DIN))["webhooks"]
        down = hooks[0]
        assert down["consecutiveFailures"] >= 1 and down["lastError"] == "HTTP 500"
        assert down["lastStatus"] == 500 and down["nextAttemptAt"] and down["cursorLag"] > 0
        await until(receiver, lambda r: len(r.accepted()) == 12)
    # leaving the block lets each worker finish its pass, recording the last 2xx
    failed = [d for d in receiver.deliveries if d.status == 500]
    assert len(failed) == 3
    # a failed batch is sent again, the same events from the same cursor
    assert failed[0].payload["events"] == failed[1].payload["events"]
    events = receiver.accepted()
    assert [e["id"] for e in events] == [f"DIN-{i:03d}" for i in range(12)]
    assert {e["kind"] for e in events} == {"SERVICE"}
    assert all(len(d.payload["events"]) <= 5 for d in receiver.deliveries)
    hooks = (await gql(p, WEBHOOKS, EDITOR_DIN))["webhooks"]
    assert hooks[0]["cursorLag"] == 0 and hooks[0]["consecutiveFailures"] == 0
    assert hooks[0]["id"] == made["webhook"]["id"]


async def test_several_workers_deliver_each_event_once_in_order(
    fast: Platform, receiver: Receiver
) -> None:
    p = fast
    await build_registry(p)
    await register(p, receiver.url, kinds=["SERVICE"])
    for i in range(15):
        await draft(p, f"DIN-{i:03d}")
    async with running(p, count=3):
        await until(receiver, lambda r: len(r.accepted()) >= 15)
    seqs = [e["seq"] for e in receiver.accepted()]
    assert seqs == sorted(seqs) and len(seqs) == len(set(seqs)) == 15


async def test_urls_callers_rotation_and_deletion(fast: Platform, receiver: Receiver) -> None:
    p = fast
    await build_registry(p)
    p.settings.webhook_allow_loopback = False  # as in production
    for url in (
        "ftp://example.org/x",
        "https://10.0.0.5/hook",
        "https://169.254.169.254/x",
        "https://localhost/x",
        "https://user:pw@example.org/x",
        "https://exa mple.org",
    ):
        made = await register(p, url)
        assert made["webhook"] is None, url
        assert made["userErrors"][0]["field"] == "url", url
    refused = await register(p, receiver.url)
    assert refused["userErrors"] and refused["userErrors"][0]["field"] == "url"
    p.settings.webhook_allow_loopback = True
    from asan.graphql.context import Context
    from asan.graphql.schema import schema

    other = await schema.execute(
        REGISTER,
        variable_values={"input": {"stateBody": "DIN", "url": receiver.url}},
        context_value=Context(platform=p, principal=EDITOR_ASAN),
    )
    assert other.errors and other.errors[0].extensions["code"] == "FORBIDDEN"
    made = await register(p, receiver.url)
    hook_id = made["webhook"]["id"]
    rotated = await gql(
        p,
        "mutation($i: WebhookIdInput!) "
        "{ rotateWebhookSecret(input: $i) { secret userErrors { code } } }",
        EDITOR_DIN,
        i={"id": hook_id},
    )
    new_secret = rotated["rotateWebhookSecret"]["secret"]
    assert new_secret and new_secret != made["secret"]
    await draft(p, "DIN-001")
    async with running(p):
        await until(receiver, lambda r: bool(r.accepted()))
    assert receiver.verified(receiver.deliveries[0], new_secret)
    assert not receiver.verified(receiver.deliveries[0], made["secret"])
    hidden = await schema.execute(
        "mutation($i: WebhookIdInput!) { deleteWebhook(input: $i) { userErrors { code } } }",
        variable_values={"i": {"id": hook_id}},
        context_value=Context(platform=p, principal=EDITOR_ASAN),
    )
    assert hidden.data is not None  # another body's webhook: as if it did not exist
    assert hidden.data["deleteWebhook"]["userErrors"] == [{"code": "NOT_FOUND"}]
    deleted = await gql(
        p,
        "mutation($i: WebhookIdInput!) { deleteWebhook(input: $i) { userErrors { code } } }",
        EDITOR_DIN,
        i={"id": hook_id},
    )
    assert deleted["deleteWebhook"]["userErrors"] == []
    assert (await gql(p, WEBHOOKS, EDITOR_DIN))["webhooks"] == []
    assert signing.verify("k", signing.header("k", b"{}"), b"{}")
    assert not signing.verify("k", signing.header("k", b"{}", timestamp=1), b"{}")


async def test_the_cli_delivers_from_a_separate_process(fast: Platform, receiver: Receiver) -> None:
    p = fast
    await build_registry(p)
    made = await register(p, receiver.url, kinds=["SERVICE"])
    await draft(p, "DIN-001")
    env = dict(os.environ, ASAN_WEBHOOK_ALLOW_LOOPBACK="true")
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "asan", "webhooks", "deliver", "--once"],
        capture_output=True,
        text=True,
        env=env,
        timeout=WAIT * 2,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "subscribers served: 1" in result.stderr
    state = (await gql(p, WEBHOOKS, EDITOR_DIN))["webhooks"]
    assert [e["id"] for e in receiver.accepted()] == ["DIN-001"], (state, result.stderr)
    assert receiver.verified(receiver.deliveries[0], made["secret"])
