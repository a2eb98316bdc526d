"""The raw-driver baseline, run as its own process: one shape's Cypher, N concurrent tasks.

``python -m bench.raw_driver <shape> <clients> <seconds>`` prints one JSON line with the
latency summary and throughput. No HTTP, no GraphQL: what Neo4j and the driver cost.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

from asan.core.db import Database
from asan.core.settings import get_settings
from bench.http_shapes import SHAPES
from bench.stats import summarize


async def measure(shape_name: str, clients: int, seconds: float) -> dict[str, Any]:
    shape = SHAPES[shape_name]
    db = Database.connect(get_settings())
    params = shape.params(shape.code)
    samples: list[float] = []
    try:
        for _ in range(2 * clients):  # warm the pool and the query plan
            await db.read(shape.cypher, params)

        async def client(deadline: float) -> None:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                await db.read(shape.cypher, params)
                samples.append((time.perf_counter() - start) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(client(started + seconds) for _ in range(clients)))
        elapsed = time.perf_counter() - started
    finally:
        await db.close()
    return {**summarize(samples), "throughput_rps": round(len(samples) / elapsed, 1)}


if __name__ == "__main__":
    name, clients, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    print(json.dumps(asyncio.run(measure(name, clients, seconds))))
