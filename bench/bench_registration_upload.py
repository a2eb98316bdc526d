"""Registration with a 1 MiB PDF by 20 concurrent clients, through the HTTP API.

``registerDocument`` with its scanned original as a GraphQL multipart upload, against the
real ``asan serve`` in a subprocess (one worker, its processing job off so the figure is the
registration itself: the job runs after the commit, in the background). The baseline, in the
same run against the same Neo4j and MinIO: what the registration must at least do, a raw
MinIO put of the same 1 MiB plus one raw Cypher write of the card, from 20 concurrent tasks.
Reported: throughput and p50/p95 of each and the ratios (target: the API within 2x).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from asan.auth.accounts import create_user
from asan.auth.models import NewUser
from asan.auth.principal import SYSTEM
from asan.auth.service import AuthService
from asan.core.platform import Platform
from bench.stats import summarize

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 20
PER_CLIENT = 10
MIB = 1024 * 1024
START_TIMEOUT_S = 60.0

REGISTER = """
mutation($input: RegisterDocumentInput!) {
  registerDocument(input: $input) { userErrors { field message code } }
}"""


def pdf_of_size(size: int, label: str) -> bytes:
    """A valid one-page PDF padded with a stream to ``size`` bytes (a scan's typical size)."""
    content = f"BT /F1 18 Tf 72 720 Td (Bench {label}) Tj ET".encode()
    head = (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>\n"
        b"endobj\n4 0 obj\n<< /Length "
        + str(len(content)).encode()
        + b" >>\nstream\n"
        + content
        + b"\nendstream\nendobj\n"
    )
    tail = b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    pad = max(0, size - len(head) - len(tail) - 40)
    return (
        head
        + b"5 0 obj\n<< /Length "
        + str(pad).encode()
        + b" >>\nstream\n"
        + (b"0" * pad)
        + b"\nendstream\nendobj\n"
        + tail
    )


async def _fixture(platform: Platform, tag: str) -> str:
    await platform.db.write(
        """
        MERGE (u:OrgUnit {code: 'BENCH-UNIT'})
          ON CREATE SET u.kind = 'department', u.nameAz = 'Bench', u.nameEn = 'Bench'
        MERGE (b:StateBody {code: 'BENCH-BODY'})
          ON CREATE SET b.nameAz = 'Bench orqanı', b.nameFold = 'bench orqanı', b.kind = 'ministry'
        """
    )
    return await create_user(
        platform,
        SYSTEM,
        NewUser(
            f"bench.reg.{tag}",
            "Bench Registrar",
            "bench-password-2026",
            frozenset({"registrar"}),
            None,
        ),
    )


class _Server:
    def __init__(self, port: int, bucket_prefix: str) -> None:
        self.port = port
        env = {
            **os.environ,
            "ASAN_LOG_LEVEL": "WARNING",
            "ASAN_BUCKET_PREFIX": bucket_prefix,
            "ASAN_RATE_LIMIT_PER_MINUTE": "10000000",
            "ASAN_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "10000000",
            "ASAN_EDMS_FILES_PROCESS_IN_API": "false",
        }
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "asan",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "1",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def wait_ready(self, client: httpx.AsyncClient) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("asan serve exited")
            if time.monotonic() > deadline:
                raise RuntimeError("asan serve did not come up")
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


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _load(work: Any, clients: int, per_client: int) -> tuple[list[float], float]:
    samples: list[float] = []

    async def client(c: int) -> None:
        for k in range(per_client):
            start = time.perf_counter()
            await work(c, k)
            samples.append((time.perf_counter() - start) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(client(c) for c in range(clients)))
    return samples, time.perf_counter() - started


async def _api(platform: Platform, token: str, data: bytes, tag: str) -> dict[str, Any]:
    server = _Server(_free_port(), platform.settings.bucket_prefix)
    failures: list[str] = []
    try:
        limits = httpx.Limits(max_connections=CLIENTS + 5)
        async with httpx.AsyncClient(timeout=120, limits=limits) as client:
            await server.wait_ready(client)

            async def register(c: int, k: int) -> None:
                operations = {
                    "query": REGISTER,
                    "variables": {
                        "input": {
                            "file": None,
                            "card": {
                                "subject": f"Bench məktub {tag} {c}-{k}",
                                "unit": "BENCH-UNIT",
                                "correspondentKind": "STATE_BODY",
                                "correspondentBody": "BENCH-BODY",
                                "correspondentNumber": f"{c}/{k}",
                                "channel": "MAIL",
                                "pages": 1,
                            },
                        }
                    },
                }
                response = await client.post(
                    f"{server.url}/graphql",
                    headers={"Authorization": f"Bearer {token}", "Apollo-Require-Preflight": "1"},
                    data={
                        "operations": json.dumps(operations),
                        "map": json.dumps({"0": ["variables.input.file"]}),
                    },
                    files={"0": ("skan.pdf", data, "application/pdf")},
                )
                body = response.json()
                errors = body.get("errors") or (body.get("data") or {}).get(
                    "registerDocument", {}
                ).get("userErrors")
                if response.status_code != 200 or errors:
                    failures.append(f"{response.status_code}: {str(errors)[:200]}")

            await _load(register, 4, 2)  # warm the server, its pools and query plans
            samples, elapsed = await _load(register, CLIENTS, PER_CLIENT)
    finally:
        server.stop()
    return {
        **summarize(samples),
        "per_s": round(len(samples) / elapsed, 1),
        "failures": len(failures),
        "first_failure": failures[0] if failures else None,
    }


async def _raw(platform: Platform, data: bytes, tag: str) -> dict[str, Any]:
    bucket = platform.buckets["documents"]
    digest = hashlib.sha256(data).hexdigest()

    async def write(c: int, k: int) -> None:
        key = f"bench-raw/{tag}/{uuid.uuid4().hex}"
        await platform.store.put(
            bucket, key, data, content_type="application/pdf", metadata={"sha256": digest}
        )
        await platform.db.write(
            "CREATE (:BenchRawDocument {id: $id, subject: $subject, objectKey: $key, "
            "sha256: $sha, createdAt: datetime()})",
            {"id": uuid.uuid4().hex, "subject": f"Bench {c}-{k}", "key": key, "sha": digest},
        )

    await _load(write, 4, 2)
    samples, elapsed = await _load(write, CLIENTS, PER_CLIENT)
    await platform.db.write("MATCH (n:BenchRawDocument) DETACH DELETE n")
    return {**summarize(samples), "per_s": round(len(samples) / elapsed, 1)}


async def run(platform: Platform) -> dict[str, Any]:
    tag = uuid.uuid4().hex[:6]
    user = await _fixture(platform, tag)
    token = AuthService.for_settings(platform.settings).access_token(user, "user")[0]
    data = pdf_of_size(MIB, tag)
    raw = await _raw(platform, data, tag)
    api = await _api(platform, token, data, tag)
    return {
        "clients": CLIENTS,
        "registrations": CLIENTS * PER_CLIENT,
        "file_bytes": len(data),
        "api_register_with_1mib_pdf": api,
        "raw_minio_put_plus_cypher_write": raw,
        "p95_ratio_api_over_raw": round(api["p95_ms"] / raw["p95_ms"], 2),
        "throughput_ratio_raw_over_api": round(raw["per_s"] / api["per_s"], 2),
    }


if __name__ == "__main__":
    from asan.core.settings import Settings

    async def main() -> None:
        platform = Platform.connect(Settings(bucket_prefix="asan-bench"))
        try:
            await platform.ensure_buckets()
            print(json.dumps(await run(platform), indent=2, ensure_ascii=False))
        finally:
            await platform.close()

    asyncio.run(main())
