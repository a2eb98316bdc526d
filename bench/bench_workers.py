"""Workers benchmark: `asan serve --workers 2` against `--workers 1`, back to back.

A small generated registry (``bench.generate``: 100 bodies, 1,000 services) is read over real
loopback HTTP by 20 concurrent clients (httpx, kept-alive connections) from this process:
``service(code:)`` and the three-level ``stateBody -> services -> requiredDocuments`` tree,
first against one API process, then against two, each time the real ``asan serve`` command
in a subprocess on a free loopback port. Reported: throughput and p50/p95 per scenario and
the ratios two/one, plus the CPU seconds each side used (API processes, Neo4j, this load
generator), read from /proc, which is how the machine's cores were shared.

Rate limits are raised for the servers (every client is one loopback address). Bounded
loops, no sleeps except polling for the server to come up (with a deadline); the generated
data is removed at the end.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from asan.core.platform import Platform
from bench.bench_registry import concurrently
from bench.generate import Sizes, body_code, clear, generate, service_code

CLIENTS = 20
PER_CLIENT = 25  # requests per client and scenario: 500 per scenario
SIZES = Sizes(bodies=100, systems=200, links=2_000, services=1_000)
START_TIMEOUT_S = 120.0
ROOT = Path(__file__).resolve().parents[1]

SERVICE_QUERY = """
query($code: String!) {
  service(code: $code) {
    code nameAz status feeAmount processingDays provider { code nameAz }
  }
}"""
TREE_QUERY = """
query($code: String!) {
  stateBody(code: $code) {
    code nameAz
    services { code nameAz requiredDocuments { position code nameAz condition } }
  }
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _neo4j_pid(port: int) -> int | None:
    """The process listening on the Bolt port (the embedded server), via /proc/net/tcp."""
    listening = {
        fields[9]
        for table in ("/proc/net/tcp", "/proc/net/tcp6")  # Java listens on IPv6 (dual stack)
        for line in Path(table).read_text().splitlines()[1:]
        if (fields := line.split())[3] == "0A" and fields[1].endswith(f":{port:04X}")
    }
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                link = os.readlink(fd)
                if link.startswith("socket:[") and link[8:-1] in listening:
                    return int(entry.name)
        except OSError:
            continue
    return None


class _Server:
    """`asan serve --workers N` in a subprocess, with its CPU accounting."""

    def __init__(self, workers: int, bucket_prefix: str) -> None:
        self.workers = workers
        self.port = _free_port()
        env = {
            **os.environ,
            "ASAN_LOG_LEVEL": "WARNING",
            "ASAN_BUCKET_PREFIX": bucket_prefix,
            "ASAN_RATE_LIMIT_PER_MINUTE": "10000000",
            "ASAN_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "10000000",
        }
        command = [sys.executable, "-m", "asan", "serve", "--host", "127.0.0.1"]
        self.proc = subprocess.Popen(
            [*command, "--port", str(self.port), "--workers", str(workers)],
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

    async def wait_ready(self, client: httpx.AsyncClient) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"asan serve --workers {self.workers} exited")
            if time.monotonic() > deadline:
                raise RuntimeError(f"asan serve --workers {self.workers} did not come up")
            try:
                if (await client.get(f"{self.url}/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)  # polling a condition with a deadline

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


async def _measure(
    platform: Platform, workers: int, neo4j_pid: int | None, rnd: random.Random
) -> dict[str, Any]:
    services = [service_code(rnd.randrange(SIZES.services)) for _ in range(CLIENTS * PER_CLIENT)]
    bodies = [body_code(rnd.randrange(SIZES.bodies)) for _ in range(CLIENTS * PER_CLIENT)]
    server = _Server(workers, platform.settings.bucket_prefix)
    errors = 0
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    try:
        async with httpx.AsyncClient(limits=limits, timeout=60) as client:
            await server.wait_ready(client)

            async def post(query: str, code: str) -> None:
                nonlocal errors
                body = {"query": query, "variables": {"code": code}}
                response = await client.post(f"{server.url}/graphql", json=body)
                payload = response.json()
                if response.status_code != 200 or payload.get("errors") or not payload["data"]:
                    errors += 1

            for i in range(4 * CLIENTS):  # warm every worker's caches and the connections
                await post(SERVICE_QUERY if i % 2 else TREE_QUERY, services[i])
            pids = server.processes()
            cpu = {pid: _cpu_seconds(pid) for pid in pids}
            neo4j_cpu = _cpu_seconds(neo4j_pid) if neo4j_pid else 0.0
            own_cpu = time.process_time()
            started = time.perf_counter()
            service = await concurrently(
                lambda i: post(SERVICE_QUERY, services[i]), CLIENTS, PER_CLIENT
            )
            tree = await concurrently(lambda i: post(TREE_QUERY, bodies[i]), CLIENTS, PER_CLIENT)
            wall = time.perf_counter() - started
            api_cpu = sum(_cpu_seconds(pid) - cpu[pid] for pid in pids)
            shares = {
                "api_processes": round(api_cpu / wall, 2),
                "neo4j": round((_cpu_seconds(neo4j_pid) - neo4j_cpu) / wall, 2)
                if neo4j_pid
                else None,
                "load_generator": round((time.process_time() - own_cpu) / wall, 2),
            }
    finally:
        server.stop()
    return {
        "workers": workers,
        "service_by_code": service,
        "body_services_documents": tree,
        "errors": errors,
        "cores_busy": shares,
    }


def _ratio(two: dict[str, Any], one: dict[str, Any]) -> dict[str, float]:
    return {
        "throughput": round(two["throughput_rps"] / one["throughput_rps"], 2),
        "p95": round(two["p95_ms"] / one["p95_ms"], 2),
    }


async def run(platform: Platform) -> dict[str, Any]:
    await clear(platform)
    # other work on the machine skews every figure: the load average says how much there was
    out: dict[str, Any] = {
        "clients": CLIENTS,
        "cpus": os.cpu_count(),
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
    }
    try:
        out["generate"] = await generate(platform, SIZES)
        neo4j_pid = _neo4j_pid(platform.settings.neo4j_port or 0)
        one = await _measure(platform, 1, neo4j_pid, random.Random(1))
        two = await _measure(platform, 2, neo4j_pid, random.Random(1))
        out["workers_1"], out["workers_2"] = one, two
        out["two_vs_one"] = {
            "service_by_code": _ratio(two["service_by_code"], one["service_by_code"]),
            "body_services_documents": _ratio(
                two["body_services_documents"], one["body_services_documents"]
            ),
        }
    finally:
        await clear(platform)
    return out
