"""Baselines every later benchmark compares against: a Bolt round trip, MinIO 1 MiB put/get."""

from __future__ import annotations

import os
from typing import Any

from asan.core.platform import Platform
from bench.stats import summarize, timed


async def run(platform: Platform) -> dict[str, Any]:
    bolt = summarize(await timed(lambda: platform.db.read("RETURN 1 AS ok"), repeat=500))

    bucket = platform.buckets["documents"]
    payload = os.urandom(1024 * 1024)
    counter = iter(range(10**9))

    async def put() -> None:
        await platform.store.put(bucket, f"bench/{next(counter)}.bin", payload)

    put_stats = summarize(await timed(put, repeat=40, warmup=3))
    await platform.store.put(bucket, "bench/get.bin", payload)
    get_stats = summarize(
        await timed(lambda: platform.store.get(bucket, "bench/get.bin"), repeat=40, warmup=3)
    )
    for obj in await platform.store.list(bucket, "bench/"):
        await platform.store.delete(bucket, obj.key)
    mib_per_s = {
        "put_MiB_per_s": round(1000 / put_stats["mean_ms"], 1),
        "get_MiB_per_s": round(1000 / get_stats["mean_ms"], 1),
    }
    return {
        "bolt_round_trip": bolt,
        "minio_put_1MiB": put_stats,
        "minio_get_1MiB": get_stats,
        **mib_per_s,
    }
