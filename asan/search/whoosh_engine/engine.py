"""``SearchEngine`` on a Whoosh index directory.

Readers: one searcher per thread, refreshed when the index has a newer generation or was
rebuilt. Writers: see ``gate``. The security filter is computed as a set of document
numbers before the search and handed to Whoosh's ``filter``, so hits, totals and facets are
counted inside the collector; an empty set is answered without searching, because Whoosh
reads an empty filter as "no filter" (everything would leak).
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import Index, LockError
from whoosh.searching import Searcher

from asan.search.engine import (
    DocRef,
    EmptyReason,
    Progress,
    SearchDoc,
    SearchQuery,
    SearchResults,
    SearchUnavailable,
)
from asan.search.querytext import parse
from asan.search.whoosh_engine import results as answers
from asan.search.whoosh_engine.gate import (
    WRITER_MEMORY_MB,
    WRITER_WAIT_SECONDS,
    SearchBusy,
    gate,
    writing,
)
from asan.search.whoosh_engine.schema import fields_of, key_of, same_fields, schema

PROGRESS_EVERY = 500


class WhooshEngine:
    """The Whoosh implementation of ``asan.search.engine.SearchEngine`` at ``path``."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = path
        self._create = create  # False for readers (API processes): only the indexer creates
        self._ix: Index | None = None
        self._dir_id: tuple[int, int] | None = None
        self._epoch = 0
        self._local = threading.local()
        self._open_lock = threading.Lock()

    # ------------------------------------------------------------------ opening

    def _index(self) -> Index:
        with self._open_lock:
            current = _dir_id(self.path)
            if self._ix is not None and current != self._dir_id:
                # another process rebuilt the index and swapped the directory in
                self._ix.close()
                self._ix = None
                self._epoch += 1
            if self._ix is None:
                if not self._create and current is None:
                    raise SearchUnavailable(f"search index at {self.path} does not exist yet")
                self._ix = _open_or_create(self.path)
                self._dir_id = _dir_id(self.path)
            return self._ix

    @contextmanager
    def _searcher(self) -> Iterator[Searcher]:
        ix = self._index()
        local = self._local
        searcher: Searcher | None = getattr(local, "searcher", None)
        stale = searcher is None or getattr(local, "epoch", -1) != self._epoch
        if searcher is not None and (stale or not searcher.up_to_date()):
            # Not ``Searcher.refresh``: it fails on an index that had no segment yet.
            searcher.close()
            searcher = None
        if searcher is None:
            searcher = ix.searcher()
            local.epoch = self._epoch
        local.searcher = searcher
        yield searcher

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
            self._local.searcher = None
        with self._open_lock:
            if self._ix is not None:
                self._ix.close()
                self._ix = None

    # ------------------------------------------------------------------ writing

    def index(self, docs: Iterable[SearchDoc]) -> int:
        count = 0
        with gate(self.path), writing(self._index(), self.path) as writer:
            for doc in docs:
                writer.update_document(**fields_of(doc))
                count += 1
        return count

    def delete(self, refs: Iterable[DocRef]) -> int:
        removed = 0
        with gate(self.path), writing(self._index(), self.path) as writer:
            for ref in refs:
                removed += writer.delete_by_term("key", key_of(ref)) or 0
        return removed

    def apply(self, docs: Iterable[SearchDoc], deletions: Iterable[DocRef]) -> None:
        with gate(self.path), writing(self._index(), self.path) as writer:
            for ref in deletions:
                writer.delete_by_term("key", key_of(ref))
            for doc in docs:
                writer.update_document(**fields_of(doc))

    def rebuild(self, docs: Iterable[SearchDoc], progress: Progress | None = None) -> int:
        """A fresh index in a sibling directory, swapped in once committed (readers answer
        from the old one meanwhile; a crash leaves the old one and a stray directory)."""
        fresh = self.path.with_name(f".{self.path.name}.rebuild-{uuid.uuid4().hex[:8]}")
        count = 0
        with gate(self.path):
            fresh.mkdir(parents=True)
            try:
                ix = whoosh_index.create_in(str(fresh), schema())
                with writing(ix, fresh) as writer:
                    for doc in docs:
                        writer.update_document(**fields_of(doc))
                        count += 1
                        if progress is not None and count % PROGRESS_EVERY == 0:
                            progress(count)
                # One more pass through Whoosh's merge, as ``compact`` does to a followed index:
                # a merge sums the stored per-document field lengths (kept quantised) where a
                # fresh segment sums the exact counts, and BM25 divides by that sum; both
                # paths through the merge rank alike.
                with writing(ix, fresh) as writer:
                    writer.optimize = True
                ix.close()
                self._swap(fresh)
            except BaseException:
                shutil.rmtree(fresh, ignore_errors=True)
                raise
        if progress is not None:
            progress(count)
        return count

    def _swap(self, fresh: Path) -> None:
        old = self.path.with_name(f".{self.path.name}.old-{uuid.uuid4().hex[:8]}")
        with self._open_lock:
            if self._ix is not None:
                self._ix.close()
                self._ix = None
            if self.path.exists():
                self.path.rename(old)
            fresh.rename(self.path)
            self._epoch += 1
        shutil.rmtree(old, ignore_errors=True)

    # ------------------------------------------------------------------ reading

    def doc_count(self) -> int:
        with self._searcher() as searcher:
            return int(searcher.doc_count())

    def deleted_count(self) -> int:
        with self._searcher() as searcher:
            return int(searcher.doc_count_all() - searcher.doc_count())

    def compact(self) -> None:
        """One merge of every segment (Whoosh's ``optimize``), which drops deleted documents
        and their share of the field statistics."""
        with gate(self.path):
            ix = self._index()
            try:
                writer = ix.writer(timeout=WRITER_WAIT_SECONDS, limitmb=WRITER_MEMORY_MB)
            except LockError as exc:
                raise SearchBusy(f"search index at {self.path} is being written") from exc
            writer.commit(optimize=True)

    def query(self, q: SearchQuery) -> SearchResults:
        clauses = parse(q.text)
        if not clauses and not (q.kinds or q.units or q.state_bodies or q.years or q.statuses):
            return SearchResults(hits=(), total=0, empty_reason=EmptyReason.NO_TERMS)
        if not q.unrestricted and not q.access:
            return SearchResults(hits=(), total=0, empty_reason=EmptyReason.NO_ACCESS)
        with self._searcher() as searcher:
            return answers.run(searcher, q, clauses)

    def more_like_this(
        self, ref: DocRef, access: frozenset[str], *, limit: int = 10, unrestricted: bool = False
    ) -> SearchResults:
        if not unrestricted and not access:
            return SearchResults(hits=(), total=0, empty_reason=EmptyReason.NO_ACCESS)
        with self._searcher() as searcher:
            return answers.similar(searcher, key_of(ref), access, limit, unrestricted)


def _dir_id(path: Path) -> tuple[int, int] | None:
    """The directory's identity: a rebuild's swap gives the path another inode."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return (found.st_dev, found.st_ino)


def _open_or_create(path: Path) -> Index:
    try:
        path.mkdir(parents=True, exist_ok=True)
        if not whoosh_index.exists_in(str(path)):
            return whoosh_index.create_in(str(path), schema())
        ix = whoosh_index.open_dir(str(path))
    except OSError as exc:
        raise SearchUnavailable(f"search index at {path} cannot be opened: {exc}") from exc
    if not same_fields(ix.schema):
        if ix.doc_count() == 0:  # an empty index of an earlier schema: nothing to lose
            ix.close()
            return whoosh_index.create_in(str(path), schema())
        ix.close()
        raise SearchUnavailable(
            f"search index at {path} was built with another schema and must be rebuilt"
        )
    return ix
