"""GraphQL overhead as a client sees it: `asan serve` against the HTTP floor and the raw driver.

Every party runs in its own process on the sample registry (seeded here, idempotently):
- the API: the real ``asan serve --workers N`` command;
- the HTTP floor: ``bench/floor_app.py`` under uvicorn with the same HTTP stack and the same
  number of workers, running the shape's single Cypher and returning JSON;
- the load: ``hey`` (a Go HTTP load generator, installed pinned into ``~/.cache/asan/bin`` with
  ``go install`` on first use), 20 kept-alive connections for a fixed duration, the same
  request body for the API and the floor;
- the raw driver: ``python -m bench.raw_driver`` (the Cypher through the Neo4j driver with 20
  concurrent tasks, no HTTP).

Shapes (``bench/http_shapes.py``): ``service(code:)`` and ``stateBody -> services ->
requiredDocuments`` for DIN. Each round measures API, floor and raw back to back per shape;
reported are throughput and p50/p95 per party and the ratios API/floor (target <= 2 in
throughput and p95), per round and as ranges over the rounds. On a shared machine absolute
figures are noisy; ratios taken within one round are what counts.

``ASAN_BENCH_HTTP_SECONDS`` (8), ``ASAN_BENCH_HTTP_ROUNDS`` (3), ``ASAN_BENCH_HTTP_WORKERS``
(1: the API and the floor get the same number of processes) tune a run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from asan.core.platform import Platform
from asan.seeding import load_seed
from bench.bench_workers import _children, _cpu_seconds, _free_port
from bench.http_shapes import SHAPES, Shape, with_connection_tree
from bench.stats import summarize

CLIENTS = 20
HEY_VERSION = "v0.1.4"
HEY_MODULE = "github.com/rakyll/hey"
START_TIMEOUT_S = 120.0
ROOT = Path(__file__).resolve().parents[1]


def _env_number(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def ensure_hey() -> Path:
    """The pinned ``hey`` binary, built with the machine's Go on first use (about 30 s)."""
    target = Path.home() / ".cache" / "asan" / "bin" / f"hey-{HEY_VERSION}"
    binary = target / "hey"
    if binary.exists():
        return binary
    go = shutil.which("go") or (
        "/usr/local/go/bin/go" if Path("/usr/local/go/bin/go").exists() else None
    )
    if go is None:
        raise RuntimeError("bench_http needs Go to install hey (go install); none found on PATH")
    target.mkdir(parents=True, exist_ok=True)
    print(f"  installing hey {HEY_VERSION}: go install {HEY_MODULE}@{HEY_VERSION} -> {target}")
    subprocess.run(
        [go, "install", f"{HEY_MODULE}@{HEY_VERSION}"],
        env={**os.environ, "GOBIN": str(target)},
        check=True,
        timeout=600,
    )
    return binary


class _Served:
    """A server command in its own process group, waited for until ``ready_path`` answers 200."""

    def __init__(
        self, name: str, command: list[str], port: int, ready_path: str, env: dict[str, str]
    ) -> None:
        self.name = name
        self.port = port
        self.ready_path = ready_path
        env = {
            **os.environ,
            "ASAN_LOG_LEVEL": "WARNING",
            "ASAN_RATE_LIMIT_PER_MINUTE": "1000000000",
            "ASAN_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "1000000000",
            **env,
        }
        self.proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def processes(self) -> list[int]:
        return [self.proc.pid, *_children(self.proc.pid)]

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        with httpx.Client(timeout=5) as client:
            while True:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"{self.name} exited with {self.proc.returncode}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{self.name} did not come up in {START_TIMEOUT_S} s")
                try:
                    if client.get(self.url + self.ready_path).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.2)  # polling a condition with a deadline

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


def _api(workers: int, bucket_prefix: str) -> _Served:
    port = _free_port()
    command = [sys.executable, "-m", "asan", "serve", "--host", "127.0.0.1", "--port", str(port)]
    env = {"ASAN_BUCKET_PREFIX": bucket_prefix}
    return _Served("asan serve", [*command, "--workers", str(workers)], port, "/readyz", env)


