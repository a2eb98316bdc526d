"""The real system for the browser tests: `asan serve` in a subprocess on a free loopback port.

The same command an operator runs, so the pages go through the whole app (middleware, auth,
static and vendor files) against the test services; its log goes to the artefacts directory.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 90.0  # an interpreter importing the app on a shared 2-core machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ready(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/readyz")
        return conn.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


@dataclass(frozen=True)
class Server:
    proc: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> None:
        """Poll /readyz until it answers 200 (a condition with a deadline, not a fixed sleep)."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while not ready(self.port):
            if self.proc.poll() is not None:
                tail = self.log.read_text(errors="replace")[-2000:]
                raise AssertionError(f"asan serve exited: {tail}")
            if time.monotonic() > deadline:
                raise AssertionError(f"asan serve not ready in {START_TIMEOUT_S} s ({self.log})")
            time.sleep(0.2)


@contextmanager
def serving(log: Path) -> Iterator[Server]:
    """Start `asan serve` (one worker, no search indexer: the pages under test read Neo4j)
    with this process's environment (profile, ports, bucket prefix); stop it at the end."""
    port = free_port()
    env = {
        **os.environ,
        "ASAN_LOG_LEVEL": "WARNING",
        "ASAN_SEARCH_INDEXER": "false",
        "ASAN_HTTP_PORT": str(port),
    }
    command = [sys.executable, "-m", "asan", "serve", "--host", "127.0.0.1", "--port", str(port)]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield Server(proc, port, log)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
