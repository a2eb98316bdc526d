"""Shared set-up of the auth tests: a fake clock, users and org fixtures written in Cypher."""

from __future__ import annotations

import base64
import json
import time
from datetime import date
from typing import Any

import httpx

from asan.auth.accounts import create_user
from asan.auth.models import NewUser
from asan.auth.principal import SYSTEM
from asan.core.platform import Platform

PASSWORD = "correct horse battery"


class FakeClock:
    """Starts at the real time (python-jose checks exp/nbf against it); tests advance it."""

    def __init__(self, now: float | None = None) -> None:
        self.now = time.time() if now is None else now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    @property
    def today(self) -> date:
        from datetime import UTC, datetime

        return datetime.fromtimestamp(self.now, UTC).date()


async def ensure_state_body(platform: Platform, code: str) -> None:
    """A state body for accounts to name (an account naming an unknown body is refused)."""
    await platform.db.write(
        "MERGE (b:StateBody {code: $code}) ON CREATE SET b.nameAz = $code, b.nameFold = $fold",
        {"code": code, "fold": code.lower()},
    )


async def add_user(
    platform: Platform,
    username: str,
    roles: set[str] | None = None,
    state_body: str | None = None,
    **extra: Any,
) -> str:
    if state_body is not None:
        await ensure_state_body(platform, state_body)
    return await create_user(
        platform,
        SYSTEM,
        NewUser(username, username.title(), PASSWORD, frozenset(roles or ()), state_body, **extra),
    )


async def org_fixture(platform: Platform) -> None:
    """A department with two sectors, its head, a deputy leading one sector, a staff member."""
    await platform.db.write(
        """
        CREATE (dept:OrgUnit {code: 'DEPT-IT', kind: 'department'})
        CREATE (s1:OrgUnit {code: 'DEPT-IT-SEC-1', kind: 'sector'})-[:PART_OF]->(dept)
        CREATE (s2:OrgUnit {code: 'DEPT-IT-SEC-2', kind: 'sector'})-[:PART_OF]->(dept)
        CREATE (other:OrgUnit {code: 'DEPT-HR', kind: 'department'})
        CREATE (:Position {code: 'DEPT-IT-HEAD', kind: 'head'})-[:IN_UNIT]->(dept)
        CREATE (dep:Position {code: 'DEPT-IT-DEPUTY', kind: 'deputy_head'})-[:IN_UNIT]->(dept)
        CREATE (dep)-[:LEADS]->(s1)
        CREATE (:Position {code: 'DEPT-IT-STAFF', kind: 'staff'})-[:IN_UNIT]->(s2)
        CREATE (:Position {code: 'DEPT-HR-HEAD', kind: 'head'})-[:IN_UNIT]->(other)
        """
    )


async def hold(
    platform: Platform, user_id: str, position: str, start: date, end: date | None = None
) -> None:
    await platform.db.write(
        """
        MATCH (u:User {id: $user}), (p:Position {code: $position})
        CREATE (u)-[:HOLDS {validFrom: $start, validUntil: $end}]->(p)
        """,
        {"user": user_id, "position": position, "start": start, "end": end},
    )


async def delegate(platform: Platform, start: date, end: date) -> None:
    await platform.db.write(
        """
        MATCH (h:Position {code: 'DEPT-IT-HEAD'}), (d:Position {code: 'DEPT-IT-DEPUTY'})
        CREATE (x:Delegation {id: randomUUID(), validFrom: $start, validUntil: $end,
                              reason: 'vacation'})
        CREATE (x)-[:FROM]->(h), (x)-[:TO]->(d)
        """,
        {"start": start, "end": end},
    )


async def audit_rows(platform: Platform, outcome: str | None = None) -> list[dict[str, Any]]:
    rows = await platform.db.read(
        """
        MATCH (e:AuditEvent) WHERE $outcome IS NULL OR e.outcome = $outcome
        RETURN e {.*} AS e ORDER BY e.seq
        """,
        {"outcome": outcome},
    )
    return [row["e"] for row in rows]


def b64(data: bytes | str) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64json(value: dict[str, Any]) -> str:
    return b64(json.dumps(value, separators=(",", ":")))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def asgi_client(
    settings: Any, platform: Platform, auth: Any, address: str = "127.0.0.1"
) -> httpx.AsyncClient:
    """The real app over an in-process transport, as seen from ``address``."""
    from asan.app import create_app

    app = create_app(settings, platform, auth)
    app.state.platform = platform  # ASGITransport does not run the lifespan
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://asan.test")
