"""Issue 7, item 7: /readyz answers within 1 s whatever is down, and does not pile up probes."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from asan.app import create_app
from asan.core.platform import Platform
from asan.core.settings import Settings


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Blackhole:
    """A TCP server that accepts connections and never answers (a hung service)."""

    def __init__(self) -> None:
        self.accepted = 0
        self._writers: list[asyncio.StreamWriter] = []
        self._server: asyncio.Server | None = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        self._writers.append(writer)

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        for writer in self._writers:
            writer.close()
        assert self._server is not None
        self._server.close()


@pytest.fixture
async def blackholes() -> AsyncIterator[tuple[Blackhole, Blackhole]]:
    pair = (Blackhole(), Blackhole())
    yield pair
    for hole in pair:
        await hole.stop()


async def _readyz(settings: Settings, platform: Platform) -> tuple[httpx.Response, float]:
    app = create_app(settings, platform)
    app.state.platform = platform
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        started = time.perf_counter()
        response = await client.get("/readyz")
        return response, time.perf_counter() - started


async def test_readyz_is_fast_when_minio_refuses_connections(
    settings: Settings, platform: Platform
) -> None:
    down = settings.model_copy(update={"minio_port": closed_port()})
    broken = Platform.connect(down)
    broken.db = platform.db
    response, elapsed = await _readyz(down, broken)
    assert response.status_code == 503
    assert response.json()["failing"] == ["minio"]
    assert elapsed < 1.0, elapsed  # was 6 s: the SDK retried with backoff


async def test_readyz_is_fast_when_both_services_hang(
    settings: Settings, blackholes: tuple[Blackhole, Blackhole]
) -> None:
    neo4j_hole, minio_hole = blackholes
    hung = settings.model_copy(
        update={
            "neo4j_port": await neo4j_hole.start(),
            "minio_port": await minio_hole.start(),
            "readiness_timeout_seconds": 0.5,  # the default (0.75) leaves less margin under 1 s
        }
    )
    platform = Platform.connect(hung)
    try:
        response, elapsed = await _readyz(hung, platform)
        assert elapsed < 1.0, elapsed
        assert response.status_code == 503
        body = response.json()
        assert body["failing"] == ["minio", "neo4j"]
        assert "did not answer within" in body["checks"]["neo4j"]
        assert "did not answer within" in body["checks"]["minio"]
        assert body["checks"]["search"] == "ok"
        assert neo4j_hole.accepted >= 1 and minio_hole.accepted >= 1

        # Within the cache window a second probe is not sent: no new connections.
        seen = (neo4j_hole.accepted, minio_hole.accepted)
        again, elapsed_again = await _readyz(hung, platform)
        assert again.json() == body
        assert (neo4j_hole.accepted, minio_hole.accepted) == seen
        assert elapsed_again < 0.2
    finally:
        await platform.close()


async def test_concurrent_readyz_calls_share_one_probe(
    settings: Settings, blackholes: tuple[Blackhole, Blackhole]
) -> None:
    neo4j_hole, minio_hole = blackholes
    hung = settings.model_copy(
        update={
            "neo4j_port": await neo4j_hole.start(),
            "minio_port": await minio_hole.start(),
            "readiness_timeout_seconds": 0.5,  # the default (0.75) leaves less margin under 1 s
        }
    )
    platform = Platform.connect(hung)
    try:
        started = time.perf_counter()
        answers = await asyncio.gather(
            *(platform.readiness(probe_seconds=0.5, max_age=2.0) for _ in range(20))
        )
        assert time.perf_counter() - started < 1.0
        assert all(a == answers[0] for a in answers)
        assert minio_hole.accepted == 1  # twenty callers, one probe
    finally:
        await platform.close()


async def test_readyz_still_reports_ready_when_all_is_up(
    settings: Settings, platform: Platform
) -> None:
    response, elapsed = await _readyz(settings, platform)
    assert response.status_code == 200
    assert response.json()["status"] == "ready"
    assert elapsed < 1.0
