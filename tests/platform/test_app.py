"""The HTTP edge: liveness, readiness naming the failing service, body limits, request ids."""

from collections.abc import AsyncIterator

import httpx
import pytest

from asan.app import MAX_GRAPHQL_BODY, create_app
from asan.core.platform import Platform
from asan.core.settings import Settings


async def _client(settings: Settings, platform: Platform) -> httpx.AsyncClient:
    app = create_app(settings, platform)
    app.state.platform = platform
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


@pytest.fixture
async def client(settings: Settings, platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    async with await _client(settings, platform) as c:
        yield c


async def test_healthz_and_readyz(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"neo4j": "ok", "minio": "ok", "search": "ok"}


async def test_readyz_names_the_service_that_is_down(
    settings: Settings, platform: Platform
) -> None:
    broken_settings = settings.model_copy(update={"minio_port": 1})
    broken = Platform.connect(broken_settings)
    broken.db = platform.db  # Neo4j stays up; only MinIO points nowhere
    async with await _client(broken_settings, broken) as c:
        response = await c.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["minio"]
    assert "127.0.0.1:1" in body["checks"]["minio"]


async def test_graphql_answers_and_echoes_request_id(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ apiVersion }"}, headers={"X-Request-ID": "req-42"}
    )
    assert response.status_code == 200
    assert response.json()["data"]["apiVersion"]
    assert response.headers["x-request-id"] == "req-42"
    other = await client.post("/graphql", json={"query": "{ apiVersion }"})
    assert len(other.headers["x-request-id"]) == 32


async def test_oversized_graphql_body_is_refused(client: httpx.AsyncClient) -> None:
    padding = " " * (MAX_GRAPHQL_BODY + 1)
    response = await client.post(
        "/graphql",
        content=('{"query": "{ apiVersion }' + padding + '"}').encode(),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert str(MAX_GRAPHQL_BODY) in response.json()["error"]


async def test_token_flood_is_refused_before_execution(client: httpx.AsyncClient) -> None:
    query = "{ " + " ".join(["apiVersion"] * 5000) + " }"
    response = await client.post("/graphql", json={"query": query})
    errors = response.json()["errors"]
    assert "token" in errors[0]["message"].lower()


async def test_graphiql_is_served_in_development(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()
