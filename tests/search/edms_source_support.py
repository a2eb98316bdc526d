"""What the document and case source tests share: feeding an engine from the change log the
way the indexer does (events -> affected ids -> load -> apply), and reading every hit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from asan.core.changelog import read_after
from asan.core.platform import Platform
from asan.search.engine import DocRef, SearchDoc, SearchEngine, SearchQuery, SearchResults
from asan.search.sources import SearchSource


async def follow(
    platform: Platform, engine: SearchEngine, sources: Sequence[SearchSource], after: int
) -> int:
    """Applies every change-log event after ``after`` to ``engine``; the last seq read."""
    while True:
        events = await read_after(platform.db, after, 500)
        if not events:
            return after
        after = events[-1].seq
        docs: list[SearchDoc] = []
        deletions: list[DocRef] = []
        for source in sources:
            mine = [e for e in events if e.entity_kind in source.log_kinds]
            if not mine:
                continue
            ids = sorted(await source.affected(platform, mine))
            loaded = await source.load(platform, ids)
            docs.extend(loaded)
            kept = {d.id for d in loaded}
            deletions.extend(DocRef(source.kind, i) for i in ids if i not in kept)
        engine.apply(docs, deletions)


async def index_all(platform: Platform, engine: SearchEngine, source: SearchSource) -> int:
    """Every document of ``source`` as it is now (what a rebuild writes)."""
    docs = await source.load(platform, await source.all_ids(platform))
    return engine.index(docs)


def all_hits(engine: SearchEngine, query: SearchQuery) -> tuple[SearchResults, set[str]]:
    """The first page's results and the ids of every page (the engine pages by 100)."""
    first = engine.query(query)
    ids = {h.id for h in first.hits}
    offset = len(first.hits)
    while offset < first.total:
        page = engine.query(replace(query, offset=offset))
        assert page.hits, "a page ended before the total"
        ids.update(h.id for h in page.hits)
        offset += len(page.hits)
    return first, ids
