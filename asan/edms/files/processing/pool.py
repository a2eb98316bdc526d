"""A pool of worker processes for extraction, OCR and stamps, with limits per file.

Not ``ProcessPoolExecutor``: killing one of its workers breaks the whole executor, and a
file that runs over its time must cost exactly one worker. Each worker here is a process
with its own pair of pipes; a job that runs over its wall-clock limit (or whose worker dies)
gets its worker killed with its process group and replaced, and the caller gets a result
that says why. Workers are fresh interpreters (a new session each): never a ``fork`` of a
threaded server, and, unlike multiprocessing's spawn, no re-import of whatever ``__main__``
the host process runs (uvicorn, pytest, the CLI). ``BOOTSTRAP`` registers the parent
packages (``asan``, ``asan.edms``, ``asan.edms.files``) as bare namespaces, so a worker
imports only this package (which imports nothing else from ``asan``) and not the whole
application those packages' ``__init__`` modules pull in: half the start-up time and
a smaller address space for the memory limit to start from.

The blocking pipe traffic runs in one thread per worker; the event loop only awaits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Any

from asan.edms.files.processing import models
from asan.edms.files.processing.models import Corner, Extracted, ProcessingFailed
from asan.edms.files.processing.settings import ProcessingSettings, processing_settings

log = logging.getLogger(__name__)

JOIN_SECONDS = 5.0
START_SECONDS = 120.0  # a worker's imports on a busy machine
ASAN_DIR = Path(__file__).resolve().parents[3]
BOOTSTRAP = """
import sys, types
root = sys.argv[1]
for name, sub in (("asan", ""), ("asan.edms", "/edms"), ("asan.edms.files", "/edms/files")):
    package = types.ModuleType(name)
    package.__path__ = [root + sub]
    sys.modules[name] = package
