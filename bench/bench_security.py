"""Security benchmark: hostile GraphQL documents are refused fast and do not slow other callers.

1. Time to refuse, through the whole ASGI app: the issue's 22-level fragment bomb, a 30-level
   one, a 6-level nested list, and 900 copies of one field (3,600 tokens, which graphql-core's
   pairwise validation took seconds over).
2. A normal query (a page of state bodies from Neo4j), p50/p95, alone and while two attackers
   send the bombs and the nested list, each up to 50 a second (every text new, so no cache
   helps), in the same run. Rate limits are off here; in service they cut an attacker far
   below this.
3. For scale, what the old path (strawberry's depth and alias limiters, which expand every
   fragment spread) takes on 10..16-level bombs: about 4x per two levels.

Creates three state bodies marked ``benchSecurity`` and removes them at the end.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from graphql import parse, validate
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter

from asan.app import create_app
from asan.auth.service import AuthService
from asan.core.platform import Platform
from asan.graphql.schema import schema
from bench.stats import summarize

REFUSALS = 40
NORMAL_CLIENTS = 4
NORMAL_PER_CLIENT = 50
ATTACKERS = 2
ATTACK_INTERVAL_S = 0.02  # each attacker: 50 hostile documents a second (far over the rate limit)
NORMAL = {
    "query": '{ stateBodies(first: 5, search: "benchsec") '
    "{ totalCount edges { node { code nameAz } } } }"
}


def bomb(levels: int) -> str:
    fragments = ["fragment F0 on Query{apiVersion}"]
    fragments += [
        f"fragment F{k} on Query{{...F{k - 1} ...F{k - 1}}}" for k in range(1, levels + 1)
    ]
    return " ".join(fragments) + f" query{{...F{levels}}}"


def nested_lists(levels: int) -> str:
    inner = "code"
    for level in range(levels - 1):
        name = "consumesDataFrom" if level % 2 else "dataConsumers"
        inner = f"code {name} {{ {inner} }}"
    return f"{{ informationSystems(first: 100) {{ edges {{ node {{ {inner} }} }} }} }}"


HOSTILE = {
    "bomb22": bomb(22),
    "bomb30": bomb(30),
    "nested_lists6": nested_lists(6),
    "repeated900": "{ " + " ".join("stateBodies { totalCount }" for _ in range(900)) + " }",
}


_sent = 0


async def _refusal_ms(client: httpx.AsyncClient, query: str) -> float:
    """One refusal; a comment makes every text new, so no parse or validation cache helps."""
    global _sent
    _sent += 1
    started = time.perf_counter()
    answer = (await client.post("/graphql", json={"query": f"{query} # {_sent}"})).json()
    elapsed = (time.perf_counter() - started) * 1000
    code = answer["errors"][0]["extensions"]["code"]
    if code != "QUERY_TOO_COMPLEX":
        raise RuntimeError(f"hostile document not refused as too complex: {answer}")
    return elapsed


async def _normal(client: httpx.AsyncClient) -> list[float]:
    samples = []
    for _ in range(NORMAL_PER_CLIENT):
        started = time.perf_counter()
        response = await client.post("/graphql", json=NORMAL)
        samples.append((time.perf_counter() - started) * 1000)
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"normal query failed: {response.status_code} {body}")
    return samples


async def _latencies(client: httpx.AsyncClient, with_attack: bool) -> tuple[list[float], int]:
    stop = asyncio.Event()
    refused = 0

    async def attacker() -> None:
        nonlocal refused
        while not stop.is_set():
            for query in (HOSTILE["bomb22"], HOSTILE["bomb30"], HOSTILE["nested_lists6"]):
                started = time.perf_counter()
                await _refusal_ms(client, query)
                refused += 1
                await asyncio.sleep(max(0.0, ATTACK_INTERVAL_S - (time.perf_counter() - started)))

    attackers = [asyncio.create_task(attacker()) for _ in range(ATTACKERS if with_attack else 0)]
    try:
        results = await asyncio.gather(*(_normal(client) for _ in range(NORMAL_CLIENTS)))
    finally:
        stop.set()
        await asyncio.gather(*attackers)
    return [s for samples in results for s in samples], refused


def _old_validation_ms() -> dict[str, float]:
    """The depth and alias limiters the old edge ran in validation, on growing bombs."""
    rules = [
        *QueryDepthLimiter(max_depth=12).validation_rules,
        *MaxAliasesLimiter(max_alias_count=30).validation_rules,
    ]
    out = {}
    for levels in (10, 12, 14, 16):
        document = parse(bomb(levels))
        started = time.perf_counter()
        validate(schema._schema, document, rules)
        out[f"bomb{levels}"] = round((time.perf_counter() - started) * 1000, 1)
    return out


async def run(platform: Platform) -> dict[str, Any]:
    settings = platform.settings.model_copy(
        update={"rate_limit_per_minute": 10**7, "rate_limit_anonymous_per_minute": 10**7}
    )
    await platform.db.write(
        """
        UNWIND range(1, 3) AS i
        CREATE (:StateBody {code: 'BENCH-SEC-' + i, nameAz: 'benchsec ' + i, nameEn: '',
                            nameRu: '', nameFold: 'benchsec ' + i, kind: 'other',
                            benchSecurity: true})
        """,
        {},
    )
    out: dict[str, Any] = {}
    try:
        app = create_app(settings, platform, AuthService.for_settings(settings))
        app.state.platform = platform
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for name, query in HOSTILE.items():
                await _refusal_ms(client, query)  # warm the caches the way an attacker would
                samples = [await _refusal_ms(client, query) for _ in range(REFUSALS)]
                out[f"refuse_{name}"] = summarize(samples)
            await _normal(client)  # warm-up
            alone, _ = await _latencies(client, with_attack=False)
            beside, refused = await _latencies(client, with_attack=True)
        out["normal_alone"] = summarize(alone)
        out["normal_beside_attack"] = summarize(beside)
        out["hostile_refused_during_attack"] = refused
        out["attack_rate_per_s"] = round(refused / (sum(beside) / 1000 / NORMAL_CLIENTS), 1)
        out["ratio_p50_beside_vs_alone"] = round(
            out["normal_beside_attack"]["p50_ms"] / out["normal_alone"]["p50_ms"], 2
        )
        out["ratio_p95_beside_vs_alone"] = round(
            out["normal_beside_attack"]["p95_ms"] / out["normal_alone"]["p95_ms"], 2
        )
        out["old_limiters_ms"] = _old_validation_ms()
    finally:
        await platform.db.write("MATCH (n:StateBody {benchSecurity: true}) DETACH DELETE n", {})
    for key, value in out.items():
        print(f"  {key}: {value}", flush=True)
    return out
