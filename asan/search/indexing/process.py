"""The indexer as a child process of ``asan serve`` (and so of ``make run``).

A process of its own, not a task in the API workers: the index has one writer however many
workers serve the port, and a slow rebuild never holds up a request. A watcher thread starts
it again when it dies (with a growing pause), except when it says another indexer holds the
directory (exit code 3): then this node reads the index that indexer keeps.
"""

from __future__ import annotations

import ctypes
import logging
import signal
import subprocess
import sys
import threading
from typing import Final

log = logging.getLogger("asan.search.indexer")

EXIT_BUSY: Final = 3
PR_SET_PDEATHSIG: Final = 1
FIRST_PAUSE: Final = 1.0
MAX_PAUSE: Final = 30.0


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM it when the spawning thread's process dies, however it
    dies (uvicorn re-raises the stopping signal after its shutdown, so ``serve``'s ``finally``
    may never run; a SIGKILL never runs anything)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class IndexerProcess:
    def __init__(self, argv: list[str] | None = None) -> None:
        self.argv = argv or [sys.executable, "-m", "asan", "search", "indexer"]
        self._proc: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        self._spawn()
        self._watcher = threading.Thread(target=self._watch, name="search-indexer", daemon=True)
        self._watcher.start()

    def _spawn(self) -> None:
        with self._lock:
            if not self._stopping.is_set():
                self._proc = subprocess.Popen(self.argv, preexec_fn=_die_with_parent)

    def _watch(self) -> None:
        pause = FIRST_PAUSE
        while not self._stopping.is_set():
            proc = self._proc
            if proc is None:
                return
            code = proc.wait()
            if self._stopping.is_set():
                return
            if code == EXIT_BUSY:
                log.warning("search indexer: another indexer holds this index; not restarting")
                return
            log.error("search indexer exited with %s; restarting in %.0fs", code, pause)
            if self._stopping.wait(pause):
                return
            pause = min(pause * 2, MAX_PAUSE)
            self._spawn()

    def stop(self, timeout: float = 15.0) -> None:
        self._stopping.set()
        with self._lock:
            proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._watcher is not None:
            self._watcher.join(timeout)