from asan.edms.files.processing.worker import run
run(sys.argv[2:])
"""


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen[bytes]
    jobs: Connection
    replies: Connection

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait(self, seconds: float) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(seconds)


class ExtractionPool:
    """Extract text (pypdf, OCR) and stamp PDFs in worker processes; one file per worker."""

    def __init__(self, settings: ProcessingSettings | None = None) -> None:
        self.settings = settings or processing_settings()
        self._threads = ThreadPoolExecutor(
            max_workers=self.settings.workers, thread_name_prefix="asan-extraction"
        )
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        self._starting: asyncio.Lock | None = None
        self._closed = False
        self._replacing: set[asyncio.Task[None]] = set()
        self.replaced = 0  # workers killed and replaced (time limit, memory, crash)

    async def __aenter__(self) -> ExtractionPool:
        await self.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.close()

    async def start(self) -> None:
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if self._idle is not None:
                return
            if self._closed:
                raise RuntimeError("the extraction pool is closed")
            loop = asyncio.get_running_loop()
            idle: asyncio.Queue[_Worker] = asyncio.Queue()
            spawned = await asyncio.gather(
                *(
                    loop.run_in_executor(self._threads, self._spawn)
                    for _ in range(self.settings.workers)
                )
            )
            for one in spawned:
                idle.put_nowait(one)
            self._idle = idle

    async def close(self) -> None:
        """Ask idle workers to leave, kill the rest; waits for every process to end."""
        self._closed = True
        loop = asyncio.get_running_loop()
        if self._replacing:
            await asyncio.gather(*self._replacing, return_exceptions=True)
        for one in list(self._all):
            with contextlib.suppress(OSError):
                one.jobs.send(None)
        await loop.run_in_executor(None, self._reap_all)
        self._threads.shutdown(wait=False, cancel_futures=True)

    @property
    def pids(self) -> list[int]:
        return sorted(one.process.pid for one in self._all)

    async def extract(self, data: bytes, content_type: str | None) -> Extracted:
        """Text of a file; never raises for bad input: ``refused`` or ``warnings`` say why."""
        tag, value = await self._run("extract", {"data": data, "content_type": content_type})
        if tag == "done":
            assert isinstance(value, Extracted)
            return value
        return Extracted(refused=self._reason(tag, value))

    async def stamp(
        self, pdf: bytes, lines: list[str], *, corner: Corner = "top-right", all_pages: bool = False
    ) -> bytes:
        """A copy of ``pdf`` with the lines in a box in ``corner`` of its first (or every) page.

        Raises ProcessingFailed (with a message for people) when the PDF cannot be stamped.
        """
        payload = {"data": pdf, "lines": list(lines), "corner": corner, "all_pages": all_pages}
        tag, value = await self._run("stamp", payload)
        if tag == "done":
            assert isinstance(value, bytes)
            return value
        raise ProcessingFailed(self._reason(tag, value))

    def _reason(self, tag: str, value: Any) -> str:
        if tag == "timeout":
            return models.timed_out(float(value))
        if tag == "memory":
            return models.out_of_memory(self.settings.memory_mb)
        if tag == "crashed":
            return models.crashed(value)
        return str(value)

    async def _run(self, kind: str, payload: dict[str, Any]) -> tuple[str, Any]:
        await self.start()
        assert self._idle is not None
        idle = self._idle
        one = await idle.get()
        loop = asyncio.get_running_loop()
        outcome: tuple[str, Any] = ("crashed", None)
        try:
            if not one.alive():  # its replacement failed to start: try again now
                one = await loop.run_in_executor(None, self._spawn)
            outcome = await loop.run_in_executor(
                self._threads, self._exchange, one, (kind, payload)
            )
        finally:
            if outcome[0] in ("done", "failed") and one.alive():
                idle.put_nowait(one)
            else:  # timed out, out of memory, dead, or the caller was cancelled mid-job
                self._kill(one)
                self.replaced += 1
                task = loop.create_task(self._replace(one))
                self._replacing.add(task)
                task.add_done_callback(self._replacing.discard)
        return outcome

    async def _replace(self, dead: _Worker) -> None:
        """Reap a killed worker and start its successor, while the caller already has its
        answer; a successor that fails to start leaves the dead one in the queue, so the next
        job tries again instead of the pool shrinking."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self._reap, dead)
        if self._closed or self._idle is None:
            return
        try:
            fresh = await loop.run_in_executor(None, self._spawn)
        except Exception:
            log.exception("an extraction worker could not be started")
            fresh = dead
        self._idle.put_nowait(fresh)

    # blocking parts, run in threads

    def _spawn(self) -> _Worker:
        job_read, job_write = os.pipe()
        reply_read, reply_write = os.pipe()
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", BOOTSTRAP, str(ASAN_DIR), str(job_read), str(reply_write)],
                pass_fds=(job_read, reply_write),
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: killed with its children
            )
        finally:
            os.close(job_read)
            os.close(reply_write)
        one = _Worker(
            process, Connection(job_write, readable=False), Connection(reply_read, writable=False)
        )
        self._all.add(one)
        one.jobs.send(self.settings)
        if not one.replies.poll(START_SECONDS) or one.replies.recv()[0] != "ready":
            self._kill(one)
            self._reap(one)
            raise RuntimeError(f"an extraction worker did not start within {START_SECONDS:g} s")
        return one

    def _exchange(self, one: _Worker, job: tuple[str, dict[str, Any]]) -> tuple[str, Any]:
        """Send a job, wait for its reply within the limit (which OCR may raise)."""
        started = time.monotonic()
        limit = self.settings.timeout_seconds
        try:
            one.jobs.send(job)
            while True:
                remaining = started + limit - time.monotonic()
                if remaining <= 0:
                    return "timeout", limit
                if not one.replies.poll(remaining):
                    continue
                tag, value = one.replies.recv()
                if tag == "pages":  # the worker is about to OCR this many pages
                    extra = int(value) * self.settings.ocr_page_seconds
                    limit = min(self.settings.timeout_seconds + extra, self.settings.max_seconds)
                    continue
                return tag, value
        except (EOFError, OSError):
            one.wait(JOIN_SECONDS)
            return "crashed", one.process.returncode

    def _kill(self, one: _Worker) -> None:
        if one.process.poll() is not None:
            return  # already ended and reaped: its pid may belong to someone else now
        try:
            os.killpg(one.process.pid, signal.SIGKILL)  # the worker and its pdftoppm / tesseract
        except (ProcessLookupError, PermissionError):
            with contextlib.suppress(OSError):
                one.process.kill()

    def _reap(self, one: _Worker) -> None:
        one.wait(JOIN_SECONDS)
        if one.alive():
            self._kill(one)
            one.wait(JOIN_SECONDS)
        one.jobs.close()
        one.replies.close()
        self._all.discard(one)

    def _reap_all(self) -> None:
        deadline = time.monotonic() + JOIN_SECONDS
        for one in list(self._all):
            one.wait(max(0.0, deadline - time.monotonic()))
        for one in list(self._all):
            if one.alive():
                self._kill(one)
            self._reap(one)
