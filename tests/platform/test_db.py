"""The Neo4j address (ASAN_NEO4J_URI) and read/write routing, against the real server.

The embedded test server answers the routing protocol, so the ``neo4j://`` cases run for real:
the driver fetches a routing table from it and routes READ work to it as a reader. The server
enforces the access mode, so a write sent through a read path fails: that is how these tests
see that reads really run as read transactions.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from neo4j.exceptions import ClientError
from pydantic import ValidationError

from asan.app import create_app
from asan.auth.service import AuthService
from asan.core.db import Database
from asan.core.platform import Platform
from asan.core.settings import Settings, neo4j_uri_problem

ACCESS_MODE = "Neo.ClientError.Statement.AccessMode"


@pytest.mark.parametrize(
    "uri",
    [
        "bolt://127.0.0.1:7687",
        "bolt+s://db.example.gov.az:7687",
        "neo4j://core-1.internal:7687",
        "neo4j+s://abcd1234.databases.neo4j.io",
        "neo4j://cluster.internal:7687?region=baku",
    ],
)
def test_supported_addresses_are_accepted(uri: str) -> None:
    assert neo4j_uri_problem(uri) is None
    settings = Settings(neo4j_uri_setting=uri)
    assert settings.neo4j_uri == uri
    assert settings.neo4j_routing is uri.startswith("neo4j")


@pytest.mark.parametrize(
    ("uri", "reason"),
    [
        ("http://127.0.0.1:7474", "scheme"),
        ("bolt+ssc://db.example:7687", "scheme"),
        ("127.0.0.1:7687", "scheme"),
        ("neo4j://:7687", "host"),
        ("neo4j://neo4j:s3cret-pass@db.example:7687", "credentials"),
        ("bolt://db.example:7687/neo4j", "path"),
        ("bolt://db.example:7687?policy=eu", "routing context"),
        ("bolt://db.example:99999", "valid address"),
    ],
)
def test_bad_addresses_are_refused_naming_the_problem(uri: str, reason: str) -> None:
    with pytest.raises(ValidationError) as info:
        Settings(neo4j_uri_setting=uri)
    message = str(info.value)
    assert "ASAN_NEO4J_URI" in message and reason in message
    assert "s3cret-pass" not in message  # a refused address never echoes a password


def test_environment_variable_sets_the_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASAN_NEO4J_URI", "neo4j+s://abcd1234.databases.neo4j.io")
    assert Settings().neo4j_uri == "neo4j+s://abcd1234.databases.neo4j.io"
    monkeypatch.setenv("ASAN_NEO4J_URI", "")
    monkeypatch.setenv("ASAN_NEO4J_HOST", "10.0.0.5")
    monkeypatch.setenv("ASAN_NEO4J_PORT", "7688")
    assert Settings().neo4j_uri == "bolt://10.0.0.5:7688"


def test_unset_address_follows_host_and_port_even_in_a_copy() -> None:
    settings = Settings(neo4j_host="10.0.0.5", neo4j_port=7688)
    assert settings.neo4j_uri == "bolt://10.0.0.5:7688"
    assert settings.model_copy(update={"neo4j_port": 7700}).neo4j_uri == "bolt://10.0.0.5:7700"


@pytest.fixture(params=["bolt", "neo4j"])
async def db(request: pytest.FixtureRequest, clean_platform: Platform) -> AsyncIterator[Database]:
    """A second connection to the test server, by direct (bolt) or routing (neo4j) address."""
    s = clean_platform.settings
    uri = f"{request.param}://{s.neo4j_host}:{s.neo4j_port}"
    database = Database.connect(s.model_copy(update={"neo4j_uri_setting": uri}))
    assert database.uri == uri
    yield database
    await database.close()


async def test_reads_run_in_read_mode_and_writes_in_write_mode(db: Database) -> None:
    marker = uuid.uuid4().hex
    with pytest.raises(ClientError) as refused:
        await db.read("CREATE (:DbProbe {marker: $m})", {"m": marker})
    assert refused.value.code == ACCESS_MODE
    with pytest.raises(ClientError) as refused_tx:
        async with db.read_transaction() as tx:
            await tx.run("CREATE (:DbProbe {marker: $m})", {"m": marker})
    assert refused_tx.value.code == ACCESS_MODE
    assert db.write_round_trips == 0

    await db.write("CREATE (:DbProbe {marker: $m, n: 1})", {"m": marker})
    async with db.transaction() as tx:
        await tx.run("MATCH (p:DbProbe {marker: $m}) SET p.n = p.n + 1", {"m": marker})
    assert db.write_round_trips == 2
    # this process reads its own writes, through the read path, whatever the address kind
    rows = await db.read("MATCH (p:DbProbe {marker: $m}) RETURN p.n AS n", {"m": marker})
    async with db.read_transaction() as tx:
        again = await tx.run("MATCH (p:DbProbe {marker: $m}) RETURN p.n AS n", {"m": marker})
    assert rows == again == [{"n": 2}]
    assert db.round_trips == 6 and db.write_round_trips == 2
    await db.write("MATCH (p:DbProbe {marker: $m}) DELETE p", {"m": marker})


async def test_a_platform_on_a_routing_address_serves_the_api(clean_platform: Platform) -> None:
    s = clean_platform.settings
    routed = s.model_copy(update={"neo4j_uri_setting": f"neo4j://{s.neo4j_host}:{s.neo4j_port}"})
    platform = Platform.connect(routed)
    try:
        checks = await platform.readiness(probe_seconds=5)
        assert checks["neo4j"] is None
        await _sample(platform)
        app = create_app(routed, platform, AuthService.for_settings(routed))
        app.state.platform = platform
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://asan.test") as client:
            body = (await client.post("/graphql", json={"query": SERVICE})).json()
        assert body == {"data": {"service": {"code": "DB-S1", "provider": {"code": "DB-B"}}}}
    finally:
        await platform.close()


SERVICE = '{ service(code: "DB-S1") { code provider { code } } }'
TREE = '{ stateBody(code: "DB-B") { code services { code requiredDocuments { code } } } }'


async def _sample(platform: Platform) -> None:
    await platform.db.write(
        """
        CREATE (b:StateBody {code: 'DB-B', nameAz: 'Qurum', nameFold: 'qurum', kind: 'agency'})
        CREATE (s:Service {code: 'DB-S1', nameAz: 'Xidmət', nameFold: 'xidmət',
                           status: 'published', version: 1})-[:PROVIDED_BY]->(b)
        CREATE (s)-[:REQUIRES {position: 1}]->(:Evidence {code: 'DB-E1', nameAz: 'Sənəd'})
        """
    )


async def test_read_only_requests_make_no_write_round_trips(clean_platform: Platform) -> None:
    """Public reads and signed-in reads (token check, caller resolution, revocation state)
    all go to READ mode, so a cluster can serve them from followers."""
    await _sample(clean_platform)
    user = f"db-reader-{uuid.uuid4().hex[:8]}"
    await clean_platform.db.write(
        """CREATE (:User {id: $u, username: $u, usernameFold: $u, active: true,
                         roles: ['registry_reviewer']})""",
        {"u": user},
    )
    settings = clean_platform.settings
    auth = AuthService.for_settings(settings)
    token, _ = auth.access_token(user, "user")
    app = create_app(settings, clean_platform, auth)
    app.state.platform = clean_platform
    transport = httpx.ASGITransport(app=app)
    before = clean_platform.db.write_round_trips
    async with httpx.AsyncClient(transport=transport, base_url="http://asan.test") as client:
        for headers in ({}, {"Authorization": f"Bearer {token}"}):
            for query in (SERVICE, TREE):
                response = await client.post("/graphql", json={"query": query}, headers=headers)
                assert response.status_code == 200 and "errors" not in response.json()
        tree = (await client.post("/graphql", json={"query": TREE})).json()
    assert tree["data"]["stateBody"]["services"][0]["requiredDocuments"] == [{"code": "DB-E1"}]
    assert clean_platform.db.write_round_trips == before


def test_a_refused_setting_never_echoes_the_values_given() -> None:
    from asan.core.settings import Profile

    with pytest.raises(ValidationError) as info:
        Settings(profile=Profile.PROD, neo4j_password="short-pw1")
    assert "ASAN_NEO4J_PASSWORD" in str(info.value) and "short-pw1" not in str(info.value)
