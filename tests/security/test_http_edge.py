"""Issue 7, items 6 and 7: malformed bodies and text are input errors; slow connections close.

Bodies go through the ASGI app; connection timeouts are tested with raw sockets against a
real uvicorn server on a free loopback port.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from asan.app import create_app
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.httpguard import uvicorn_options


@pytest.fixture
async def client(settings: Settings, platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, platform)
    app.state.platform = platform
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


async def _post(client: httpx.AsyncClient, body: bytes) -> httpx.Response:
    return await client.post("/graphql", content=body, headers={"content-type": "application/json"})


# --- malformed bodies: 400 with a JSON message, never 500 -----------------------------------


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b'{"query": "{ apiVersion }", "x": "\xff\xfe"}', "UTF-8"),
        (b'"{ apiVersion }"', "JSON object"),
        (b"42", "JSON object"),
        (b"null", "JSON object"),
        (b'[{"query": "{ apiVersion }"}]', "batched"),
        (b"[" * 40_000 + b"]" * 40_000, "nested too deeply"),
        (b'{"query": ' + b"[" * 40_000 + b"]" * 40_000 + b"}", "nested too deeply"),
        (b'{"query": "{ apiVersion }"', "not valid JSON"),
        (b"", "not valid JSON"),
    ],
)
async def test_malformed_bodies_get_400_with_a_clear_json_message(
    client: httpx.AsyncClient, body: bytes, words: str
) -> None:
    response = await _post(client, body)
    assert response.status_code == 400
    payload = response.json()
    assert words in payload["error"]
    assert payload["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_a_well_formed_body_still_answers(client: httpx.AsyncClient) -> None:
    response = await _post(client, b'{"query": "{ apiVersion }"}')
    assert response.status_code == 200
    assert response.json()["data"]["apiVersion"]


# --- invalid text in arguments: BAD_USER_INPUT naming the argument ---------------------------


def _errors(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    errors: list[dict[str, Any]] = response.json()["errors"]
    return errors


@pytest.mark.parametrize(
    ("query", "variables", "field"),
    [
        ('{ service(code: "AB\\ud800") { code } }', None, "code"),
        ("query($c: String!) { service(code: $c) { code } }", {"c": "AB\\ud800"}, "$c"),
        ('{ node(id: "\\udfff") { id } }', None, "id"),
        ('{ service(code: "A\\u0000B") { code } }', None, "code"),
        (
            "query($f: ServiceFilter) { services(first: 1, filter: $f) { totalCount } }",
            {"f": {"search": "x\\ud83d"}},
            "$f.search",
        ),
    ],
)
async def test_lone_surrogates_and_control_characters_are_bad_user_input(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None, field: str
) -> None:
    # Built by hand: the JSON text carries the escape exactly as an attacker would send it.
    body = '{"query": ' + json.dumps(query).replace("\\\\u", "\\u")
    if variables is not None:
        body += ', "variables": ' + json.dumps(variables).replace("\\\\u", "\\u")
    body += "}"
    [error] = _errors(await _post(client, body.encode()))
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == field
    assert f"`{field}`" in error["message"]


@pytest.mark.parametrize("global_id", ["", "abc", "Tm9wZTox", "U2VydmljZQ=="])
async def test_malformed_global_ids_are_bad_user_input(
    client: httpx.AsyncClient, global_id: str
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "query($id: ID!) { node(id: $id) { id } }", "variables": {"id": global_id}},
    )
    [error] = _errors(response)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_inline_empty_global_id_is_bad_user_input(client: httpx.AsyncClient) -> None:
    [error] = _errors(await client.post("/graphql", json={"query": '{ node(id: "") { id } }'}))
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_deeply_nested_cursor_is_bad_user_input(client: httpx.AsyncClient) -> None:
    import base64

    cursor = base64.urlsafe_b64encode(b"[" * 5000 + b"]" * 5000).decode()
    response = await client.post(
        "/graphql",
        json={
            "query": "query($a: String) { services(first: 1, after: $a) { totalCount } }",
            "variables": {"a": cursor},
        },
    )
    [error] = _errors(response)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


# --- slow and idle connections against a real uvicorn ----------------------------------------


@asynccontextmanager
async def serving(app: Starlette, settings: Settings) -> AsyncIterator[int]:
    """uvicorn on a loopback port we bind first, so connections queue before it accepts."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(
        app, log_config=None, access_log=False, lifespan="off", **uvicorn_options(settings)
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield port
    finally:
        server.should_exit = True
        await task
        sock.close()


@pytest.fixture
async def slow_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "http_header_timeout_seconds": 0.5,
            "http_body_timeout_seconds": 0.5,
            "http_keep_alive_seconds": 1.0,
        }
    )


@pytest.fixture
async def port(slow_settings: Settings, platform: Platform) -> AsyncIterator[int]:
    app = create_app(slow_settings, platform)
    app.state.platform = platform
    async with serving(app, slow_settings) as bound:
        yield bound


async def _until_closed(reader: asyncio.StreamReader, limit: float = 10.0) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and how long that took."""
    started = time.perf_counter()
    data = await asyncio.wait_for(reader.read(), limit)
    return data, time.perf_counter() - started


async def test_a_body_that_never_arrives_gets_408_and_the_connection_closes(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        b"POST /graphql HTTP/1.1\r\nHost: t\r\ncontent-type: application/json\r\n"
        b"content-length: 200\r\n\r\n" + b'{"query": "{ apiV'
    )
    await writer.drain()
    data, elapsed = await _until_closed(reader)
    writer.close()
    assert data.startswith(b"HTTP/1.1 408"), data[:80]
    assert b"connection: close" in data.lower()
    assert b"request body not received within 0.5s" in data
    assert 0.4 < elapsed < 5


async def test_a_request_head_sent_slowly_is_cut_off(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /healthz HTTP/1.1\r\nHo")  # ... and the rest never comes
    await writer.drain()
    data, elapsed = await _until_closed(reader)
    writer.close()
    assert data == b""
    assert 0.4 < elapsed < 5


async def test_a_connection_that_sends_nothing_is_closed(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    data, elapsed = await _until_closed(reader)
    writer.close()
    assert data == b""
    assert 0.4 < elapsed < 5


async def test_an_idle_kept_alive_connection_is_closed_after_a_normal_request(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    assert head.startswith(b"HTTP/1.1 200")
    length = int(
        next(
            line.split(b":")[1]
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length")
        )
    )
    assert b"ok" in await reader.readexactly(length)
    rest, elapsed = await _until_closed(reader)
    writer.close()
    assert rest == b""
    assert 0.4 < elapsed < 5


async def test_a_normal_request_is_served_over_real_http(port: int) -> None:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as real:
        response = await real.post("/graphql", json={"query": "{ apiVersion }"})
    assert response.status_code == 200
    assert response.json()["data"]["apiVersion"]
