"""Issue 7, item 6: an outage of Neo4j or MinIO reaches clients as SERVICE_UNAVAILABLE (503).

The services stay up: a Platform is pointed at a closed loopback port instead (nothing is
killed), which is what a client sees while a server is down.
"""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from asan.app import create_app
from asan.core.db import Database
from asan.core.errors import ServiceUnavailable
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.core.storage import ObjectStore


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def down(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "neo4j_port": closed_port(),
            "minio_port": closed_port(),
            "neo4j_max_retry_seconds": 0.0,
            "minio_retries": 0,
        }
    )


@pytest.fixture
async def neo4j_down_client(down: Settings, platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    broken = Platform.connect(down)
    broken.store = platform.store  # only Neo4j is down
    app = create_app(down, broken)
    app.state.platform = broken
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        yield client
    await broken.close()


async def test_graphql_during_a_neo4j_outage_answers_503_naming_neo4j(
    neo4j_down_client: httpx.AsyncClient,
) -> None:
    started = time.perf_counter()
    response = await neo4j_down_client.post(
        "/graphql", json={"query": "{ services(first: 1) { totalCount } }"}
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 503
    assert response.headers["retry-after"].isdigit()
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert "neo4j" in error["message"]
    assert elapsed < 10  # refused connection: no half-minute of driver retries


async def test_a_query_that_needs_no_database_still_answers_200(
    neo4j_down_client: httpx.AsyncClient,
) -> None:
    response = await neo4j_down_client.post("/graphql", json={"query": "{ apiVersion }"})
    assert response.status_code == 200
    assert response.json()["data"]["apiVersion"]


async def test_database_calls_raise_the_domain_outage_error(down: Settings) -> None:
    db = Database.connect(down)
    try:
        with pytest.raises(ServiceUnavailable) as read:
            await db.read("RETURN 1 AS x")
        assert read.value.service == "neo4j"
        assert read.value.code == "SERVICE_UNAVAILABLE"
        with pytest.raises(ServiceUnavailable):
            async with db.transaction() as tx:
                await tx.run("RETURN 1 AS x")
        with pytest.raises(ServiceUnavailable):
            await db.run_auto_commit("RETURN 1 AS x")
    finally:
        await db.close()


async def test_object_store_calls_raise_the_domain_outage_error(down: Settings) -> None:
    store = ObjectStore.connect(down)
    started = time.perf_counter()
    with pytest.raises(ServiceUnavailable) as put:
        await store.put("asan-outage", "k", b"data")
    assert put.value.service == "minio"
    assert "minio" in put.value.message
    with pytest.raises(ServiceUnavailable):
        await store.get("asan-outage", "k")
    with pytest.raises(ServiceUnavailable):
        await store.exists("asan-outage", "k")
    assert time.perf_counter() - started < 10  # the SDK default would retry with backoff


async def test_a_unit_of_work_during_a_minio_outage_fails_as_unavailable(
    down: Settings, platform: Platform
) -> None:
    broken = Platform.connect(down)
    broken.db = platform.db  # only MinIO is down

    async def work(uow: object) -> None:
        from asan.core.uow import UnitOfWork

        assert isinstance(uow, UnitOfWork)
        await uow.put_object(platform.buckets["documents"], "outage/probe", b"x")

    with pytest.raises(ServiceUnavailable) as info:
        await broken.in_transaction(work)
    assert info.value.service == "minio"


async def test_token_endpoint_during_a_neo4j_outage_answers_503(
    neo4j_down_client: httpx.AsyncClient,
) -> None:
    response = await neo4j_down_client.post(
        "/oauth/token",
        data={"grant_type": "password", "username": "demo.editor", "password": "x" * 14},
    )
    assert response.status_code == 503
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert error["extensions"]["service"] == "neo4j"
    assert "x" * 14 not in response.text


async def test_a_signed_in_request_during_a_neo4j_outage_answers_503(
    down: Settings, neo4j_down_client: httpx.AsyncClient
) -> None:
    from asan.auth.service import AuthService

    token, _ = AuthService.for_settings(down).access_token("user-1", "user")
    response = await neo4j_down_client.post(
        "/graphql",
        json={"query": "{ apiVersion }"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
