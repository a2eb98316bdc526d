"""One writer per index directory.

Within a process, a lock per directory serialises every write (index, delete, rebuild);
across processes, Whoosh's own lock file is taken with a bounded wait and a second writer is
refused with ``SearchBusy`` rather than retried forever (Whoosh's ``AsyncWriter`` retries in a
thread and loses its buffered documents on a crash: never used).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from whoosh.index import Index, LockError
from whoosh.writing import IndexWriter

WRITER_WAIT_SECONDS: Final = 10.0
WRITER_MEMORY_MB: Final = 256

_GATES: dict[Path, threading.Lock] = {}
_GATES_LOCK = threading.Lock()


class SearchBusy(RuntimeError):
    """Another process holds the index's write lock."""


def gate(path: Path) -> threading.Lock:
    """The process-wide write lock of the index at ``path``."""
    key = path.resolve()
    with _GATES_LOCK:
        return _GATES.setdefault(key, threading.Lock())


@contextmanager
def writing(ix: Index, path: Path) -> Iterator[IndexWriter]:
    """A writer committed on success and cancelled on error; the caller holds ``gate``."""
    try:
        writer = ix.writer(timeout=WRITER_WAIT_SECONDS, limitmb=WRITER_MEMORY_MB)
    except LockError as exc:
        raise SearchBusy(f"search index at {path} is being written by another process") from exc
    try:
        yield writer
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
