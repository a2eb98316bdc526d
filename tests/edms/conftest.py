"""The EDMS tests' shared world: an org with heads, a deputy acting by delegation, a
registrar, executors, a signatory, a legal expert, an outsider; bearer tokens for each.

``edms_world`` (module scope) resets the graph once per test module and builds the world
through the real account use cases (a snapshot restores it for later modules); every test
of the module then creates its own documents in it. ``world.gql(who, query, variables)``
posts to the real app (ASGI transport) as that user; ``world.principal(who)`` is the same
caller for use-case level tests. Nothing is mocked: Neo4j and MinIO are the test services.

Who is who (usernames = keys of ``world.users``):
  chairman   signatory, holds CHAIRMAN (agency), clearance state_secret
  head       head of DEPT-IT (and its sectors), clearance service_secret
  deputy     DEPT-IT deputy, leads DEPT-IT-SEC-1, acts for the head by a delegation in
             force today (the head is on leave), clearance service_secret
  sector2    head of sector DEPT-IT-SEC-2
  executor1  executor in DEPT-IT-SEC-1;  executor2  executor in DEPT-IT-SEC-2
  registrar  registrar in DOC-REG (document circulation department), clearance service_secret
  registrar2 registrar in DOC-REG, public clearance only
  legal      legal_expert in DEPT-LAW;  signatory  signatory holding DOC-HEAD (head of DOC)
  hrhead     head of DEPT-HR;  outsider  executor in DEPT-HR, public clearance
  auditor, archivist, admin (administrator)
State bodies: MIN-TAX, MIN-JUSTICE (correspondents and dispatch addressees).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from asan.auth.accounts import create_user
from asan.auth.keys import KeyStore
from asan.auth.models import NewUser
from asan.auth.principal import SYSTEM, Principal
from asan.auth.service import AuthService, resolve_user
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.core.workdays import today_in_baku
from tests.conftest import reset_graph
from tests.graph_snapshot import cached_build

PASSWORD = "correct horse battery"

ORG = """
CREATE (agency:OrgUnit {code: 'AGENCY', kind: 'agency', nameAz: 'Agentlik', nameEn: 'Agency'})
CREATE (doc:OrgUnit {code: 'DOC', kind: 'department', nameAz: 'Elektron sənəd dövriyyəsi şöbəsi',
        nameEn: 'Electronic Document Circulation Department'})-[:PART_OF]->(agency)
CREATE (docreg:OrgUnit {code: 'DOC-REG', kind: 'sector', nameAz: 'Qeydiyyat sektoru',
        nameEn: 'Registration sector'})-[:PART_OF]->(doc)
CREATE (it:OrgUnit {code: 'DEPT-IT', kind: 'department', nameAz: 'İT şöbəsi',
        nameEn: 'IT department'})-[:PART_OF]->(agency)
CREATE (s1:OrgUnit {code: 'DEPT-IT-SEC-1', kind: 'sector', nameAz: 'Sektor 1',
        nameEn: 'Sector 1'})-[:PART_OF]->(it)
CREATE (s2:OrgUnit {code: 'DEPT-IT-SEC-2', kind: 'sector', nameAz: 'Sektor 2',
        nameEn: 'Sector 2'})-[:PART_OF]->(it)
CREATE (law:OrgUnit {code: 'DEPT-LAW', kind: 'department', nameAz: 'Hüquq şöbəsi',
        nameEn: 'Legal department'})-[:PART_OF]->(agency)
CREATE (hr:OrgUnit {code: 'DEPT-HR', kind: 'department', nameAz: 'Kadrlar şöbəsi',
        nameEn: 'HR department'})-[:PART_OF]->(agency)
CREATE (:Position {code: 'CHAIRMAN', kind: 'chairman', title: 'Sədr'})-[:IN_UNIT]->(agency)
CREATE (:Position {code: 'DOC-HEAD', kind: 'head', title: 'Şöbə müdiri'})-[:IN_UNIT]->(doc)
CREATE (:Position {code: 'DOC-REG-STAFF', kind: 'staff', title: 'Qeydiyyatçı'})-[:IN_UNIT]->(docreg)
CREATE (:Position {code: 'DOC-REG-STAFF-2', kind: 'staff', title: 'Qeydiyyatçı'})
       -[:IN_UNIT]->(docreg)
CREATE (:Position {code: 'DEPT-IT-HEAD', kind: 'head', title: 'Şöbə müdiri'})-[:IN_UNIT]->(it)
CREATE (dep:Position {code: 'DEPT-IT-DEPUTY', kind: 'deputy_head', title: 'Müavin'})
       -[:IN_UNIT]->(it)
CREATE (dep)-[:LEADS]->(s1)
CREATE (:Position {code: 'DEPT-IT-SEC-2-HEAD', kind: 'sector_head', title: 'Sektor müdiri'})
       -[:IN_UNIT]->(s2)
CREATE (:Position {code: 'DEPT-IT-STAFF-1', kind: 'staff', title: 'Baş məsləhətçi'})
       -[:IN_UNIT]->(s1)
CREATE (:Position {code: 'DEPT-IT-STAFF-2', kind: 'staff', title: 'Baş məsləhətçi'})
       -[:IN_UNIT]->(s2)
CREATE (:Position {code: 'DEPT-LAW-EXPERT', kind: 'staff', title: 'Hüquqşünas'})-[:IN_UNIT]->(law)
CREATE (:Position {code: 'DEPT-HR-HEAD', kind: 'head', title: 'Şöbə müdiri'})-[:IN_UNIT]->(hr)
CREATE (:Position {code: 'DEPT-HR-STAFF', kind: 'staff', title: 'Məsləhətçi'})-[:IN_UNIT]->(hr)
MERGE (tax:StateBody {code: 'MIN-TAX'})
  ON CREATE SET tax.nameAz = 'Vergilər Nazirliyi', tax.nameEn = 'Ministry of Taxes',
                tax.nameFold = 'vergilər nazirliyi', tax.kind = 'ministry'
