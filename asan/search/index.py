"""The search index of this process: derived data, rebuildable from Neo4j and the object store.

``Platform.search`` holds one; readiness calls ``check``; everything else asks ``engine()``
for the ``SearchEngine`` (Whoosh today, see ``asan.search.whoosh_engine``). Only one writer
may exist per index directory (the change-log indexer of the search issue).
"""

from __future__ import annotations

from pathlib import Path

from asan.search.engine import SearchEngine, SearchUnavailable

__all__ = ["SearchIndex", "SearchUnavailable"]


class SearchIndex:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._engine: SearchEngine | None = None

    def engine(self) -> SearchEngine:
        """The engine on this index directory (opened on first use, then shared)."""
        if self._engine is None:
            from asan.search.whoosh_engine import WhooshEngine

            self._engine = WhooshEngine(self.path)
        return self._engine

    def check(self) -> None:
        """Raises ``SearchUnavailable`` when the index cannot be opened and read."""
        try:
            self.engine().doc_count()
        except SearchUnavailable:
            raise
        except Exception as exc:
            raise SearchUnavailable(f"search index at {self.path} is unreadable: {exc}") from exc
