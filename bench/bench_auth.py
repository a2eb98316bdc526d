"""Auth benchmark: what authentication and authorisation add to a request.

1. token verification alone (ES256 signature + claims, python-jose), per call, cold and
   through the verified-token cache that repeat requests with one token hit;
2. ``authenticate``: verification plus the one graph query that resolves the caller's roles
   and units (positions held, delegations in force), per call;
3. the policy check (``can``) for a typical rule, per call;
4. ``service(code:)`` through the whole ASGI app, anonymous and with a bearer token, in the
   same run (20 concurrent clients); the ratio is the whole cost of auth per request.

Creates one user, one head position, one state body and one published service (all marked
``benchAuth``) and removes them at the end; writes no audit events (the trail is append-only).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx

from asan.app import create_app
from asan.auth import tokens
from asan.auth.policy import Resource, can
from asan.auth.service import AuthService
from asan.core.platform import Platform
from bench.stats import summarize, timed

CLIENTS = 20
PER_CLIENT = 50
VERIFY_N = 2000
AUTHENTICATE_N = 300
POLICY_N = 100_000

SERVICE_QUERY = "query($code: String!) { service(code: $code) { code nameAz status } }"


async def _fixture(platform: Platform, tag: str) -> tuple[str, str]:
    user_id, code = f"bench-auth-{tag}", f"BENCH-AUTH-{tag}"
    await platform.db.write(
        """
        CREATE (u:User {id: $user, username: $user, usernameFold: $user, active: true,
                        roles: ['registry_reviewer'], benchAuth: true})
        CREATE (unit:OrgUnit {code: $code + '-UNIT', kind: 'department', benchAuth: true})
        CREATE (sec:OrgUnit {code: $code + '-SEC', kind: 'sector', benchAuth: true})
        CREATE (sec)-[:PART_OF]->(unit)
        CREATE (p:Position {code: $code + '-HEAD', kind: 'head', benchAuth: true})
        CREATE (p)-[:IN_UNIT]->(unit)
        CREATE (u)-[:HOLDS {validFrom: date('2020-01-01')}]->(p)
        CREATE (b:StateBody {code: $code + '-BODY', nameAz: 'Bench', nameFold: 'bench',
                             benchAuth: true})
        CREATE (s:Service {code: $code, nameAz: 'Bench xidməti', nameFold: 'bench xidməti',
                           status: 'published', version: 1, benchAuth: true})
        CREATE (s)-[:PROVIDED_BY]->(b)
        """,
        {"user": user_id, "code": code},
    )
    return user_id, code


async def _cleanup(platform: Platform) -> None:
    await platform.db.write("MATCH (n {benchAuth: true}) DETACH DELETE n")


def _per_call_us(total_s: float, n: int) -> float:
    return round(total_s / n * 1e6, 2)


async def _http_latencies(
    client: httpx.AsyncClient, code: str, headers: dict[str, str]
) -> list[float]:
    body = {"query": SERVICE_QUERY, "variables": {"code": code}}

    async def one() -> None:
        response = await client.post("/graphql", json=body, headers=headers)
        payload = response.json()
        if response.status_code != 200 or payload.get("errors"):
            raise RuntimeError(f"service(code:) failed: {response.status_code} {payload}")

    async def worker() -> list[float]:
        return await timed(one, PER_CLIENT, warmup=2)

    results = await asyncio.gather(*(worker() for _ in range(CLIENTS)))
    return [sample for samples in results for sample in samples]


async def run(platform: Platform) -> dict[str, Any]:
    settings = platform.settings.model_copy(
        update={"rate_limit_per_minute": 10**7, "rate_limit_anonymous_per_minute": 10**7}
    )
    auth = AuthService.for_settings(settings)
    tag = uuid.uuid4().hex[:8]
    user_id, code = await _fixture(platform, tag)
    out: dict[str, Any] = {}
    try:
        token, _ = auth.access_token(user_id, "user")

        jwk = auth.keys.active.jwk
        started = time.perf_counter()
        for _ in range(VERIFY_N):  # the full check a token gets the first time it is seen
            tokens.verify(token, jwk, issuer=settings.auth_issuer, audience=settings.auth_audience)
        out["verify_token_cold_us"] = _per_call_us(time.perf_counter() - started, VERIFY_N)
        started = time.perf_counter()
        for _ in range(VERIFY_N):  # repeat requests with the same token hit the verified cache
            await auth.verify(token)
        out["verify_token_cached_us"] = _per_call_us(time.perf_counter() - started, VERIFY_N)

        authenticate = await timed(
            lambda: auth.authenticate(platform, token, "127.0.0.1"), AUTHENTICATE_N
        )
        out["authenticate"] = summarize(authenticate)
        principal = await auth.authenticate(platform, token, "127.0.0.1")
        if f"{code}-SEC" not in principal.led_units:
            raise RuntimeError("bench fixture: the head does not lead the sector")

        draft = Resource("Service", code, state_body="OTHER", status="draft", hidden_if_denied=True)
        started = time.perf_counter()
        for _ in range(POLICY_N):
            can(principal, "registry.service.read", draft)
        out["policy_check_us"] = _per_call_us(time.perf_counter() - started, POLICY_N)

        app = create_app(settings, platform, auth)
        app.state.platform = platform
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            anonymous = await _http_latencies(client, code, {})
            signed = await _http_latencies(client, code, {"Authorization": f"Bearer {token}"})
        out["service_anonymous"] = summarize(anonymous)
        out["service_with_token"] = summarize(signed)
        out["ratio_p50_token_vs_anonymous"] = round(
            out["service_with_token"]["p50_ms"] / out["service_anonymous"]["p50_ms"], 2
        )
        out["ratio_p95_token_vs_anonymous"] = round(
            out["service_with_token"]["p95_ms"] / out["service_anonymous"]["p95_ms"], 2
        )
    finally:
        await _cleanup(platform)
    for key, value in out.items():
        print(f"  {key}: {value}", flush=True)
    return out
