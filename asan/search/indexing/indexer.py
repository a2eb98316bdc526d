"""The change-log indexer: the one writer of an index directory.

It follows the change log (``asan.core.changelog``) from the cursor stored beside the index,
asks each ``SearchSource`` which of its documents a page of events touched, loads them as they
are now and writes them (and deletes the vanished) in one commit, then stores the page's last
sequence number. At least once and idempotent: a crash after the commit and before the cursor
re-applies the page, which rewrites the same documents.

At start it rebuilds when the index is missing, damaged, of another schema, has no cursor,
was left mid-rebuild, or is ahead of the change log (a restored database); the status file
says "rebuilding" meanwhile so API processes tell their callers. Several API nodes each run
their own indexer over their own directory from the same log.

A second indexer on the same directory is refused (``IndexerBusy``), never left waiting on
Whoosh's lock, and Whoosh's ``AsyncWriter`` (which retries forever in a thread and loses its
buffer on a crash) is not used.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final

from asan.core import changelog
from asan.core.changelog import ChangeEvent
from asan.search.engine import DocRef, SearchDoc, SearchEngine
from asan.search.index import SearchIndex
from asan.search.indexing.health import damage_of
from asan.search.indexing.state import (
    IndexStatus,
    read_cursor,
    read_status,
    write_cursor,
    write_status,
)
from asan.search.sources import SearchSource, all_sources

if TYPE_CHECKING:
    from asan.core.platform import Platform

log = logging.getLogger("asan.search.indexer")

PAGE: Final = 500  # change events per batch (one commit)
LOAD_BATCH: Final = 200  # ids per ``load`` call during a rebuild
STATUS_EVERY: Final = 500  # documents between two status updates of a rebuild
POLL_SECONDS: Final = 0.2
# When idle, compact once deleted documents are this share of the live ones: Whoosh counts a
# replaced document in its ranking statistics until its segment is merged away, so a long-
# followed index drifts from what a rebuild would rank; compaction brings it back.
COMPACT_DELETED_SHARE: Final = 0.05
# ...but at most once a day: a compaction rewrites the whole index while holding the writer
# (190 s for 100,000 documents on this 2-core machine), so changes wait that long to appear.
COMPACT_EVERY_SECONDS: Final = 24 * 3600

Progress = Callable[[int, int], None]  # (documents written, documents in all)


class IndexerBusy(RuntimeError):
    """Another indexer holds this index directory."""


def lock_path(index: Path) -> Path:
    return index.with_name(f"{index.name}.indexer.lock")


def request_path(index: Path) -> Path:
    """A rebuild asked of the running indexer (``asan search rebuild`` while it runs)."""
    return index.with_name(f"{index.name}.rebuild-request")


@dataclass(frozen=True)
class Batch:
    events: int
    indexed: int
    deleted: int
    cursor: int


class Indexer:
    def __init__(
        self,
        platform: Platform,
        index: SearchIndex | None = None,
        *,
        sources: Sequence[SearchSource] | None = None,
        page: int = PAGE,
    ) -> None:
        self.platform = platform
        self.index = index or platform.search
        self.sources = tuple(all_sources() if sources is None else sources)
        self.page = page
        self._engine: SearchEngine | None = None
        self._lock: IO[str] | None = None
        self._compacted_at: float | None = None  # monotonic time of the last compaction

    @property
    def engine(self) -> SearchEngine:
        if self._engine is None:
            self._engine = self.index.writer()
        return self._engine

    # ------------------------------------------------------------------ the one writer
    def acquire(self) -> None:
        """Takes the directory's indexer lock for the life of this process (or ``release``)."""
        path = lock_path(self.index.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise IndexerBusy(
                f"search index at {self.index.path} has an indexer already (pid {holder})"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock = handle

    def release(self) -> None:
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None

    # ------------------------------------------------------------------ start-up
    async def rebuild_reason(self) -> str | None:
        """Why the index cannot be followed from its cursor (None: it can)."""
        path = self.index.path
        if not path.exists():
            return "missing"
        damage = await asyncio.to_thread(damage_of, path)
        if damage is not None:
            return f"damaged: {damage}"
        if read_status(path).status is IndexStatus.REBUILDING:
            return "an earlier rebuild did not finish"
        cursor = read_cursor(path)
        if cursor is None:
            return "no stored cursor"
        head = await changelog.head_seq(self.platform.db)
        if cursor > head:
            return f"the index (seq {cursor}) is ahead of the change log (seq {head})"
        return None

    async def ensure_ready(self, progress: Progress | None = None) -> str | None:
        """Rebuilds when needed; returns the reason it did, or None."""
        reason = await self.rebuild_reason()
        if reason is not None:
            log.warning("search index: rebuilding (%s)", reason)
            await self.rebuild(reason, progress)
        return reason

    # ------------------------------------------------------------------ rebuild
    async def rebuild(self, reason: str = "requested", progress: Progress | None = None) -> int:
        """A fresh index of everything the sources hold now, swapped in when complete; the
        cursor becomes the log's head read before loading (later events re-apply: idempotent)."""
        path = self.index.path
        write_status(path, IndexStatus.REBUILDING, reason=reason)
        since = read_status(path).since
        head = await changelog.head_seq(self.platform.db)
        plan = [(source, await source.all_ids(self.platform)) for source in self.sources]
        total = sum(len(ids) for _, ids in plan)
        write_status(path, IndexStatus.REBUILDING, total=total, reason=reason, since=since)
        loop = asyncio.get_running_loop()

        def docs() -> Iterator[SearchDoc]:
            for source, ids in plan:
                for start in range(0, len(ids), LOAD_BATCH):
                    chunk = ids[start : start + LOAD_BATCH]
                    future = asyncio.run_coroutine_threadsafe(
                        source.load(self.platform, chunk), loop
                    )
                    yield from future.result()

        def written(count: int) -> None:
            if count % STATUS_EVERY == 0:
                write_status(
                    path,
                    IndexStatus.REBUILDING,
                    done=count,
                    total=total,
                    reason=reason,
                    since=since,
                )
            if progress is not None:
                progress(count, total)

        count = await asyncio.to_thread(self.engine.rebuild, docs(), written)
        write_cursor(path, head)
        write_status(path, IndexStatus.READY, done=count, total=count, reason=reason)
        log.info("search index: rebuilt with %d documents at seq %d (%s)", count, head, reason)
        return count

    # ------------------------------------------------------------------ following the log
    async def catch_up(self) -> list[Batch]:
        """Applies every committed event after the cursor, a page per commit."""
        path = self.index.path
        cursor = read_cursor(path)
        if cursor is None:  # never built: nothing to follow from
            await self.rebuild("no stored cursor")
            cursor = read_cursor(path) or 0
        batches: list[Batch] = []
        while True:
            events = await changelog.read_after(self.platform.db, cursor, self.page)
            if not events:
                break
            batch = await self.apply(events)
            write_cursor(path, batch.cursor)
            cursor = batch.cursor
            batches.append(batch)
            if len(events) < self.page:
                break
        return batches

    async def apply(self, events: Sequence[ChangeEvent]) -> Batch:
        """One page of events into the index, in one commit."""
        upserts: list[SearchDoc] = []
        deletions: list[DocRef] = []
        for source in self.sources:
            mine = [e for e in events if e.entity_kind in source.log_kinds]
            if not mine:
                continue
            ids = sorted(await source.affected(self.platform, mine))
            if not ids:
                continue
            loaded = await source.load(self.platform, ids)
            upserts.extend(loaded)
            present = {doc.id for doc in loaded}
            deletions.extend(DocRef(source.kind, i) for i in ids if i not in present)
        if upserts or deletions:
            await asyncio.to_thread(self.engine.apply, upserts, deletions)
        return Batch(len(events), len(upserts), len(deletions), events[-1].seq)

    async def run(self, stop: asyncio.Event, poll_seconds: float = POLL_SECONDS) -> None:
        """Follows the log until ``stop``: rebuilds first when needed, and whenever a rebuild
        is requested or the log falls behind the cursor (a restored database)."""
        await self.ensure_ready()
        while not stop.is_set():
            try:
                await self._step()
            except Exception:  # Neo4j away, a source failing: log, keep the cursor, retry
                log.exception("search index: a batch failed; retrying from the same cursor")
            try:
                await asyncio.wait_for(stop.wait(), poll_seconds)
            except TimeoutError:
                pass

    async def compact_if_worn(self) -> bool:
        """Compacts when deleted documents reach ``COMPACT_DELETED_SHARE`` and no compaction
        ran in the last ``COMPACT_EVERY_SECONDS``; True if it did."""
        now = time.monotonic()
        if self._compacted_at is not None and now - self._compacted_at < COMPACT_EVERY_SECONDS:
            return False
        deleted = await asyncio.to_thread(self.engine.deleted_count)
        live = await asyncio.to_thread(self.engine.doc_count)
        if deleted == 0 or deleted < COMPACT_DELETED_SHARE * max(live, 1):
            return False
        await asyncio.to_thread(self.engine.compact)
        self._compacted_at = time.monotonic()
        log.info(
            "search index: compacted (%d deleted of %d documents) in %.1f s",
            deleted,
            live,
            self._compacted_at - now,
        )
        return True

    async def _step(self) -> None:
        requested = request_path(self.index.path)
        if requested.exists():
            requested.unlink(missing_ok=True)
            await self.rebuild("requested")
            return
        if not await self.catch_up():
            cursor = read_cursor(self.index.path) or 0
            head = await changelog.head_seq(self.platform.db)
            if cursor > head:
                await self.rebuild(f"the index (seq {cursor}) is ahead of the change log")
            else:
                await self.compact_if_worn()
