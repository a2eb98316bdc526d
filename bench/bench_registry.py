"""Registry benchmark: a large generated registry read through GraphQL over HTTP and raw Bolt.

Steps (each timed, figures returned in the dict and printed):
1. generate 1,000 bodies / 2,000 systems / 50,000 exchange links / 10,000 services
   (``bench.generate``; ``ASAN_BENCH_SCALE=0.1`` shrinks everything for a quick run);
2. ``service(code:)`` and the three-level ``stateBody -> services -> requiredDocuments``
   through the whole ASGI app (httpx + ASGITransport, 20 concurrent clients), and the same data
   read by the raw Neo4j driver with the same concurrency; ratios GraphQL / raw
   (target: within 2x);
3. ``informationSystemImpact`` on the large graph (target: p95 under 50 ms), per tier of the
   exchange graph, after a probe under a server-side transaction timeout so a runaway query
   cannot hang the run;
4. the quality index over all bodies (one query) and a 1,000-row bulk import (one transaction).

Bounded loops only, no sleeps; the generated data is removed at the end.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from neo4j.exceptions import ClientError

from asan.app import create_app
from asan.auth.principal import ANONYMOUS, SYSTEM
from asan.core.db import Tx
from asan.core.platform import Platform
from asan.registry.catalog import quality
from asan.registry.catalog import repository as repo
from asan.registry.catalog.bulk import import_services
from asan.registry.catalog.bulk_formats import COLUMNS, BulkFormat
from asan.registry.catalog.service import visibility
from bench.generate import Sizes, body_code, clear, generate, service_code, system_code
from bench.stats import summarize

CLIENTS = 20
PER_CLIENT = 50  # requests per client and scenario: 1,000 per scenario
IMPACT_PROBE_TIMEOUT_S = 10.0
IMPACT_SAMPLES_PER_TIER = 10
PUBLIC = ["published", "suspended"]

SERVICE_QUERY = """
query($code: String!) {
  service(code: $code) {
    code nameAz status feeAmount processingDays provider { code nameAz }
  }
}"""
SERVICE_RAW = """
MATCH (s:Service {code: $code})-[:PROVIDED_BY]->(b:StateBody)
WHERE s.status IN $public
RETURN s.code AS code, s.nameAz AS nameAz, s.status AS status, s.feeAmount AS feeAmount,
       s.processingDays AS processingDays, b {.code, .nameAz} AS provider
"""
TREE_QUERY = """
query($code: String!) {
  stateBody(code: $code) {
    code nameAz
    services { code nameAz requiredDocuments { position code nameAz condition } }
  }
}"""
TREE_RAW = """
MATCH (b:StateBody {code: $code})
// expand from the body and filter afterwards: with the status predicate in the pattern the
// planner starts from the status index over every service (140k db hits for 10 services)
UNWIND [x IN [(b)<-[:PROVIDED_BY]-(s:Service) | s] WHERE x.status IN $public] AS s
WITH b, s ORDER BY s.nameFold, s.code
RETURN b.code AS code, b.nameAz AS nameAz,
       collect(s {.code, .nameAz,
                  requiredDocuments: [(s)-[r:REQUIRES]->(e:Evidence)
                                      | {position: r.position, code: e.code, nameAz: e.nameAz,
                                         condition: r.condition}]}) AS services
