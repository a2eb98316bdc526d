"""Mutation benchmark: audited writes from 20 concurrent clients, and how often they retry.

Every mutation appends to the one hash-chained audit log (and, once the change log exists, to
the change log), so every mutation serialises on a head node: this measures what that costs
and whether contention surfaces as failed requests. Through the whole ASGI app (GraphQL over
httpx + ASGITransport, bearer tokens, rate limits raised out of the way):

1. ``createService``: 20 clients each create their own drafts (4 state bodies, 5 clients and
   one editor per body);
2. ``updateService``: the same clients change those drafts (a new version each).

Reported: mutations per second, p50/p95 per phase and overall, failed mutations by error
code, and the pipeline's transient-error retry count when ``asan.auth.pipeline`` exposes one
(read with getattr, so the benchmark also runs on trees that predate the pipeline).

Bounded loops only, no sleeps. The bodies, users and services it makes carry ``benchMut`` and
are removed at the end; the audit events (and change events) they caused stay, because those
logs are append-only.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import time
import uuid
from typing import Any

import httpx

from asan.app import create_app
from asan.auth.service import AuthService
from asan.core.platform import Platform
from bench.stats import summarize

CLIENTS = 20
BODIES = 4
PER_CLIENT = 10  # creates per client, then as many updates: 400 mutations in all

CREATE = """
mutation($input: CreateServiceInput!) {
  createService(input: $input) { service { code version } userErrors { field message code } }
}"""
UPDATE = """
mutation($input: UpdateServiceInput!) {
  updateService(input: $input) { service { code version } userErrors { field message code } }
}"""

# Names a retry counter might have in asan.auth.pipeline (int, or an object with .value).
_RETRY_COUNTER_NAMES = ("RETRIES", "retries", "retry_count", "RETRY_COUNT", "transient_retries")


def retry_count() -> int | None:
    """The pipeline's module-level transient-retry counter, or None where there is none."""
    try:
        module = importlib.import_module("asan.auth.pipeline")
    except ImportError:
        return None
    for name in _RETRY_COUNTER_NAMES:
        value = getattr(module, name, None)
        if value is None:
            continue
        value = getattr(value, "value", value)
        if callable(value):
            value = value()
        if isinstance(value, int):
            return value
    return None


async def _fixture(platform: Platform, tag: str) -> list[str]:
    """One state body and one editor per body; returns the editors' user ids."""
    users = [f"bench-mut-{tag}-{b}" for b in range(BODIES)]
    await platform.db.write(
        """
        UNWIND range(0, size($users) - 1) AS i
        CREATE (b:StateBody {code: $prefix + toString(i), nameAz: 'Bench qurumu ' + toString(i),
                             nameFold: 'bench qurumu ' + toString(i), kind: 'agency',
                             benchMut: true})
        CREATE (u:User {id: $users[i], username: $users[i], usernameFold: $users[i],
                        active: true, roles: ['state_body_editor'],
                        stateBody: $prefix + toString(i), benchMut: true})
        """,
        {"users": users, "prefix": _body_prefix(tag)},
    )
    return users


def _body_prefix(tag: str) -> str:
    return f"BM-{tag.upper()}-B"


async def _cleanup(platform: Platform) -> None:
    await platform.db.write("MATCH (n {benchMut: true}) DETACH DELETE n")
    # services and versions were created by the use cases, which know nothing of benchMut
    await platform.db.write(
        """
        MATCH (s:Service) WHERE s.code STARTS WITH 'BM-'
        OPTIONAL MATCH (s)-[:HAS_VERSION]->(v)
        DETACH DELETE s, v
        """
    )


class _Outcomes:
    def __init__(self) -> None:
        self.ok = 0
        self.failed: dict[str, int] = {}
        self.first_failure: str | None = None

    def judge(self, response: httpx.Response, field: str) -> None:
        code = f"HTTP {response.status_code}"
        try:
            body: dict[str, Any] = response.json()
        except ValueError:
            body = {}
        payload = (body.get("data") or {}).get(field) or {}
        if response.status_code == 200 and not body.get("errors") and payload.get("service"):
            self.ok += 1
            return
        errors = body.get("errors") or payload.get("userErrors") or []
        if errors:
            first = errors[0]
            code = (first.get("extensions") or {}).get("code") or first.get("code") or code
        self.failed[code] = self.failed.get(code, 0) + 1
        if self.first_failure is None:
            self.first_failure = json.dumps(body, ensure_ascii=False)[:300]