def _floor(workers: int) -> _Served:
    port = _free_port()
    command = [
        *(sys.executable, "-m", "uvicorn", "bench.floor_app:create_app", "--factory"),
        *("--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)),
        *("--http", "httptools", "--no-access-log", "--log-level", "warning"),
    ]
    return _Served("floor", command, port, "/healthz", {})


def hey(binary: Path, url: str, body: dict[str, Any], seconds: float) -> dict[str, Any]:
    """``hey`` for ``seconds`` with CLIENTS connections; summary computed from its CSV rows."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(body, f)
        body_file = f.name
    try:
        command = [
            *(str(binary), "-z", f"{seconds}s", "-c", str(CLIENTS), "-m", "POST"),
            *("-T", "application/json", "-D", body_file, "-o", "csv", url),
        ]
        out = subprocess.run(
            command, capture_output=True, text=True, check=True, timeout=seconds + 60
        )
    finally:
        os.unlink(body_file)
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    if not rows:
        raise RuntimeError(f"hey returned no rows: {out.stderr[:300]}")
    latencies = [float(r["response-time"]) * 1000 for r in rows]
    elapsed = max(float(r["offset"]) + float(r["response-time"]) for r in rows)
    failed = sum(1 for r in rows if r["status-code"] != "200")
    return {
        **summarize(latencies),
        "throughput_rps": round(len(rows) / elapsed, 1),
        "non_200": failed,
    }


def raw_driver(shape: Shape, seconds: float) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.raw_driver", shape.name, str(CLIENTS), str(seconds)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 120,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _canonical(data: dict[str, Any]) -> str:
    """An answer with the services' order and the fee's spelling set aside (the floor returns
    the stored number, the API the Decimal as "5.00"), to compare API and floor."""
    value = json.loads(json.dumps(data))
    service = value.get("service")
    if isinstance(service, dict):
        service["feeAmount"] = float(service["feeAmount"])
    body = value.get("stateBody")
    if isinstance(body, dict):
        services = body["services"]
        if isinstance(services, dict):  # a connection: its nodes
            services = [edge["node"] for edge in services["edges"]]
        body["services"] = sorted(services, key=lambda s: s["code"])
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def served_shapes(api: _Served) -> dict[str, Shape]:
    """The shapes as the served schema takes them (``StateBody.services`` list or connection)."""
    with httpx.Client(timeout=30) as client:
        tree = SHAPES["tree"]
        got = client.post(f"{api.url}/graphql", json=tree.body()).json()
    return SHAPES if not got.get("errors") else with_connection_tree(SHAPES)


def same_answers(api: _Served, floor: _Served, shapes: dict[str, Shape]) -> dict[str, bool]:
    """Whether the API and the floor answer each shape with the same data (else no comparison)."""
    verdicts = {}
    with httpx.Client(timeout=30) as client:
        for shape in shapes.values():
            got = client.post(f"{api.url}/graphql", json=shape.body()).json()
            floor_got = client.post(f"{floor.url}/floor/{shape.name}", json=shape.body()).json()
            if got.get("errors") or not got["data"][shape.root]:
                raise RuntimeError(f"API failed the {shape.name} shape: {got}")
            verdicts[shape.name] = _canonical(got["data"]) == _canonical(floor_got["data"])
            if not verdicts[shape.name]:
                print(
                    f"  {shape.name}: API and floor answers differ:\n    {got['data']}\n"
                    f"    {floor_got['data']}"
                )
    return verdicts


def _ratios(api: dict[str, Any], floor: dict[str, Any]) -> dict[str, float]:
    return {
        "throughput": round(floor["throughput_rps"] / api["throughput_rps"], 2),
        "p95": round(api["p95_ms"] / floor["p95_ms"], 2),
        "p50": round(api["p50_ms"] / floor["p50_ms"], 2),
    }


def _cores(pids: list[int], before: dict[int, float], wall: float) -> float:
    return round(sum(_cpu_seconds(p) - before.get(p, 0.0) for p in pids) / wall, 2)


def _per_request(result: dict[str, Any]) -> float:
    """CPU milliseconds the server processes spent per answered request (Neo4j's not counted):
    steadier than throughput on a machine other work keeps busy."""
    return round(float(result["cores_busy"]) * 1000 / float(result["throughput_rps"]), 2)


def _round(
    binary: Path, api: _Served, floor: _Served, shapes: dict[str, Shape], seconds: float
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for shape in shapes.values():
        api_pids = api.processes()
        before = {p: _cpu_seconds(p) for p in api_pids}
        started = time.perf_counter()
        api_result = hey(binary, f"{api.url}/graphql", shape.body(), seconds)
        api_result["cores_busy"] = _cores(api_pids, before, time.perf_counter() - started)
        api_result["cpu_ms_per_request"] = _per_request(api_result)
        floor_pids = floor.processes()
        before = {p: _cpu_seconds(p) for p in floor_pids}
        started = time.perf_counter()
        floor_result = hey(binary, f"{floor.url}/floor/{shape.name}", shape.body(), seconds)
        floor_result["cores_busy"] = _cores(floor_pids, before, time.perf_counter() - started)
        floor_result["cpu_ms_per_request"] = _per_request(floor_result)
        raw = raw_driver(shape, seconds)
        out[shape.name] = {
            "api": api_result,
            "floor": floor_result,
            "raw_driver": raw,
            "api_over_floor": {
                **_ratios(api_result, floor_result),
                "cpu_per_request": round(
                    api_result["cpu_ms_per_request"] / floor_result["cpu_ms_per_request"], 2
                ),
            },
            "floor_over_raw": _ratios(floor_result, raw),
        }
        r = out[shape.name]["api_over_floor"]
        print(
            f"  {shape.name:<8} api {api_result['throughput_rps']:>7} req/s p95 "
            f"{api_result['p95_ms']:>7} ms | floor {floor_result['throughput_rps']:>7} req/s p95 "
            f"{floor_result['p95_ms']:>7} ms | raw {raw['throughput_rps']:>7} req/s p95 "
            f"{raw['p95_ms']:>7} ms | x{r['throughput']} throughput, x{r['p95']} p95, "
            f"x{r['cpu_per_request']} server CPU per request",
            flush=True,
        )
    return out


def _ranges(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in SHAPES:
        entry: dict[str, Any] = {}
        for party, key in (("api", "throughput_rps"), ("floor", "throughput_rps")):
            values = [r[name][party][key] for r in rounds]
            entry[f"{party}_rps"] = [min(values), max(values)]
        for metric in ("throughput", "p95", "cpu_per_request"):
            values = [r[name]["api_over_floor"][metric] for r in rounds]
            entry[f"ratio_{metric}"] = [min(values), max(values)]
        entry["target_2x_met_every_round"] = all(
            r[name]["api_over_floor"]["throughput"] <= 2 and r[name]["api_over_floor"]["p95"] <= 2
            for r in rounds
        )
        out[name] = entry
    return out


async def run(platform: Platform) -> dict[str, Any]:
    seconds = _env_number("ASAN_BENCH_HTTP_SECONDS", 8)
    rounds = int(_env_number("ASAN_BENCH_HTTP_ROUNDS", 3))
    workers = int(_env_number("ASAN_BENCH_HTTP_WORKERS", 1))
    await load_seed(platform)  # the sample registry, idempotent
    binary = ensure_hey()
    out: dict[str, Any] = {
        "clients": CLIENTS,
        "seconds_per_measurement": seconds,
        "workers_api_and_floor": workers,
        "cpus": os.cpu_count(),
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
        "load_generator": f"hey {HEY_VERSION}",
        "shapes": {s.name: {"code": s.code, "query": s.query.strip()} for s in SHAPES.values()},
    }
    api = _api(workers, platform.settings.bucket_prefix)
    floor = _floor(workers)
    try:
        api.wait_ready()
        floor.wait_ready()
        shapes = served_shapes(api)
        out["tree_query_served"] = shapes["tree"].query.strip()
        out["same_answers"] = same_answers(api, floor, shapes)
        for shape in shapes.values():  # warm both servers (plans, caches, connections)
            hey(binary, f"{api.url}/graphql", shape.body(), 2)
            hey(binary, f"{floor.url}/floor/{shape.name}", shape.body(), 2)
        out["rounds"] = []
        for i in range(rounds):
            print(f"  round {i + 1}/{rounds}", flush=True)
            out["rounds"].append(_round(binary, api, floor, shapes, seconds))
    finally:
        api.stop()
        floor.stop()
    out["ranges"] = _ranges(out["rounds"])
    out["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    for name, r in out["ranges"].items():
        print(
            f"  {name}: API/floor throughput x{r['ratio_throughput']}, p95 x{r['ratio_p95']}, "
            f"server CPU per request x{r['ratio_cpu_per_request']}; "
            f"target met every round: {r['target_2x_met_every_round']}"
        )
    return out
