"""Generate a large synthetic registry for the benchmarks, in UNWIND batches.

Shape (defaults): 1,000 state bodies, 2,000 information systems, 50,000 data-exchange links
(``CONSUMES_DATA_FROM``), 10,000 published services, each with its provider, 1-3 systems it
depends on, 2-5 required documents, channels, centres and categories. The exchange graph is
tiered like real e-government: 10% base registries (population, property, tax...) consume
nothing; 30% mid-tier systems consume base registries; the rest consume both tiers. Providers
are chosen with a bias to low indices, so a few registries are hubs, as in life.

Every node is written by the catalog repository's own batch writes (the Cypher the use cases
run), so the benchmark measures the graph the API really builds. Every generated node has a
``BN-`` code, and ``clear`` removes them, so a benchmark never touches other data in the same
database. Deterministic (seeded).
"""

from __future__ import annotations

import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from asan.core.db import Tx
from asan.core.platform import Platform
from asan.registry.catalog.bodies import repository as bodies_repo
from asan.registry.catalog.models import (
    AsanCentre,
    CategoryInput,
    DataLink,
    Evidence,
    InformationSystemInput,
    ServiceInput,
    ServiceWrite,
    StateBodyInput,
)
from asan.registry.catalog.places import repository as places_repo
from asan.registry.catalog.reference_data import repository as categories_repo
from asan.registry.catalog.services import repository as services_repo
from asan.registry.catalog.systems import repository as systems_repo

T = TypeVar("T")

CHANNELS = ("ASAN_CENTRE", "MOBILE_BUS", "ONLINE", "CALL_CENTRE_108")
BATCH = 2000


@dataclass(frozen=True)
class Sizes:
    bodies: int = 1000
    systems: int = 2000
    links: int = 50_000
    services: int = 10_000
    documents: int = 300
    centres: int = 40
    categories: int = 40


def body_code(i: int) -> str:
    return f"BN-B{i:05d}"


def system_code(i: int) -> str:
    return f"BN-X{i:05d}"


def service_code(i: int) -> str:
    return f"BN-S{i:06d}"


