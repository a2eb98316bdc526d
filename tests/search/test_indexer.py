"""The change-log indexer on the real Neo4j: rebuild at start, follow from the cursor, at
least once and idempotent, damage detected, one writer per directory.

The documents here come from a small source over ``(:Probe)`` nodes whose changes are
appended to the real change log, so the indexer's own behaviour is tested apart from the
domains' sources (tests/search/test_search_consistency.py runs it over all of them).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from asan.auth.principal import Principal
from asan.core import changelog
from asan.core.changelog import Change, ChangeEvent
from asan.core.platform import Platform
from asan.search.engine import PUBLIC, SearchDoc, SearchQuery
from asan.search.index import SearchIndex
from asan.search.indexing.indexer import Indexer, IndexerBusy, request_path
from asan.search.indexing.state import (
    IndexStatus,
    read_cursor,
    read_status,
    write_cursor,
    write_status,
)


class ProbeSource:
    kind = "probe"
    log_kinds = frozenset({"Probe"})

    async def affected(self, platform: Platform, events: Sequence[ChangeEvent]) -> set[str]:
        return {e.entity_id for e in events if e.entity_kind == "Probe"}

    async def load(self, platform: Platform, ids: Sequence[str]) -> list[SearchDoc]:
        rows = await platform.db.read(
            "MATCH (p:Probe) WHERE p.id IN $ids RETURN p.id AS id, p.title AS title, "
            "p.unit AS unit ORDER BY id",
            {"ids": list(ids)},
        )
        return [
            SearchDoc(
                "probe",
                r["id"],
                r["title"],
                unit=r["unit"],
                acl=frozenset({f"probe:unit:{r['unit']}"}),
            )
            for r in rows
        ]

    async def all_ids(self, platform: Platform) -> list[str]:
        rows = await platform.db.read("MATCH (p:Probe) RETURN p.id AS id ORDER BY id")
        return [r["id"] for r in rows]

    def tokens(self, principal: Principal) -> list[str]:
        return [f"probe:unit:{u}" for u in principal.org_units]


async def commit(platform: Platform, cypher: str, params: dict[str, object], change: Change) -> int:
    """A write and its change event in one transaction, as the mutation pipeline does."""
    async with platform.db.transaction() as tx:
        await tx.run(cypher, params)
        seqs = await changelog.append(tx, [change], "tester", "probe.write", datetime.now(UTC))
    return seqs[-1]


async def put(platform: Platform, probe_id: str, title: str, unit: str = "DEPT-IT") -> int:
    return await commit(
        platform,
        "MERGE (p:Probe {id: $id}) SET p.title = $title, p.unit = $unit",
        {"id": probe_id, "title": title, "unit": unit},
        Change("Probe", probe_id, "updated", ("title",)),
    )


async def remove(platform: Platform, probe_id: str) -> int:
    return await commit(
        platform,
        "MATCH (p:Probe {id: $id}) DETACH DELETE p",
        {"id": probe_id},
        Change("Probe", probe_id, "deleted"),
    )


def found(index: SearchIndex, text: str, units: Sequence[str] = ("DEPT-IT",)) -> list[str]:
    access = frozenset({PUBLIC, *(f"probe:unit:{u}" for u in units)})
    hits = index.engine().query(SearchQuery(text=text, access=access, facets=False)).hits
    return sorted(h.id for h in hits)


@pytest.fixture
async def indexer(clean_platform: Platform, tmp_path: Path) -> AsyncIterator[Indexer]:
    worker = Indexer(clean_platform, SearchIndex(tmp_path / "search"), sources=[ProbeSource()])
    worker.acquire()
    yield worker
    worker.release()


async def test_a_missing_index_is_rebuilt_from_the_graph_at_start(indexer: Indexer) -> None:
    p = indexer.platform
    await put(p, "p1", "Səyyar xidmətlər haqqında")
    await put(p, "p2", "Vətəndaşların müraciətləri")
    assert not indexer.index.availability().answering  # the API says "rebuilding" meanwhile

    assert await indexer.ensure_ready() == "missing"
    assert found(indexer.index, "seyyar") == ["p1"]
    assert read_cursor(indexer.index.path) == await changelog.head_seq(p.db)
    assert read_status(indexer.index.path).status is IndexStatus.READY
    assert await indexer.ensure_ready() is None  # healthy now: no second rebuild


async def test_changes_after_the_cursor_are_followed_and_deletions_vanish(
    indexer: Indexer,
) -> None:
    p = indexer.platform
    await indexer.ensure_ready()
    await put(p, "p1", "Arxiv işlərinin siyahısı")
    await put(p, "p2", "Səyyar xidmət avtobusu")
    batches = await indexer.catch_up()
    assert sum(b.events for b in batches) == 2
    assert found(indexer.index, "arxiv") == ["p1"]

    await put(p, "p1", "Ərizələrin qeydiyyatı")  # renamed: the old words no longer find it
    await remove(p, "p2")
    await indexer.catch_up()
    assert found(indexer.index, "arxiv") == []
    assert found(indexer.index, "erizelerin") == ["p1"]
    assert found(indexer.index, "avtobus") == []
    assert read_cursor(indexer.index.path) == await changelog.head_seq(p.db)


async def test_a_page_applied_twice_leaves_the_same_index(indexer: Indexer) -> None:
    """At least once: a crash after the commit and before the cursor re-applies a page."""
    p = indexer.platform
    await indexer.ensure_ready()
    start = read_cursor(indexer.index.path)
    assert start is not None
    for i in range(5):
        await put(p, f"p{i}", f"Nomenklatura bölməsi {i}")
    await indexer.catch_up()
    once = (indexer.engine.doc_count(), found(indexer.index, "nomenklatura"))
    write_cursor(indexer.index.path, start)  # as if the cursor had not been stored
    await indexer.catch_up()
    assert (indexer.engine.doc_count(), found(indexer.index, "nomenklatura")) == once
    assert len(once[1]) == 5


async def test_trimming_by_the_sources_tokens(indexer: Indexer) -> None:
    p = indexer.platform
    await indexer.ensure_ready()
    await put(p, "a", "Daxili audit hesabatı", unit="DEPT-IT")
    await put(p, "b", "Daxili audit planı", unit="DEPT-HR")
    await indexer.catch_up()
    assert found(indexer.index, "audit", units=["DEPT-IT"]) == ["a"]
    assert found(indexer.index, "audit", units=["DEPT-HR", "DEPT-IT"]) == ["a", "b"]
    assert found(indexer.index, "audit", units=[]) == []


@pytest.mark.parametrize("damage", ["truncated segment", "garbled contents", "no cursor"])
async def test_a_damaged_index_is_detected_and_rebuilt(indexer: Indexer, damage: str) -> None:
    p = indexer.platform
    await put(p, "p1", "Sənədlərin elektron dövriyyəsi")
    await indexer.ensure_ready()
    path = indexer.index.path
    if damage == "truncated segment":
        segment = next(f for f in path.iterdir() if f.suffix == ".seg")
        segment.write_bytes(segment.read_bytes()[:40])
    elif damage == "garbled contents":
        toc = next(f for f in path.iterdir() if f.suffix == ".toc")
        toc.write_bytes(b"\x00" * 64)
    else:
        path.with_name(f"{path.name}.cursor.json").unlink()

    reason = await indexer.ensure_ready()
    assert reason is not None and (damage != "no cursor" or reason == "no stored cursor")
    assert found(indexer.index, "dovriyyesi") == ["p1"]


async def test_an_interrupted_rebuild_and_an_index_ahead_of_the_log_are_rebuilt(
    indexer: Indexer,
) -> None:
    p = indexer.platform
    await put(p, "p1", "Kadr hazırlığı")
    await indexer.ensure_ready()
    write_status(indexer.index.path, IndexStatus.REBUILDING, reason="killed")
    assert await indexer.ensure_ready() == "an earlier rebuild did not finish"

    head = await changelog.head_seq(p.db)
    write_cursor(indexer.index.path, head + 100)  # e.g. Neo4j restored from an older backup
    reason = await indexer.ensure_ready()
    assert reason is not None and "ahead of the change log" in reason
    assert read_cursor(indexer.index.path) == head


async def test_a_second_indexer_on_the_directory_is_refused(indexer: Indexer) -> None:
    second = Indexer(indexer.platform, SearchIndex(indexer.index.path), sources=[ProbeSource()])
    with pytest.raises(IndexerBusy, match="has an indexer already"):
        second.acquire()
    indexer.release()
    second.acquire()  # free once the first one let go
    second.release()
    indexer.acquire()


async def test_a_requested_rebuild_is_run_by_the_following_indexer(indexer: Indexer) -> None:
    """``asan search rebuild`` beside a running indexer leaves a request file."""
    p = indexer.platform
    await indexer.ensure_ready()
    await put(p, "p1", "Qəbul cədvəli")
    request_path(indexer.index.path).write_text("now")
    await indexer._step()
    assert not request_path(indexer.index.path).exists()
    assert read_status(indexer.index.path).reason == "requested"
    assert found(indexer.index, "qebul") == ["p1"]


async def test_a_worn_index_is_compacted_at_most_once_a_day(indexer: Indexer) -> None:
    p = indexer.platform
    await indexer.ensure_ready()
    for i in range(10):
        await put(p, f"p{i}", f"Hesabat {i}")
    await indexer.catch_up()
    assert not await indexer.compact_if_worn()  # nothing replaced yet
    for i in range(3):
        await put(p, f"p{i}", f"Yenilənmiş hesabat {i}")  # replaced: 3 deleted of 10
    await indexer.catch_up()
    assert indexer.engine.deleted_count() == 3
    assert await indexer.compact_if_worn()
    assert indexer.engine.deleted_count() == 0
    assert found(indexer.index, "yenilenmis") == ["p0", "p1", "p2"]
    await put(p, "p5", "Yenə dəyişdi")
    await indexer.catch_up()
    assert not await indexer.compact_if_worn()  # worn again, but compacted today already
    assert indexer.engine.deleted_count() == 1
