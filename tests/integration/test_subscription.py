"""The changes subscription over a real websocket (uvicorn on a free port, graphql-transport-ws)."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
import websockets

from asan.app import create_app
from asan.auth.keys import KeyStore
from asan.auth.service import AuthService
from asan.core import changelog
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.integration.feed import encode_cursor
from tests.integration.support import draft, publish, withdraw
from tests.registry.catalog_support import build_registry

WAIT = 60.0  # seconds a message may take on a busy machine before the test fails
SUBSCRIBE = """
subscription($after: String, $kinds: [ChangeEntityKind!]) {
  changes(after: $after, kinds: $kinds) {
    seq kind entityId operation tombstone node { ... on Service { code status } }
  }
}"""


@pytest.fixture
async def server(
    clean_platform: Platform, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[str]:
    monkeypatch.setattr(clean_platform.settings, "webhook_poll_seconds", 0.05)
    own = settings.model_copy(update={"data_dir": tmp_path, "webhook_worker": False})
    auth = AuthService(own, KeyStore.open(own.data_path, own.auth_algorithm))
    app = create_app(own, clean_platform, auth)
    # a socket already listening: clients connecting before uvicorn accepts simply queue
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    uv = uvicorn.Server(config)
    task = asyncio.create_task(uv.serve(sockets=[sock]))
    yield f"ws://127.0.0.1:{port}/graphql"
    uv.should_exit = True
    await task
    sock.close()


async def receive(ws: Any) -> dict[str, Any]:
    async with asyncio.timeout(WAIT):
        message: dict[str, Any] = json.loads(await ws.recv())
    return message


async def subscribe(url: str, **variables: Any) -> Any:
    ws = await websockets.connect(url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
    assert (await receive(ws))["type"] == "connection_ack"
    await ws.send(
        json.dumps(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": SUBSCRIBE, "variables": variables},
            }
        )
    )
    return ws


async def test_replays_then_follows_new_commits_as_public_sees_them(
    clean_platform: Platform, server: str
) -> None:
    p = clean_platform
    await build_registry(p)
    await draft(p, "DIN-001")
    await draft(p, "DIN-002")
    await publish(p, "DIN-001")
    ws = await subscribe(server, after=encode_cursor(0), kinds=["SERVICE"])
    try:
        first = await receive(ws)
        assert first["type"] == "next", first
        event = first["payload"]["data"]["changes"]
        assert event["entityId"] == "DIN-001" and event["node"]["status"] == "PUBLISHED"
        # now live: a withdrawal arrives as a tombstone; DIN-002 (a draft) never arrives
        before = await changelog.head_seq(p.db)
        await withdraw(p, "DIN-001")
        head = await changelog.head_seq(p.db)
        seen: list[dict[str, Any]] = []
        while not seen or seen[-1]["seq"] < head:
            message = await receive(ws)
            assert message["type"] == "next", message
            seen.append(message["payload"]["data"]["changes"])
        assert all(e["entityId"] == "DIN-001" for e in seen)
        live = [e for e in seen if e["seq"] > before]  # the rest of the replay came earlier
        assert len(live) == 2  # suspended, withdrawn
        suspension, withdrawal = live
        assert withdrawal["tombstone"] and withdrawal["operation"] == "WITHDRAWN"
        assert withdrawal["node"] is None
        # Events are judged by the service's state when they are read: the suspension is a
        # tombstone too if the subscription read it after the withdrawal committed, and a
        # visible change (a suspended service is public) if it read it in between.
        if suspension["tombstone"]:
            assert suspension["operation"] == "WITHDRAWN" and suspension["node"] is None
        else:
            assert suspension["operation"] == "STATUS_CHANGED", suspension
            assert suspension["node"] is None or suspension["node"]["status"] == "SUSPENDED"
    finally:
        await ws.close()


async def test_edge_limits_and_bad_tokens_apply_to_subscriptions(
    clean_platform: Platform, server: str
) -> None:
    ws = await websockets.connect(server, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    try:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert (await receive(ws))["type"] == "connection_ack"
        parents = 14  # deeper than the edge's depth limit (12)
        deep = (
            "subscription { changes { node { ... on Service { provider { "
            + "parent { " * parents
            + "code"
            + " }" * parents
            + " } } } } }"
        )
        await ws.send(json.dumps({"id": "d", "type": "subscribe", "payload": {"query": deep}}))
        refused = await receive(ws)
        assert refused["type"] == "error" and refused["id"] == "d"
        assert "depth" in refused["payload"][0]["message"]
        bad = json.dumps(
            {
                "id": "c",
                "type": "subscribe",
                "payload": {
                    "query": "subscription($a: String) { changes(after: $a) { seq } }",
                    "variables": {"a": "bm90LWEtY3Vyc29y"},
                },
            }
        )
        await ws.send(bad)
        message = await receive(ws)
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT", message
    finally:
        await ws.close()
    forged = await websockets.connect(server, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    await forged.send(
        json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer forged"}})
    )
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await receive(forged)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
