"""``asan search``: the indexer process, rebuilds and the index's status (docs/search.md)."""

from __future__ import annotations

import asyncio
import fcntl
import signal
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from asan.search.indexing.indexer import Indexer, IndexerBusy, lock_path, request_path
from asan.search.indexing.state import IndexStatus, read_cursor, read_status

if TYPE_CHECKING:
    from asan.core.platform import Platform

T = TypeVar("T")
EXIT_BUSY = 3  # another indexer holds the directory: ``asan serve`` does not restart it

search_app = typer.Typer(help="The search index (docs/search.md).", no_args_is_help=True)
console = Console(stderr=True, soft_wrap=True)


def _run(work: Callable[[Platform], Awaitable[T]]) -> T:
    from asan.core.logging import configure
    from asan.core.platform import Platform
    from asan.core.settings import get_settings

    settings = get_settings()
    configure(settings.log_level, settings.log_json)

    async def main() -> T:
        platform = Platform.connect(settings)
        try:
            return await work(platform)
        finally:
            await platform.close()

    return asyncio.run(main())


def _bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


@search_app.command("indexer")
def indexer(
    once: Annotated[bool, typer.Option(help="catch up with the change log, then exit")] = False,
) -> None:
    """Follow the change log into this node's index (the one writer of its directory;
    ``asan serve`` starts it). Rebuilds first when the index is missing or damaged."""

    async def work(platform: Platform) -> None:
        worker = Indexer(platform)
        try:
            worker.acquire()
        except IndexerBusy as exc:
            console.print(str(exc), highlight=False)
            raise typer.Exit(EXIT_BUSY) from exc
        try:
            if once:
                await worker.ensure_ready()
                batches = await worker.catch_up()
                console.print(f"events applied: {sum(b.events for b in batches)}")
                return
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, stop.set)
            await worker.run(stop)
        finally:
            worker.release()

    _run(work)


@search_app.command("rebuild")
def rebuild() -> None:
    """Re-create the index from Neo4j and the object store, with progress. Queries answer
    from the old index until the new one is swapped in. When this node's indexer is running,
    it is asked to rebuild and this command follows its progress."""

    async def work(platform: Platform) -> int:
        worker = Indexer(platform)
        try:
            worker.acquire()
        except IndexerBusy:
            return await _ask_running_indexer(platform)
        try:
            with _bar() as bar:
                task = bar.add_task("rebuilding the search index", total=None)

                def progress(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                return await worker.rebuild("requested", progress)
        finally:
            worker.release()

    count = _run(work)
    console.print(f"search index rebuilt: {count} documents", highlight=False)


async def _ask_running_indexer(platform: Platform) -> int:
    path = platform.search.path
    asked = time.time()
    request_path(path).write_text(str(asked), encoding="utf-8")
    console.print("the running indexer was asked to rebuild; following its progress")
    with _bar() as bar:
        task = bar.add_task("rebuilding the search index (by the indexer)", total=None)
        while True:
            status = read_status(path)
            bar.update(task, completed=status.done, total=status.total)
            started = status.since and _epoch(status.since) >= asked - 1
            if not request_path(path).exists() and status.status is IndexStatus.READY and started:
                return status.done
            await asyncio.sleep(0.5)  # polling a file another process writes


def _running_indexer(index: Path) -> str | None:
    """The pid of the indexer holding ``index``'s lock now, if any."""
    path = lock_path(index)
    if not path.exists():
        return None
    with path.open("r", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return handle.read().strip() or "?"
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None


def _epoch(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso).timestamp()


@search_app.command("status")
def status() -> None:
    """The index's state, documents, cursor and how far it lags behind the change log."""

    async def work(platform: Platform) -> list[str]:
        from asan.core import changelog

        path = platform.search.path
        found = platform.search.availability()
        record = read_status(path)
        cursor = read_cursor(path)
        head = await changelog.head_seq(platform.db)
        count = platform.search.engine().doc_count() if found.answering else 0
        holder = _running_indexer(path)
        return [
            f"index: {path}",
            f"status: {found.status.value}" + (f" ({record.reason})" if record.reason else ""),
            f"answering: {'yes' if found.answering else 'no: ' + (found.reason or '')}",
            f"documents: {count}",
            f"cursor: {cursor if cursor is not None else 'none'} of change log head {head}"
            + (f" (lag {head - cursor} events)" if cursor is not None else ""),
            f"indexer: {'running, pid ' + holder if holder else 'not running'}",
        ]

    for line in _run(work):
        console.print(line, highlight=False)