"""
IMPACT_QUERY = """
query($code: String!) {
  informationSystemImpact(code: $code, first: 20) {
    system { code }
    services { totalCount edges { node { hops service { code nameAz } } } }
    asanCentres { code }
  }
}"""


# A candidate for repository.impact (reported to the catalog): a breadth-first SHORTEST search
# backwards from the system, instead of enumerating every path from every service forwards.
IMPACT_SHORTEST_RAW = """
MATCH (x:InformationSystem {code: $code})
CALL (x) {
    MATCH p = SHORTEST 1 (x)<-[:CONSUMES_DATA_FROM]-*(sys:InformationSystem)
    MATCH (s:Service)-[:DEPENDS_ON]->(sys)
    MATCH (s)-[:PROVIDED_BY]->(b:StateBody)
    WHERE s.status IN $public
    WITH s, b, min(length(p)) AS hops
    ORDER BY hops, s.nameFold, s.code
    RETURN collect({s: s {.*, provider: b.code}, hops: hops}) AS services, collect(s) AS nodes
}
CALL (nodes) {
    UNWIND nodes AS s
    MATCH (s)-[:OFFERED_AT]->(c:AsanCentre)
    WITH DISTINCT c ORDER BY c.name, c.code
    RETURN collect(c {.*}) AS centres
}
RETURN size(services) AS services, size(centres) AS centres
"""


def _scaled() -> Sizes:
    scale = float(os.environ.get("ASAN_BENCH_SCALE", "1"))
    if not 0 < scale <= 1:
        raise ValueError("ASAN_BENCH_SCALE must be in (0, 1]")
    base = Sizes()
    return Sizes(
        bodies=max(10, int(base.bodies * scale)),
        systems=max(20, int(base.systems * scale)),
        links=max(50, int(base.links * scale)),
        services=max(100, int(base.services * scale)),
        documents=base.documents,
        centres=base.centres,
        categories=base.categories,
    )


async def concurrently(
    call: Callable[[int], Awaitable[None]], clients: int = CLIENTS, per_client: int = PER_CLIENT
) -> dict[str, Any]:
    """``clients`` tasks each making ``per_client`` calls in turn; latency and throughput."""
    samples: list[float] = []

    async def client(c: int) -> None:
        for k in range(per_client):
            start = time.perf_counter()
            await call(c * per_client + k)
            samples.append((time.perf_counter() - start) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(client(c) for c in range(clients)))
    elapsed = time.perf_counter() - started
    return {
        **summarize(samples),
        "clients": clients,
        "throughput_rps": round(len(samples) / elapsed, 1),
    }


def _ratio(graphql: dict[str, Any], raw: dict[str, Any]) -> dict[str, float]:
    return {
        "p50": round(graphql["p50_ms"] / raw["p50_ms"], 2),
        "p95": round(graphql["p95_ms"] / raw["p95_ms"], 2),
        "throughput": round(raw["throughput_rps"] / graphql["throughput_rps"], 2),
    }


class _GraphQLClient:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.errors = 0

    async def post(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = await self.client.post("/graphql", json={"query": query, "variables": variables})
        body: dict[str, Any] = response.json()
        if response.status_code != 200 or body.get("errors"):
            self.errors += 1
            if self.errors == 1:
                print(f"  first GraphQL error: {response.status_code} {json.dumps(body)[:300]}")
        return body


async def _read_scenarios(
    platform: Platform, gql: _GraphQLClient, sizes: Sizes, rnd: random.Random
) -> dict[str, Any]:
    services = [service_code(rnd.randrange(sizes.services)) for _ in range(CLIENTS * PER_CLIENT)]
    bodies = [body_code(rnd.randrange(sizes.bodies)) for _ in range(CLIENTS * PER_CLIENT)]

    async def gql_service(i: int) -> None:
        await gql.post(SERVICE_QUERY, {"code": services[i]})

    async def raw_service(i: int) -> None:
        await platform.db.read(SERVICE_RAW, {"code": services[i], "public": PUBLIC})

    async def gql_tree(i: int) -> None:
        await gql.post(TREE_QUERY, {"code": bodies[i]})

    async def raw_tree(i: int) -> None:
        await platform.db.read(TREE_RAW, {"code": bodies[i], "public": PUBLIC})

    # same answers both ways (sanity), and warm caches and pools before measuring
    probe = await gql.post(TREE_QUERY, {"code": bodies[0]})
    raw = await platform.db.read(TREE_RAW, {"code": bodies[0], "public": PUBLIC})
    gql_docs = sum(len(s["requiredDocuments"]) for s in probe["data"]["stateBody"]["services"])
    raw_docs = sum(len(s["requiredDocuments"]) for s in raw[0]["services"])
    assert gql_docs == raw_docs, (gql_docs, raw_docs)
    for i in range(40):
        await gql_service(i)
        await raw_service(i)
        await gql_tree(i)
        await raw_tree(i)
    out: dict[str, Any] = {}
    # one client: the per-request overhead of the GraphQL layer, without CPU contention
    out["service_graphql_http_1_client"] = await concurrently(gql_service, 1, 200)
    out["service_raw_driver_1_client"] = await concurrently(raw_service, 1, 200)
    out["tree_graphql_http_1_client"] = await concurrently(gql_tree, 1, 200)
    out["tree_raw_driver_1_client"] = await concurrently(raw_tree, 1, 200)
    out["ratio_service_1_client"] = _ratio(
        out["service_graphql_http_1_client"], out["service_raw_driver_1_client"]
    )
    out["ratio_tree_1_client"] = _ratio(
        out["tree_graphql_http_1_client"], out["tree_raw_driver_1_client"]
    )
    out["service_graphql_http"] = await concurrently(gql_service)
    out["service_raw_driver"] = await concurrently(raw_service)
    out["tree_graphql_http"] = await concurrently(gql_tree)
    out["tree_raw_driver"] = await concurrently(raw_tree)
    out["ratio_service_graphql_over_raw"] = _ratio(
        out["service_graphql_http"], out["service_raw_driver"]
    )
    out["ratio_tree_graphql_over_raw"] = _ratio(out["tree_graphql_http"], out["tree_raw_driver"])
    out["graphql_errors"] = gql.errors
    return out


async def _impact_under_timeout(platform: Platform, code: str) -> tuple[float | None, int]:
    """One run of the catalog's impact query with a server-side timeout; (ms or None, size)."""
    driver = platform.db._driver
    started = time.perf_counter()
    try:
        async with driver.session(database=platform.db.database) as session:
            tx = await session.begin_transaction(timeout=IMPACT_PROBE_TIMEOUT_S)
            try:
                found = await repo.impact(Tx(tx, platform.db), code, visibility(ANONYMOUS))
            finally:
                await tx.close()
    except ClientError as exc:
        if "Timeout" in (exc.code or "") or "terminated" in str(exc).lower():
            return None, 0
        raise
    size = found.total_services if found else 0
    return (time.perf_counter() - started) * 1000, size


