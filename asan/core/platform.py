"""The connections one process holds: Neo4j, the object store, the search index.

Created once per process (the ASGI lifespan, a CLI command, a test session) and passed down;
nothing below the GraphQL layer reaches for globals.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from asan.core.db import Database, DatabaseUnavailable
from asan.core.settings import Settings
from asan.core.storage import ObjectStore, StorageUnavailable
from asan.core.uow import UnitOfWork, run_in_unit_of_work
from asan.search.index import SearchIndex, SearchUnavailable

BUCKET_PURPOSES = ("documents", "archive")
T = TypeVar("T")


@dataclass
class Platform:
    settings: Settings
    db: Database
    store: ObjectStore
    search: SearchIndex
    buckets: dict[str, str] = field(default_factory=dict)
    _ready: tuple[float, dict[str, str | None]] | None = field(default=None, repr=False)
    _probing: asyncio.Task[dict[str, str | None]] | None = field(default=None, repr=False)

    @classmethod
    def connect(cls, settings: Settings) -> Platform:
        return cls(
            settings=settings,
            db=Database.connect(settings),
            store=ObjectStore.connect(settings),
            search=SearchIndex(settings.data_path / "search"),
            buckets={purpose: settings.bucket(purpose) for purpose in BUCKET_PURPOSES},
        )

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.db, self.store, self.buckets)

    async def in_transaction(
        self, work: Callable[[UnitOfWork], Awaitable[T]], attempts: int | None = None
    ) -> T:
        """``work`` in one unit of work, retried whole on transient errors (deadlocks).

        Mutations go through ``asan.auth.pipeline.run_mutation``, which uses this; audited
        units without a policy check (sign-in, token refresh) use it directly.
        """
        return await run_in_unit_of_work(
            self.db,
            self.store,
            work,
            attempts or self.settings.mutation_max_attempts,
            self.settings.mutation_retry_base_seconds,
            self.buckets,
        )

    async def ensure_buckets(self) -> None:
        await self.store.ensure_bucket(self.buckets["documents"])
        # The archive keeps records under retention: Object Lock must be on from creation.
        await self.store.ensure_bucket(self.buckets["archive"], object_lock=True)

    async def readiness(
        self, *, probe_seconds: float = 10.0, max_age: float = 0.0
    ) -> dict[str, str | None]:
        """Each dependency mapped to None when ready, or to a one-line reason it is not.

        Probes run concurrently, each bounded by ``probe_seconds``, so the answer comes within about
        that whatever is down (an orchestrator's probe must not time out: /readyz passes a
        short one). With ``max_age`` an answer that young is reused and concurrent callers
        share one probe, so hammering /readyz cannot pile up connections to a sick service.
        """
        if max_age <= 0:
            return await self._probe_all(probe_seconds)
        cached = self._ready
        if cached is not None and time.monotonic() - cached[0] < max_age:
            return dict(cached[1])
        if self._probing is None or self._probing.done():
            self._probing = asyncio.ensure_future(self._probe_all(probe_seconds))
        checks = await asyncio.shield(self._probing)
        self._ready = (time.monotonic(), checks)
        return dict(checks)

    async def _probe_all(self, probe_seconds: float) -> dict[str, str | None]:
        names = ("neo4j", "minio", "search")
        probes = (self._probe_neo4j(), self._probe_minio(), asyncio.to_thread(self._probe_search))
        bounded = (_bounded(n, p, probe_seconds) for n, p in zip(names, probes, strict=True))
        results = await asyncio.gather(*bounded)
        return dict(zip(names, results, strict=True))

    async def _probe_neo4j(self) -> str | None:
        try:
            await self.db.ping()
        except DatabaseUnavailable as exc:
            return str(exc)
        return None

    async def _probe_minio(self) -> str | None:
        try:
            await self.store.ping()
        except StorageUnavailable as exc:
            return str(exc)
        return None

    def _probe_search(self) -> str | None:
        try:
            self.search.check()
        except SearchUnavailable as exc:
            return str(exc)
        return None

    async def close(self) -> None:
        await self.db.close()


async def _bounded(name: str, probe: Awaitable[str | None], seconds: float) -> str | None:
    try:
        return await asyncio.wait_for(probe, seconds)
    except TimeoutError:
        return f"{name} did not answer within {seconds:g}s"