MERGE (just:StateBody {code: 'MIN-JUSTICE'})
  ON CREATE SET just.nameAz = 'Ədliyyə Nazirliyi', just.nameEn = 'Ministry of Justice',
                just.nameFold = 'ədliyyə nazirliyi', just.kind = 'ministry'
"""

# username -> (roles, clearance, position or None)
USERS: dict[str, tuple[frozenset[str], str, str | None]] = {
    "chairman": (frozenset({"signatory"}), "state_secret", "CHAIRMAN"),
    "head": (frozenset({"executor"}), "service_secret", "DEPT-IT-HEAD"),
    "deputy": (frozenset({"executor"}), "service_secret", "DEPT-IT-DEPUTY"),
    "sector2": (frozenset({"executor"}), "public", "DEPT-IT-SEC-2-HEAD"),
    "executor1": (frozenset({"executor"}), "public", "DEPT-IT-STAFF-1"),
    "executor2": (frozenset({"executor"}), "public", "DEPT-IT-STAFF-2"),
    "registrar": (frozenset({"registrar"}), "service_secret", "DOC-REG-STAFF"),
    "registrar2": (frozenset({"registrar"}), "public", "DOC-REG-STAFF-2"),
    "legal": (frozenset({"legal_expert"}), "public", "DEPT-LAW-EXPERT"),
    "signatory": (frozenset({"signatory"}), "service_secret", "DOC-HEAD"),
    "hrhead": (frozenset({"executor"}), "public", "DEPT-HR-HEAD"),
    "outsider": (frozenset({"executor"}), "public", "DEPT-HR-STAFF"),
    "auditor": (frozenset({"auditor"}), "public", None),
    "archivist": (frozenset({"archivist"}), "public", None),
    "admin": (frozenset({"administrator"}), "public", None),
}


async def _build_world(p: Platform) -> None:
    """The org, the users and their positions, the head's delegation to the deputy."""
    await p.db.write(ORG)
    today = today_in_baku()
    for username, (roles, clearance, _) in USERS.items():
        await create_user(
            p,
            SYSTEM,
            NewUser(username, username.title(), PASSWORD, roles, None, clearance=clearance),
        )
    await p.db.write(
        """
        UNWIND $holds AS h
        MATCH (u:User {username: h.username}), (pos:Position {code: h.position})
        CREATE (u)-[:HOLDS {validFrom: $from, validUntil: null}]->(pos)
        """,
        {
            "holds": [
                {"username": u, "position": pos}
                for u, (_, _, pos) in USERS.items()
                if pos is not None
            ],
            "from": today - timedelta(days=400),
        },
    )
    await p.db.write(
        """
        MATCH (h:Position {code: 'DEPT-IT-HEAD'}), (d:Position {code: 'DEPT-IT-DEPUTY'})
        CREATE (x:Delegation {id: 'DELEGATION-IT', validFrom: $start, validUntil: $end,
                              reason: 'məzuniyyət / leave'})
        CREATE (x)-[:FROM]->(h), (x)-[:TO]->(d)
        """,
        {"start": today - timedelta(days=2), "end": today + timedelta(days=30)},
    )


build_world = cached_build(_build_world)


@dataclass
class World:
    """The built world: user ids, principals as resolved today, tokens, an HTTP client."""

    platform: Platform
    auth: AuthService
    client: httpx.AsyncClient
    users: dict[str, str] = field(default_factory=dict)  # username -> user id
    principals: dict[str, Principal] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def principal(self, who: str) -> Principal:
        return self.principals[who]

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    async def post(
        self, who: str | None, query: str, variables: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """The whole GraphQL response (``data`` and ``errors``) as ``who`` (None: anonymous)."""
        response = await self.client.post(
            "/graphql",
            json={"query": query, "variables": dict(variables or {})},
            headers=self.headers(who) if who else {},
        )
        body: dict[str, Any] = response.json()
        return body

    async def gql(
        self, who: str | None, query: str, variables: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """``data`` of a response that must have no GraphQL errors."""
        body = await self.post(who, query, variables)
        assert not body.get("errors"), body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def refresh(self) -> None:
        """Principals again (after a test changed positions or delegations)."""
        today = today_in_baku().isoformat()
        for username, user_id in self.users.items():
            principal = await resolve_user(self.platform, user_id, today)
            assert principal is not None
            self.principals[username] = principal
        self.auth.forget_resolved()


async def make_world(p: Platform, settings: Settings, keys_dir: Path) -> World:
    await reset_graph(p)
    await build_world(p)
    rows = await p.db.read("MATCH (u:User) RETURN u.username AS username, u.id AS id")
    auth_settings = settings.model_copy(update={"data_dir": keys_dir})
    auth = AuthService(
        auth_settings, KeyStore.open(auth_settings.data_path, auth_settings.auth_algorithm)
    )
    from asan.app import create_app

    app = create_app(auth_settings, p, auth)
    app.state.platform = p  # ASGITransport does not run the lifespan
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://asan.test")
    world = World(p, auth, client, users={r["username"]: r["id"] for r in rows})
    await world.refresh()
    for username, user_id in world.users.items():
        world.tokens[username], _ = auth.access_token(user_id, "user")
    return world


@pytest.fixture(scope="module")
async def edms_world(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    """A fresh graph with the world, once per test module."""
    world = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("edms-keys"))
    yield world
    await world.client.aclose()
