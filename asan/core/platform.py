"""The connections one process holds: Neo4j, the object store, the search index.

Created once per process (the ASGI lifespan, a CLI command, a test session) and passed down;
nothing below the GraphQL layer reaches for globals.
"""

from __future__ import annotations

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
        return UnitOfWork(self.db, self.store)

    async def in_transaction(
        self, work: Callable[[UnitOfWork], Awaitable[T]], attempts: int = 3
    ) -> T:
        """``work`` in one unit of work, retried on transient errors (deadlocks)."""
        return await run_in_unit_of_work(self.db, self.store, work, attempts)

    async def ensure_buckets(self) -> None:
        await self.store.ensure_bucket(self.buckets["documents"])
        # The archive keeps records under retention: Object Lock must be on from creation.
        await self.store.ensure_bucket(self.buckets["archive"], object_lock=True)

    async def readiness(self) -> dict[str, str | None]:
        """Each dependency mapped to None when ready, or to a one-line reason it is not."""
        checks: dict[str, str | None] = {}
        try:
            await self.db.ping()
            checks["neo4j"] = None
        except DatabaseUnavailable as exc:
            checks["neo4j"] = str(exc)
        try:
            await self.store.ping()
            checks["minio"] = None
        except StorageUnavailable as exc:
            checks["minio"] = str(exc)
        try:
            self.search.check()
            checks["search"] = None
        except SearchUnavailable as exc:
            checks["search"] = str(exc)
        return checks

    async def close(self) -> None:
        await self.db.close()