async def _impact(
    platform: Platform, gql: _GraphQLClient, sizes: Sizes, rnd: random.Random
) -> dict[str, Any]:
    base = max(1, sizes.systems // 10)
    mid = max(2, sizes.systems * 4 // 10)
    tiers = {
        "base_registry": [rnd.randrange(0, base) for _ in range(IMPACT_SAMPLES_PER_TIER)],
        "mid_tier": [rnd.randrange(base, mid) for _ in range(IMPACT_SAMPLES_PER_TIER)],
        "consumer": [rnd.randrange(mid, sizes.systems) for _ in range(IMPACT_SAMPLES_PER_TIER)],
    }
    out: dict[str, Any] = {"probe_timeout_s": IMPACT_PROBE_TIMEOUT_S}
    all_ms: list[float] = []
    all_shortest: list[float] = []
    for tier, indexes in tiers.items():
        codes = [system_code(i) for i in indexes]
        # probe the heaviest-looking first: a timeout there skips the tier's HTTP runs
        probe_ms, probe_size = await _impact_under_timeout(platform, codes[0])
        if probe_ms is None:
            out[tier] = {
                "timeout": True,
                "note": f"repository.impact exceeded {IMPACT_PROBE_TIMEOUT_S} s",
            }
            print(f"  impact {tier}: TIMEOUT after {IMPACT_PROBE_TIMEOUT_S} s (probe {codes[0]})")
            continue
        samples: list[float] = []
        shortest: list[float] = []
        sizes_seen: list[int] = []
        for code in codes:
            start = time.perf_counter()
            await platform.db.read(IMPACT_SHORTEST_RAW, {"code": code, "public": PUBLIC})
            shortest.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            body = await gql.post(IMPACT_QUERY, {"code": code})
            samples.append((time.perf_counter() - start) * 1000)
            if body.get("errors"):
                raise RuntimeError(f"informationSystemImpact failed: {body['errors']}")
            impact = (body.get("data") or {}).get("informationSystemImpact") or {}
            sizes_seen.append((impact.get("services") or {}).get("totalCount") or 0)
        all_ms += samples
        out[tier] = {
            **summarize(samples),
            "raw_probe_ms": round(probe_ms, 1),
            "raw_probe_services": probe_size,
            "services_impacted_mean": round(sum(sizes_seen) / len(sizes_seen), 1),
            "services_impacted_max": max(sizes_seen),
            "shortest_candidate_raw": summarize(shortest),
        }
        all_shortest += shortest
    if all_ms:
        out["all_tiers_graphql_http"] = summarize(all_ms)
        out["target_p95_under_50ms_met"] = out["all_tiers_graphql_http"]["p95_ms"] < 50
        out["all_tiers_shortest_candidate_raw"] = summarize(all_shortest)
    else:
        out["target_p95_under_50ms_met"] = False
    return out


async def _quality(platform: Platform, sizes: Sizes, rnd: random.Random) -> dict[str, Any]:
    await quality.body_quality(platform.db)  # warm: query planning is not what we measure
    await quality.service_quality(platform.db, [service_code(0)], visibility(ANONYMOUS))
    start = time.perf_counter()
    one = await quality.body_quality(platform.db, [body_code(1)])
    one_body_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    bodies = await quality.body_quality(platform.db)
    all_bodies_ms = (time.perf_counter() - start) * 1000
    codes = rnd.sample([service_code(i) for i in range(sizes.services)], min(1000, sizes.services))
    start = time.perf_counter()
    scores = await quality.service_quality(platform.db, codes, visibility(ANONYMOUS))
    services_ms = (time.perf_counter() - start) * 1000
    return {
        "one_body_ms": round(one_body_ms, 1),
        "one_body_services": one[body_code(1)].services,
        "all_bodies_one_query_ms": round(all_bodies_ms, 1),
        "bodies_scored": len(bodies),
        "services_1000_one_query_ms": round(services_ms, 1),
        "services_scored": len(scores),
    }


async def _bulk(platform: Platform, rows: int = 1000) -> dict[str, Any]:
    header = ",".join(COLUMNS)
    index = {c: i for i, c in enumerate(COLUMNS)}
    lines = [header]
    for i in range(rows):
        cells = [""] * len(COLUMNS)
        cells[index["code"]] = f"BN-I{i:05d}"
        cells[index["nameAz"]] = f"İdxal xidməti {i}"
        cells[index["feeAmount"]] = "5.00"
        cells[index["processingDays"]] = "3"
        cells[index["channels"]] = "ASAN_CENTRE;ONLINE"
        cells[index["onlineUrl"]] = "https://e-gov.az/bench"
        cells[index["systems"]] = f"{system_code(i % 50)};{system_code(100 + i % 50)}"
        cells[index["centres"]] = "BN-C001;BN-C002"
        cells[index["requirements"]] = "BN-E0001;BN-E0002|18 yaşdan yuxarı"
        lines.append(",".join(cells))
    content = "\n".join(lines)
    start = time.perf_counter()
    report = await import_services(platform, SYSTEM, body_code(0), BulkFormat.CSV, content)
    first_s = time.perf_counter() - start
    start = time.perf_counter()
    again = await import_services(platform, SYSTEM, body_code(0), BulkFormat.CSV, content)
    second_s = time.perf_counter() - start
    return {
        "rows": rows,
        "csv_bytes": len(content.encode()),
        "import_s": round(first_s, 2),
        "created": report.created,
        "rejected": len(report.rejected),
        "reimport_unchanged_s": round(second_s, 2),
        "unchanged": again.unchanged,
    }


async def run(platform: Platform) -> dict[str, Any]:
    sizes = _scaled()
    rnd = random.Random(42)
    result: dict[str, Any] = {}
    print(f"  generating {sizes} ...", flush=True)
    result["generate"] = await generate(platform, sizes)
    print(f"  generated in {result['generate']['total_s']} s: {result['generate']['timings']}")
    settings = platform.settings.model_copy(
        update={"rate_limit_per_minute": 10**9, "rate_limit_anonymous_per_minute": 10**9}
    )
    app = create_app(settings, platform)
    app.state.platform = platform
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=120
        ) as client:
            gql = _GraphQLClient(client)
            result["reads"] = await _read_scenarios(platform, gql, sizes, rnd)
            _print_reads(result["reads"])
            result["impact"] = await _impact(platform, gql, sizes, rnd)
            _print_impact(result["impact"])
        result["quality"] = await _quality(platform, sizes, rnd)
        print(f"  quality index: {result['quality']}")
        result["bulk_import"] = await _bulk(platform)
        print(f"  bulk import: {result['bulk_import']}")
    finally:
        await clear(platform)
    return result


def _print_reads(reads: dict[str, Any]) -> None:
    print(f"  {'scenario':<24}{'p50 ms':>10}{'p95 ms':>10}{'req/s':>10}")
    for name in (
        "service_graphql_http",
        "service_raw_driver",
        "tree_graphql_http",
        "tree_raw_driver",
    ):
        r = reads[name]
        print(f"  {name:<24}{r['p50_ms']:>10}{r['p95_ms']:>10}{r['throughput_rps']:>10}")
    for name in (
        "ratio_service_1_client",
        "ratio_tree_1_client",
        "ratio_service_graphql_over_raw",
        "ratio_tree_graphql_over_raw",
    ):
        r = reads[name]
        verdict = "OK" if r["p95"] <= 2 and r["p50"] <= 2 else "ABOVE 2x TARGET"
        print(
            f"  {name}: p50 x{r['p50']}, p95 x{r['p95']}, throughput x{r['throughput']} {verdict}"
        )


def _print_impact(impact: dict[str, Any]) -> None:
    for tier in ("base_registry", "mid_tier", "consumer"):
        r = impact.get(tier, {})
        if r.get("timeout"):
            print(f"  impact {tier}: timeout")
        elif r:
            print(
                f"  impact {tier}: p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, "
                f"~{r['services_impacted_mean']} services; SHORTEST candidate (raw) "
                f"p50 {r['shortest_candidate_raw']['p50_ms']} ms, "
                f"p95 {r['shortest_candidate_raw']['p95_ms']} ms"
            )
    print(f"  impact p95 < 50 ms: {impact['target_p95_under_50ms_met']}")