async def _phase(
    client: httpx.AsyncClient,
    headers: list[dict[str, str]],
    query: str,
    field: str,
    make_input: Any,
) -> dict[str, Any]:
    outcomes = _Outcomes()
    samples: list[float] = []

    async def one_client(c: int) -> None:
        for k in range(PER_CLIENT):
            body = {"query": query, "variables": {"input": make_input(c, k)}}
            start = time.perf_counter()
            response = await client.post("/graphql", json=body, headers=headers[c % BODIES])
            samples.append((time.perf_counter() - start) * 1000)
            outcomes.judge(response, field)

    started = time.perf_counter()
    await asyncio.gather(*(one_client(c) for c in range(CLIENTS)))
    elapsed = time.perf_counter() - started
    return {
        **summarize(samples),
        "clients": CLIENTS,
        "mutations_per_s": round(len(samples) / elapsed, 1),
        "ok": outcomes.ok,
        "failed": outcomes.failed,
        **({"first_failure": outcomes.first_failure} if outcomes.first_failure else {}),
        "_samples": samples,
        "_elapsed": elapsed,
    }


async def run(platform: Platform) -> dict[str, Any]:
    settings = platform.settings.model_copy(
        update={"rate_limit_per_minute": 10**7, "rate_limit_anonymous_per_minute": 10**7}
    )
    auth = AuthService.for_settings(settings)
    tag = uuid.uuid4().hex[:6]
    prefix = _body_prefix(tag)
    users = await _fixture(platform, tag)
    headers = [{"Authorization": f"Bearer {auth.access_token(u, 'user')[0]}"} for u in users]
    retries_before = retry_count()

    def code(c: int, k: int) -> str:
        return f"BM-{tag.upper()}-S{c:02d}-{k:03d}"

    def create_input(c: int, k: int) -> dict[str, Any]:
        return {
            "code": code(c, k),
            "nameAz": f"Bench xidməti {c}-{k}",
            "provider": f"{prefix}{c % BODIES}",
            "processingDays": 5,
            "channels": ["ONLINE", "ASAN_CENTRE"],
            "onlineUrl": f"https://e-gov.az/bench/{c}/{k}",
        }

    def update_input(c: int, k: int) -> dict[str, Any]:
        return {"code": code(c, k), "nameAz": f"Bench xidməti {c}-{k} (yenilənib)"}

    out: dict[str, Any] = {"clients": CLIENTS, "state_bodies": BODIES}
    try:
        app = create_app(settings, platform, auth)
        app.state.platform = platform
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            # warm-up, unmeasured: each editor resolved once, each query planned once
            warm_up = _Outcomes()
            for b in range(BODIES):
                body = {"query": CREATE, "variables": {"input": create_input(b, 999)}}
                warm_up.judge(
                    await client.post("/graphql", json=body, headers=headers[b]), "createService"
                )
            if warm_up.failed:
                raise RuntimeError(f"bench_mutations warm-up failed: {warm_up.first_failure}")
            create = await _phase(client, headers, CREATE, "createService", create_input)
            update = await _phase(client, headers, UPDATE, "updateService", update_input)
        samples = create.pop("_samples") + update.pop("_samples")
        elapsed = create.pop("_elapsed") + update.pop("_elapsed")
        out["create"] = create
        out["update"] = update
        out["all"] = {
            **summarize(samples),
            "mutations_per_s": round(len(samples) / elapsed, 1),
            "failed": len(samples) - create["ok"] - update["ok"],
        }
        retries_after = retry_count()
        out["pipeline_retries"] = (
            None
            if retries_after is None
            else retries_after - (retries_before if retries_before is not None else 0)
        )
    finally:
        await _cleanup(platform)
    return out
