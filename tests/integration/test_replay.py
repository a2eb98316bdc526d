"""Done when: a consumer keeps an exact copy of the registry it may see by replaying the feed.

A random (seeded) mix of catalog changes runs while the consumer reads the feed at random
moments; the copy built from the events (current state through each event's node, tombstones
removed) must equal what the API lists for the same caller.
"""

from __future__ import annotations

import random
from typing import Any

from asan.auth.principal import ANONYMOUS, SYSTEM, Principal
from asan.core.platform import Platform
from asan.registry.catalog import service as catalog
from asan.registry.catalog.models import StateBodyInput
from tests.integration.support import FEED, draft, gql, publish, rename
from tests.registry.catalog_support import REVIEWER, build_registry

LISTS = """
query($after: String, $bodiesAfter: String) {
  services(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor } edges { node { code nameAz status } }
  }
  stateBodies(first: 100, after: $bodiesAfter) {
    pageInfo { hasNextPage endCursor } edges { node { code nameAz } }
  }
}"""


class Consumer:
    """An integrator's copy: (kind, id) -> the entity as last read through the feed."""

    def __init__(self, principal: Principal) -> None:
        self.principal = principal
        self.cursor: str | None = None
        self.copy: dict[tuple[str, str], dict[str, Any]] = {}

    async def sync(self, p: Platform) -> None:
        while True:
            data = await gql(p, FEED, self.principal, after=self.cursor, first=7)
            page = data["changes"]
            for edge in page["edges"]:
                event = edge["node"]
                key = (event["kind"], event["entityId"])
                if event["kind"] not in ("SERVICE", "STATE_BODY"):
                    continue
                if event["tombstone"] or event["node"] is None:
                    self.copy.pop(key, None)
                else:
                    self.copy[key] = event["node"]
            self.cursor = page["pageInfo"]["endCursor"]
            if not page["pageInfo"]["hasNextPage"]:
                return


async def registry_as_seen(p: Platform, principal: Principal) -> dict[tuple[str, str], Any]:
    seen: dict[tuple[str, str], Any] = {}
    for field, kind in (("services", "SERVICE"), ("stateBodies", "STATE_BODY")):
        after: str | None = None
        while True:
            variables = {"after": after} if field == "services" else {"bodiesAfter": after}
            page = (await gql(p, LISTS, principal, **variables))[field]
            for edge in page["edges"]:
                seen[(kind, edge["node"]["code"])] = edge["node"]
            after = page["pageInfo"]["endCursor"]
            if not page["pageInfo"]["hasNextPage"]:
                break
    return seen


async def test_replaying_the_feed_keeps_an_exact_copy(clean_platform: Platform) -> None:
    p = clean_platform
    rng = random.Random(9)  # noqa: S311 - a reproducible mix, not a secret
    await build_registry(p)
    consumers = [Consumer(ANONYMOUS), Consumer(REVIEWER)]
    status: dict[str, str] = {}
    bodies = ["DIN", "ASAN", "DMX"]
    done: set[str] = set()
    for step in range(50):
        drafts = [c for c, s in status.items() if s == "draft"]
        published = [c for c, s in status.items() if s == "published"]
        suspended = [c for c, s in status.items() if s == "suspended"]
        options = ["create", "body", "body_rename"]
        options += ["publish"] * 2 if drafts else []
        options += ["rename", "suspend"] if published else []
        options += ["resume", "withdraw", "withdraw"] if suspended else []
        choice = rng.choice(options)
        done.add(choice)
        if choice == "create":
            code = f"DIN-{step:03d}"
            await draft(p, code, f"Xidmət {step}")
            status[code] = "draft"
        elif choice == "publish":
            code = rng.choice(drafts)
            await publish(p, code)
            status[code] = "published"
        elif choice == "rename":
            await rename(p, rng.choice(published), f"Ad {step}")
        elif choice == "suspend":
            code = rng.choice(published)
            await catalog.transition_service(p, REVIEWER, code, "suspended")
            status[code] = "suspended"
        elif choice == "resume":
            code = rng.choice(suspended)
            await catalog.transition_service(p, REVIEWER, code, "published")
            status[code] = "published"
        elif choice == "withdraw":
            code = rng.choice(suspended)
            await catalog.transition_service(p, REVIEWER, code, "withdrawn")
            status[code] = "withdrawn"
        elif choice == "body":
            code = f"B{step}"
            await catalog.create_state_body(p, SYSTEM, StateBodyInput(code, f"Orqan {step}"))
            bodies.append(code)
        else:
            code = rng.choice(bodies)
            await catalog.update_state_body(p, SYSTEM, StateBodyInput(code, f"Yeni {step}"))
        if rng.random() < 0.3:  # consumers read mid-stream, resuming from their cursors
            for consumer in consumers:
                await consumer.sync(p)
    assert {"create", "publish", "rename", "suspend", "withdraw", "body_rename"} <= done, done
    for consumer in consumers:
        await consumer.sync(p)
        assert consumer.copy == await registry_as_seen(p, consumer.principal), (
            consumer.principal.subject
        )
    public = consumers[0].copy
    assert not any(k[1] in status and status[k[1]] in ("draft", "withdrawn") for k in public)
