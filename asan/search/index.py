"""The search index of this process: derived data, rebuildable from Neo4j and the object store.

``Platform.search`` holds one. API processes only read (``engine()`` never creates the
directory); the change-log indexer (``asan.search.indexing``) is the one writer per directory
and asks ``writer()``. ``availability()`` tells a query whether the index answers now or is
being (re)built, from the status the indexer leaves beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from asan.search.engine import SearchEngine, SearchUnavailable
from asan.search.indexing.state import IndexStatus, read_status

__all__ = ["Availability", "SearchIndex", "SearchUnavailable"]


@dataclass(frozen=True)
class Availability:
    status: IndexStatus  # READY, or REBUILDING while the indexer builds a fresh index
    answering: bool  # an index exists and can be read (an old one answers during a rebuild)
    done: int = 0  # documents a running rebuild has written
    total: int | None = None  # documents it will write, once counted
    reason: str | None = None  # why the index does not answer (missing, damaged)


class SearchIndex:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._engine: SearchEngine | None = None

    def engine(self) -> SearchEngine:
        """The reading engine on this directory (opened on first use, then shared)."""
        if self._engine is None:
            from asan.search.whoosh_engine import WhooshEngine

            self._engine = WhooshEngine(self.path, create=False)
        return self._engine

    def writer(self) -> SearchEngine:
        """A writing engine (creates the directory): for the indexer and rebuilds only."""
        from asan.search.whoosh_engine import WhooshEngine

        return WhooshEngine(self.path, create=True)

    def availability(self) -> Availability:
        record = read_status(self.path)
        try:
            self.engine().doc_count()
        except Exception as exc:  # missing, damaged, another schema: the indexer rebuilds
            reason = str(exc)
            return Availability(IndexStatus.REBUILDING, False, record.done, record.total, reason)
        return Availability(record.status, True, record.done, record.total, record.reason)

    def check(self) -> None:
        """Readiness: raises ``SearchUnavailable`` only for an index that exists, cannot be
        read and is not being rebuilt. A missing index is being built by the indexer (the API
        answers "search is rebuilding" meanwhile), so it does not take the node out."""
        if not self.path.exists():
            return
        if read_status(self.path).status is IndexStatus.REBUILDING:
            return
        try:
            self.engine().doc_count()
        except SearchUnavailable:
            raise
        except Exception as exc:
            raise SearchUnavailable(f"search index at {self.path} is unreadable: {exc}") from exc
