"""The Whoosh full-text index: derived data, rebuildable from Neo4j and the object store.

Only one writer may exist (the search issue adds an outbox-fed writer); readers open it freely.
"""

from __future__ import annotations

from pathlib import Path

from whoosh import index
from whoosh.fields import ID, STORED, TEXT, Schema


class SearchUnavailable(RuntimeError):
    """The index directory cannot be opened; the message names the path."""


def schema() -> Schema:
    return Schema(
        kind=ID(stored=True),
        id=ID(stored=True, unique=True),
        title=TEXT(stored=True),
        body=TEXT,
        meta=STORED,
    )


class SearchIndex:
    def __init__(self, path: Path) -> None:
        self.path = path

    def open_or_create(self) -> index.Index:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            if index.exists_in(str(self.path)):
                return index.open_dir(str(self.path))
            return index.create_in(str(self.path), schema())
        except OSError as exc:
            raise SearchUnavailable(f"search index at {self.path} cannot be opened: {exc}") from exc

    def check(self) -> None:
        idx = self.open_or_create()
        try:
            with idx.searcher() as searcher:
                searcher.doc_count()
        except Exception as exc:
            raise SearchUnavailable(f"search index at {self.path} is unreadable: {exc}") from exc
        finally:
            idx.close()
