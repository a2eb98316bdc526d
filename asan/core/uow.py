"""One transaction story across Neo4j and the object store.

Order of work inside a unit: files go to the object store first, then every graph change
(including a ``:StoredObject`` node that references each file) commits in one Neo4j
transaction. On error or a failed commit the graph rolls back and the files written by this
unit are deleted. If the process dies between the two, a file without a ``:StoredObject``
node is an orphan that ``sweep_orphans`` removes after a grace period; a graph record can
never point at a file that was not written, because the graph commits last.
"""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, TypeVar

from neo4j.exceptions import DriverError, Neo4jError, TransientError

from asan.core.db import Database, Tx
from asan.core.storage import ObjectStore, StoredObject

log = logging.getLogger(__name__)

UOW_META_KEY = "asan-uow"
T = TypeVar("T")


class UnitOfWork:
    def __init__(
        self, db: Database, store: ObjectStore, buckets: Mapping[str, str] | None = None
    ) -> None:
        self.db = db
        self.store = store
        self.buckets: dict[str, str] = dict(buckets or {})  # purpose -> bucket name
        self.id = uuid.uuid4().hex
        self._staged: list[StoredObject] = []
        self._tx_cm: Any = None
        self._tx: Tx | None = None
        # plain callables run once the graph has committed (never after a rollback or for an
        # attempt that is retried): e.g. waking a background job for what was just written
        self.after_commit: list[Callable[[], None]] = []

    @property
    def tx(self) -> Tx:
        if self._tx is None:
            raise RuntimeError("UnitOfWork used outside 'async with'")
        return self._tx

    async def __aenter__(self) -> UnitOfWork:
        self._tx_cm = self.db.transaction()
        self._tx = await self._tx_cm.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self._tx_cm.__aexit__(exc_type, exc, tb)
        except BaseException:
            await self._discard_staged()
            raise
        if exc is not None:
            await self._discard_staged()
        self._tx = None
        if exc is None:
            for callback in self.after_commit:
                callback()

    async def put_object(
        self,
        bucket: str,
        key: str,
        data: bytes,
        *,
        content_type: str = "application/octet-stream",
        metadata: Mapping[str, str] | None = None,
    ) -> StoredObject:
        """Write a file and reference it from the graph in this unit's transaction."""
        meta = {**(metadata or {}), UOW_META_KEY: self.id}
        stored = await self.store.put(bucket, key, data, content_type=content_type, metadata=meta)
        self._staged.append(stored)
        await self.tx.run(
            """
            MERGE (o:StoredObject {bucket: $bucket, key: $key})
            SET o.etag = $etag, o.versionId = $version_id, o.size = $size,
                o.contentType = $content_type, o.createdAt = datetime()
            """,
            {
                "bucket": bucket,
                "key": key,
                "etag": stored.etag,
                "version_id": stored.version_id,
                "size": stored.size,
                "content_type": content_type,
            },
        )
        return stored

    async def _discard_staged(self) -> None:
        for obj in reversed(self._staged):
            try:
                await self.store.delete(obj.bucket, obj.key, obj.version_id)
            except Exception:
                log.warning("could not delete staged object %s/%s", obj.bucket, obj.key)
        self._staged.clear()


@dataclass
class RetryStats:
    """Process-wide counts of whole-unit retries, read by benches and tests."""

    retries: int = 0  # attempts that failed transiently and were run again
    exhausted: int = 0  # units that failed transiently on every allowed attempt


RETRY_STATS = RetryStats()


class _ForcedFailures:
    def __init__(self, remaining: int) -> None:
        self.remaining = remaining
        self.raised = 0


# Test hook: the next N units run under this context fail with a transient error just before
# they would commit (after their work wrote), exactly as a deadlock found at commit would.
_forced: ContextVar[_ForcedFailures | None] = ContextVar("asan_forced_transient", default=None)


@contextmanager
def forced_transient_failures(count: int) -> Iterator[_ForcedFailures]:
    """Make the next ``count`` units in this context fail transiently (tests, benches)."""
    forced = _ForcedFailures(count)
    token = _forced.set(forced)
    try:
        yield forced
    finally:
        _forced.reset(token)


def _maybe_force_failure() -> None:
    forced = _forced.get()
    if forced is not None and forced.remaining > 0:
        forced.remaining -= 1
        forced.raised += 1
        raise TransientError("forced transient failure (test hook)")


def is_transient(exc: BaseException) -> bool:
    """The driver's own verdict: would running the whole transaction again help?"""
    if isinstance(exc, (Neo4jError, DriverError)):
        return exc.is_retryable()
    return False


def backoff_delay(attempt: int, base: float, cap: float = 1.0) -> float:
    """Exponential backoff with full jitter, so colliding units do not collide again."""
    return random.uniform(0, min(cap, base * 2 ** (attempt - 1)))  # noqa: S311 (jitter)


async def run_in_unit_of_work(
    db: Database,
    store: ObjectStore,
    work: Callable[[UnitOfWork], Awaitable[T]],
    attempts: int = 3,
    base_delay: float = 0.02,
    buckets: Mapping[str, str] | None = None,
) -> T:
    """Run ``work`` in a fresh unit, again if Neo4j reports a transient error (deadlock).

    Contended writes (every mutation appends to the one audit chain and change log) can
    deadlock in Neo4j; the driver's advice is to retry the whole transaction. Each failed
    attempt has already rolled back its graph changes and deleted its files, so a retry starts
    clean. After ``attempts`` transient failures the last error propagates.
    """
    for attempt in range(1, attempts + 1):
        try:
            async with UnitOfWork(db, store, buckets) as uow:
                result = await work(uow)
                _maybe_force_failure()
            return result
        except Exception as exc:
            if not is_transient(exc):
                raise
            if attempt == attempts:
                RETRY_STATS.exhausted += 1
                raise
            RETRY_STATS.retries += 1
            log.info("transient Neo4j error, retrying unit of work (attempt %d)", attempt)
            await asyncio.sleep(backoff_delay(attempt, base_delay))
    raise AssertionError("unreachable")


async def sweep_orphans(
    db: Database, store: ObjectStore, bucket: str, grace: timedelta = timedelta(minutes=15)
) -> list[str]:
    """Delete files that no ``:StoredObject`` references and that are older than ``grace``.

    The grace period protects units still in flight: their files exist before their commit.
    """
    cutoff = datetime.now(UTC) - grace
    candidates = [
        obj.key
        for obj in await store.list(bucket)
        if obj.last_modified is not None and obj.last_modified < cutoff
    ]
    if not candidates:
        return []
    rows = await db.read(
        """
        UNWIND $keys AS key
        OPTIONAL MATCH (o:StoredObject {bucket: $bucket, key: key})
        WITH key, o WHERE o IS NULL
        RETURN key
        """,
        {"bucket": bucket, "keys": candidates},
    )
    orphans = [row["key"] for row in rows]
    if not orphans:
        return []
    failed = set(await store.delete_many(bucket, orphans))
    return [key for key in orphans if key not in failed]
