"""Generate a large synthetic registry for the benchmarks, in UNWIND batches.

Shape (defaults): 1,000 state bodies, 2,000 information systems, 50,000 data-exchange links
(``CONSUMES_DATA_FROM``), 10,000 published services, each with its provider, 1-3 systems it
depends on, 2-5 required documents, channels, centres and categories. The exchange graph is
tiered like real e-government: 10% base registries (population, property, tax...) consume
nothing; 30% mid-tier systems consume base registries; the rest consume both tiers. Providers
are chosen with a bias to low indices, so a few registries are hubs, as in life.

Every generated node has ``bench: true`` and a ``BN-`` code, and ``clear`` removes them, so a
benchmark never touches other data in the same database. Deterministic (seeded).
"""

from __future__ import annotations

import random
import time
from dataclasses import asdict, dataclass
from typing import Any, LiteralString

from asan.core.platform import Platform
from asan.core.text import fold

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


async def _batched(platform: Platform, cypher: LiteralString, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        async with platform.db.transaction() as tx:
            await tx.run(cypher, {"rows": rows[start : start + BATCH]})


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
        MATCH (n) WHERE n.bench = true OR (n:Service AND n.code STARTS WITH 'BN-')
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
    await _batched(
        platform,
        """
        UNWIND $rows AS r
        CREATE (:StateBody {code: r.code, nameAz: r.name, nameEn: r.name, nameRu: r.name,
                            nameFold: r.fold, kind: 'other', bench: true})
        """,
        [
            {"code": body_code(i), "name": f"Sınaq orqanı {i}", "fold": fold(f"Sınaq orqanı {i}")}
            for i in range(sizes.bodies)
        ],
    )
    await _batched(
        platform,
        """
        UNWIND $rows AS r
        CREATE (c:AsanCentre {code: r.code, name: r.name, nameFold: r.fold, region: 'Bakı',
                              address: 'ünvan', hours: '09:00-19:00', bench: true})
        """,
        [
            {"code": f"BN-C{i:03d}", "name": f"Mərkəz {i}", "fold": fold(f"Mərkəz {i}")}
            for i in range(sizes.centres)
        ],
    )
    await _batched(
        platform,
        """
        UNWIND $rows AS r
        CREATE (:Evidence {code: r.code, nameAz: r.name, nameEn: r.name, nameRu: r.name,
                           bench: true})
        """,
        [{"code": f"BN-E{i:04d}", "name": f"Sənəd {i}"} for i in range(sizes.documents)],
    )
    await _batched(
        platform,
        """
        UNWIND $rows AS r
        CREATE (:Category {code: r.code, nameAz: r.name, kind: 'category', bench: true})
        """,
        [{"code": f"BN-K{i:03d}", "name": f"Kateqoriya {i}"} for i in range(sizes.categories)],
    )
    t = lap("reference_nodes_s", t)
    await _batched(
        platform,
        """
        UNWIND $rows AS r
        MATCH (b:StateBody {code: r.operator})
        CREATE (x:InformationSystem {code: r.code, nameAz: r.name, nameEn: r.name,
                                     nameRu: r.name, nameFold: r.fold, description: '',
                                     bench: true})-[:OPERATED_BY]->(b)
        """,
        [
            {
                "code": system_code(i),
                "name": f"Sistem {i}",
                "fold": fold(f"Sistem {i}"),
                "operator": body_code(rnd.randrange(sizes.bodies)),
            }
            for i in range(sizes.systems)
        ],
    )
    t = lap("systems_s", t)
    links = exchange_links(sizes, rnd)
    await _batched(
        platform,
        """
        UNWIND $rows AS r
        MATCH (c:InformationSystem {code: r.consumer}), (p:InformationSystem {code: r.provider})
        CREATE (c)-[:CONSUMES_DATA_FROM {since: date('2020-01-01')}]->(p)
        """,
        [{"consumer": system_code(c), "provider": system_code(p)} for c, p in links],
    )
    t = lap("links_s", t)
    rows = []
    for i in range(sizes.services):
        name = f"Xidmət {i} — şəxsiyyət vəsiqəsinin verilməsi"
        channels = rnd.sample(CHANNELS, rnd.randint(1, 4))
        rows.append(
            {
                "code": service_code(i),
                "name": name,
                "fold": fold(name),
                "body": body_code(i % sizes.bodies),
                "days": rnd.choice([None, 1, 3, 5, 10, 20]),
                "fee": rnd.choice([0.0, 5.0, 10.0, 20.0, 60.0]),
                "url": "https://e-gov.az/bench" if "ONLINE" in channels else None,
                "channels": channels,
                "systems": [
                    system_code(x) for x in rnd.sample(range(sizes.systems), rnd.randint(1, 3))
                ],
                "documents": [
                    f"BN-E{x:04d}" for x in rnd.sample(range(sizes.documents), rnd.randint(2, 5))
                ],
                "centres": [
                    f"BN-C{x:03d}" for x in rnd.sample(range(sizes.centres), rnd.randint(0, 5))
                ]
                if "ASAN_CENTRE" in channels
                else [],
                "categories": [
                    f"BN-K{x:03d}" for x in rnd.sample(range(sizes.categories), rnd.randint(1, 2))
                ],
            }
        )
    await _batched(
        platform,
        """
        UNWIND $rows AS r
        MATCH (b:StateBody {code: r.body})
        CREATE (s:Service {code: r.code, nameAz: r.name, nameEn: r.name, nameRu: r.name,
                           nameFold: r.fold, descriptionAz: 'Təsvir', descriptionEn: '',
                           descriptionRu: '', status: 'published', processingDays: r.days,
                           feeAmount: r.fee, feeExemptions: [], onlineUrl: r.url, version: 1,
                           createdAt: datetime(), updatedAt: datetime(), bench: true})
        CREATE (s)-[:PROVIDED_BY]->(b)
        WITH s, r
        CALL (s, r) {
            UNWIND range(0, size(r.documents) - 1) AS i
            MATCH (e:Evidence {code: r.documents[i]})
            CREATE (s)-[:REQUIRES {position: i}]->(e)
        }
        CALL (s, r) {
            UNWIND r.systems AS code
            MATCH (x:InformationSystem {code: code})
            CREATE (s)-[:DEPENDS_ON]->(x)
        }
        CALL (s, r) {
            UNWIND r.channels AS code
            MATCH (c:Channel {code: code})
            CREATE (s)-[:AVAILABLE_VIA]->(c)
        }
        CALL (s, r) {
            UNWIND r.centres AS code
            MATCH (c:AsanCentre {code: code})
            CREATE (s)-[:OFFERED_AT]->(c)
        }
        CALL (s, r) {
            UNWIND r.categories AS code
            MATCH (c:Category {code: code})
            CREATE (s)-[:IN_CATEGORY]->(c)
        }
        """,
        rows,
    )
    lap("services_s", t)
    total = round(time.perf_counter() - started, 2)
    counted = await platform.db.read(
        """
        MATCH (n) WHERE n.bench = true
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
