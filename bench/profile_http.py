"""Where an API request's time goes: the API under cProfile in this process, loaded by ``hey``.

``python -m bench.profile_http <service|tree> [seconds] [sort]`` serves the app with uvicorn
(the same HTTP stack as ``asan serve``) on a free loopback port with cProfile running, loads it
with ``hey`` (20 connections) from a subprocess, and prints the heaviest functions and the
share of the request time spent per area (parsing/validation, extensions, auth, resolvers,
Cypher/driver, JSON). cProfile slows Python code down, so read shares, not absolute times.
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import json
import pstats
import sys
import tempfile
import time
from typing import Any

import uvicorn

from asan.app import create_app
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.graphql.schema import schema
from bench.bench_http import CLIENTS, ensure_hey
from bench.bench_workers import _free_port
from bench.http_shapes import SHAPES, Shape, with_connection_tree

AREAS = {
    "graphql parse/validate (guard)": ("asan/graphql/guard.py", "asan/graphql/cost.py"),
    "input guard": ("asan/graphql/input_guard.py",),
    "edge extensions": ("asan/graphql/edge.py",),
    "auth middleware": ("asan/auth/middleware.py",),
    "graphql execution (graphql-core)": ("graphql/execution",),
    "strawberry": ("strawberry/",),
    "resolvers + loaders": ("asan/graphql/registry", "strawberry/dataloader"),
    "catalog reads": ("asan/registry/catalog",),
    "neo4j driver": ("neo4j/",),
    "json": ("json/",),
    "starlette + uvicorn": ("starlette/", "uvicorn/"),
}


def _areas(stats: pstats.Stats) -> dict[str, float]:
    """Own (tottime) seconds per area, by the file each function lives in."""
    totals = dict.fromkeys(AREAS, 0.0)
    totals["other"] = 0.0
    raw = stats.stats  # type: ignore[attr-defined]
    for (filename, _, _), (_, _, tottime, _, _) in raw.items():
        for area, needles in AREAS.items():
            if any(n in filename for n in needles):
                totals[area] += tottime
                break
        else:
            totals["other"] += tottime
    return totals


def _shapes() -> dict[str, Shape]:
    """The shapes as this code's schema takes them (``StateBody.services`` list or connection)."""
    body: Any = schema._schema.type_map["StateBody"]
    named: Any = body.fields["services"].type
    while hasattr(named, "of_type"):
        named = named.of_type
    return with_connection_tree(SHAPES) if "edges" in getattr(named, "fields", {}) else SHAPES


async def main(seconds: float, sort: str, body: str) -> None:
    settings = Settings(rate_limit_per_minute=10**9, rate_limit_anonymous_per_minute=10**9)
    platform = Platform.connect(settings)
    app = create_app(settings, platform)
    port = _free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", access_log=False, http="httptools"
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    deadline = time.monotonic() + 60
    # uvicorn offers a flag, not an event, for "listening"
    while not server.started and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    hey = str(ensure_hey())
    url = f"http://127.0.0.1:{port}/graphql"
    args = ["-c", str(CLIENTS), "-m", "POST", "-T", "application/json", "-D", body, url]
    warm = await asyncio.create_subprocess_exec(hey, "-z", "2s", *args, stdout=-3)
    await warm.wait()
    profiler = cProfile.Profile()
    profiler.enable()
    load = await asyncio.create_subprocess_exec(hey, "-z", f"{seconds}s", *args, stdout=-1)
    out, _ = await load.communicate()
    profiler.disable()
    server.should_exit = True
    await serving
    await platform.close()
    summary = [line for line in out.decode().splitlines() if "Requests/sec" in line]
    print(f"hey under profile: {summary}")
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats(sort).print_stats(45)
    print(stream.getvalue())
    areas = _areas(stats)
    total = sum(areas.values())
    for area, spent in sorted(areas.items(), key=lambda kv: -kv[1]):
        print(f"  {area:<36}{spent:>8.2f} s {100 * spent / total:>5.1f} %")


if __name__ == "__main__":
    with tempfile.NamedTemporaryFile("w", suffix=".json") as request_body:
        json.dump(_shapes()[sys.argv[1]].body(), request_body)
        request_body.flush()
        asyncio.run(
            main(
                float(sys.argv[2]) if len(sys.argv) > 2 else 10,
                sys.argv[3] if len(sys.argv) > 3 else "tottime",
                request_body.name,
            )
        )