def _tiers(n: int) -> tuple[int, int]:
    """Index bounds: [0, base) base registries, [base, mid) mid tier, [mid, n) consumers."""
    return max(1, n // 10), max(2, n * 4 // 10)


def exchange_links(sizes: Sizes, rnd: random.Random) -> list[tuple[int, int]]:
    """``(consumer, provider)`` pairs, unique, no self-links, providers from lower tiers."""
    base, mid = _tiers(sizes.systems)
    consumers = list(range(base, sizes.systems))
    seen: set[tuple[int, int]] = set()
    links: list[tuple[int, int]] = []
    capacity = sum(base if i < mid else mid for i in consumers)  # distinct pairs possible
    target = min(sizes.links, capacity)
    attempts = 0
    while len(links) < target and attempts < target * 20:  # bounded, whatever the sizes
        attempts += 1
        consumer = rnd.choice(consumers)
        upper = base if consumer < mid else mid
        provider = int(upper * rnd.random() ** 2)  # hub bias towards low indices
        pair = (consumer, provider)
        if pair in seen or consumer == provider:
            continue
        seen.add(pair)
        links.append(pair)
    return links


async def _batched(
    platform: Platform, write: Callable[[Tx, list[T]], Awaitable[object]], rows: list[T]
) -> None:
    """A repository's own batch write, one transaction per ``BATCH`` rows."""
    for start in range(0, len(rows), BATCH):
        async with platform.db.transaction() as tx:
            await write(tx, rows[start : start + BATCH])


async def clear(platform: Platform) -> None:
    """Remove generated nodes, and services a benchmark imported (``BN-`` codes) with versions."""
    await platform.db.run_auto_commit(
        """
        MATCH (s:Service)-[:HAS_VERSION]->(v:ServiceVersion) WHERE s.code STARTS WITH 'BN-'
        CALL (v) { DETACH DELETE v } IN TRANSACTIONS OF 5000 ROWS
        """
    )
    await platform.db.run_auto_commit(
        """
        MATCH (n) WHERE n.code STARTS WITH 'BN-' OR n.bench = true
        CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS
        """
    )


async def generate(
    platform: Platform, sizes: Sizes = Sizes(), seed: int = 20131004
) -> dict[str, Any]:
    """Write the registry; returns the sizes, seconds per step and total seconds."""
    rnd = random.Random(seed)
    timings: dict[str, float] = {}
    started = time.perf_counter()

    def lap(step: str, since: float) -> float:
        now = time.perf_counter()
        timings[step] = round(now - since, 2)
        return now

    await clear(platform)
    t = lap("clear_previous_s", started)
    await platform.db.write(
        "UNWIND $codes AS code MERGE (:Channel {code: code})", {"codes": list(CHANNELS)}
    )
    # every write below is the catalog repository's own (the one the use cases run), batched
    await _batched(
        platform,
        bodies_repo.upsert_state_bodies,
        [StateBodyInput(body_code(i), f"Sınaq orqanı {i}") for i in range(sizes.bodies)],
    )
    await _batched(
        platform,
        places_repo.upsert_asan_centres,
        [
            AsanCentre(f"BN-C{i:03d}", f"Mərkəz {i}", "Bakı", "ünvan", "09:00-19:00")
            for i in range(sizes.centres)
        ],
    )
    await _batched(
        platform,
        categories_repo.upsert_categories,
        [CategoryInput(f"BN-K{i:03d}", f"Kateqoriya {i}") for i in range(sizes.categories)],
    )
    t = lap("reference_nodes_s", t)
    await _batched(
        platform,
        systems_repo.upsert_information_systems,
        [
            InformationSystemInput(
                system_code(i), f"Sistem {i}", operator=body_code(rnd.randrange(sizes.bodies))
            )
            for i in range(sizes.systems)
        ],
    )
    t = lap("systems_s", t)
    links = exchange_links(sizes, rnd)
    since = date(2020, 1, 1)
    await _batched(
        platform,
        systems_repo.link_information_systems,
        [DataLink(system_code(c), system_code(p), since) for c, p in links],
    )
    t = lap("links_s", t)
    rows: list[ServiceWrite] = []
    for i in range(sizes.services):
        name = f"Xidmət {i} — şəxsiyyət vəsiqəsinin verilməsi"
        channels = rnd.sample(CHANNELS, rnd.randint(1, 4))
        days = rnd.choice([None, 1, 3, 5, 10, 20])
        fee = rnd.choice(["0", "5", "10", "20", "60"])
        systems = [system_code(x) for x in rnd.sample(range(sizes.systems), rnd.randint(1, 3))]
        documents = rnd.sample(range(sizes.documents), rnd.randint(2, 5))
        centres = (
            [f"BN-C{x:03d}" for x in rnd.sample(range(sizes.centres), rnd.randint(0, 5))]
            if "ASAN_CENTRE" in channels
            else []
        )
        categories = [
            f"BN-K{x:03d}" for x in rnd.sample(range(sizes.categories), rnd.randint(1, 2))
        ]
        content = ServiceInput(
            code=service_code(i),
            name_az=name,
            provider=body_code(i % sizes.bodies),
            name_en=name,
            name_ru=name,
            description_az="Təsvir",
            processing_days=days,
            fee_amount=Decimal(fee),
            online_url="https://e-gov.az/bench" if "ONLINE" in channels else None,
            channels=tuple(channels),
            requirements=tuple(Evidence(f"BN-E{x:04d}", f"Sənəd {x}") for x in documents),
            centres=tuple(centres),
            systems=tuple(systems),
            categories=tuple(categories),
        )
        rows.append(ServiceWrite(content=content, status="published", version=1, changes=None))
    now = datetime.now(UTC)

    async def write_services(tx: Tx, batch: list[ServiceWrite]) -> None:
        await services_repo.upsert_services(tx, batch, actor="bench", at=now)

    await _batched(platform, write_services, rows)
    lap("services_s", t)
    total = round(time.perf_counter() - started, 2)
    counted = await platform.db.read(
        """
        MATCH (n) WHERE n.code STARTS WITH 'BN-'
        WITH labels(n)[0] AS label, count(*) AS n
        RETURN collect([label, n]) AS nodes
        """
    )
    return {
        "sizes": asdict(sizes),
        "links_written": len(links),
        "nodes": {label: n for label, n in counted[0]["nodes"]},
        "timings": timings,
        "total_s": total,
    }
