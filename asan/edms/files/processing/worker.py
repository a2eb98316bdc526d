"""The body of one pool worker process: limits first, then one job at a time from a pipe.

The worker leads its own session (the pool starts it so): killing its group on a timeout
also kills the pdftoppm or tesseract it started. Its address space is capped with RLIMIT_AS
at its size after start-up plus ``memory_mb`` (inherited by those binaries), so a
decompression bomb ends in MemoryError here instead of the OOM killer choosing a victim.
After a MemoryError the worker exits: the pool starts a fresh one.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from asan.edms.files.processing.extract import detail, extract
from asan.edms.files.processing.models import ProcessingFailed
from asan.edms.files.processing.settings import ProcessingSettings
from asan.edms.files.processing.stamp import stamp

MIB = 1024 * 1024


def baseline() -> int:
    """The worker's address space after its imports: the limit is headroom above it, so
    what other packages' imports cost never eats into the budget of a file."""
    pages = int(Path("/proc/self/statm").read_text().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


def limit(settings: ProcessingSettings) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the pool decides when a worker ends
    cap = baseline() + settings.memory_mb * MIB
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def handle(
    kind: str, payload: dict[str, Any], settings: ProcessingSettings, conn: Connection
) -> Any:
    if kind == "extract":
        return extract(
            payload["data"],
            payload["content_type"],
            settings,
            lambda pages: conn.send(("pages", pages)),
        )
    if kind == "stamp":
        return stamp(
            payload["data"],
            payload["lines"],
            payload["corner"],
            all_pages=payload["all_pages"],
            font=settings.stamp_font,
            size=settings.stamp_font_size,
        )
    if kind == "pid":  # the pool's liveness probe
        return os.getpid()
    raise ValueError(f"unknown job {kind!r}")


def main(jobs: Connection, conn: Connection) -> None:
    settings = jobs.recv()
    assert isinstance(settings, ProcessingSettings)
    limit(settings)
    conn.send(("ready", os.getpid()))  # the pool counts a job's time from here on
    while True:
        try:
            job = jobs.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        kind, payload = job
        reply: tuple[str, Any]
        out_of_memory = False
        try:
            reply = ("done", handle(kind, payload, settings, conn))
        except MemoryError:
            out_of_memory = True
        except ProcessingFailed as failure:
            reply = ("failed", failure.message)
        except Exception as error:
            reply = ("failed", detail(error))
        if out_of_memory:  # outside the handler: the frames that held the memory are gone
            with contextlib.suppress(Exception):
                conn.send(("memory", None))
            return
        conn.send(reply)


def run(argv: list[str]) -> None:
    """Entry point of ``pool.BOOTSTRAP``: ``<job fd> <reply fd>``."""
    main(Connection(int(argv[0]), writable=False), Connection(int(argv[1]), readable=False))
