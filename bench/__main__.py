"""Run the benchmarks against the services `make bench` started; print and save JSON.

Each benchmark module exposes ``async def run(platform) -> dict``; figures are compared with
baselines measured in the same run (never with numbers from another machine or day).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asan.core.migrations import migrate
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.migrations import all_migrations

MODULES = (
    "bench_platform",
    "bench_registry",
    "bench_auth",
    "bench_security",
    "bench_mutations",
    "bench_workers",
    "bench_feed",
    "bench_http",
    "bench_registration_upload",
    "bench_signing",
    "bench_numbering",
    "bench_extraction",
    "bench_ocr",
    "bench_suggest",
    "bench_search",  # 100k documents: the first run builds and caches its indexes (~5 min)
    "bench_archive_fixity",
    "bench_archive_bagit",
    "bench_web_lighthouse",  # npm lighthouse 12.2.3 (tools/lighthouse) with Debian's chromium
    # bench_archive_ingest is run by name: a full run locks ~1 GB in the bench's archive
    # bucket until next 1 January (ASAN_BENCH_ARCHIVE_FILES=1000 for a smoke)
)
RESULTS = Path(__file__).with_name("results")


async def main(selected: list[str]) -> dict[str, Any]:
    settings = Settings(bucket_prefix="asan-bench")
    platform = Platform.connect(settings)
    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": __import__("os").cpu_count()},
    }
    try:
        await platform.ensure_buckets()
        await migrate(platform.db, all_migrations())
        for name in selected:
            module = importlib.import_module(f"bench.{name}")
            started = time.perf_counter()
            print(f"== {name}", flush=True)
            results[name] = await module.run(platform)
            results[name]["wall_s"] = round(time.perf_counter() - started, 1)
            print(json.dumps(results[name], indent=2, ensure_ascii=False), flush=True)
    finally:
        await platform.close()
    return results


if __name__ == "__main__":
    wanted = sys.argv[1:] or [m for m in MODULES if (Path(__file__).parent / f"{m}.py").exists()]
    out = asyncio.run(main(wanted))
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"bench-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    path.write_text(json.dumps(out, indent=2, ensure_ascii=False))
    print(f"results written to {path}")
