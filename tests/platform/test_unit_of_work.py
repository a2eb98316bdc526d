"""One transaction across MinIO and Neo4j: no dangling record, no unreachable orphan."""

from datetime import timedelta

import pytest

from asan.core.platform import Platform
from asan.core.uow import sweep_orphans


async def _count(p: Platform, key: str) -> int:
    rows = await p.db.read("MATCH (o:StoredObject {key: $key}) RETURN count(o) AS n", {"key": key})
    return int(rows[0]["n"])


async def test_commit_keeps_file_and_record(clean_platform: Platform) -> None:
    p = clean_platform
    bucket = p.buckets["documents"]
    async with p.unit_of_work() as uow:
        await uow.put_object(bucket, "uow/ok.txt", "sənəd".encode())
        await uow.tx.run("CREATE (:Doc {key: $key})", {"key": "uow/ok.txt"})
    assert await p.store.get(bucket, "uow/ok.txt") == "sənəd".encode()
    assert await _count(p, "uow/ok.txt") == 1


async def test_failure_after_upload_removes_file_and_record(clean_platform: Platform) -> None:
    p = clean_platform
    bucket = p.buckets["documents"]
    with pytest.raises(RuntimeError, match="validation failed"):
        async with p.unit_of_work() as uow:
            await uow.put_object(bucket, "uow/failed.txt", b"draft")
            await uow.tx.run("CREATE (:Doc {key: 'uow/failed.txt'})")
            raise RuntimeError("validation failed")
    assert not await p.store.exists(bucket, "uow/failed.txt")
    assert await _count(p, "uow/failed.txt") == 0
    rows = await p.db.read("MATCH (d:Doc) RETURN count(d) AS n")
    assert rows[0]["n"] == 0


async def test_failed_commit_removes_the_file(clean_platform: Platform) -> None:
    p = clean_platform
    bucket = p.buckets["documents"]
    async with p.unit_of_work() as first:
        await first.put_object(bucket, "uow/dup.txt", b"one")
    # The same key again violates the (bucket, key) constraint at commit time in Neo4j 5.
    with pytest.raises(Exception):  # noqa: B017 - any driver error; the point is the cleanup
        async with p.unit_of_work() as uow:
            await uow.put_object(bucket, "uow/other.txt", b"two")
            await uow.tx.run(
                "CREATE (:StoredObject {bucket: $b, key: 'uow/dup.txt'})", {"b": bucket}
            )
    assert not await p.store.exists(bucket, "uow/other.txt")
    assert await p.store.exists(bucket, "uow/dup.txt")


async def test_sweep_removes_only_unreferenced_files(clean_platform: Platform) -> None:
    p = clean_platform
    bucket = p.buckets["documents"]
    async with p.unit_of_work() as uow:
        await uow.put_object(bucket, "sweep/kept.txt", b"kept")
    # A crash between upload and commit leaves a file the graph never heard of:
    await p.store.put(bucket, "sweep/orphan.txt", b"orphan")
    assert await sweep_orphans(p.db, p.store, bucket, grace=timedelta(hours=1)) == []
    removed = await sweep_orphans(p.db, p.store, bucket, grace=timedelta(seconds=-60))
    assert "sweep/orphan.txt" in removed
    assert "sweep/kept.txt" not in removed
    assert await p.store.exists(bucket, "sweep/kept.txt")
    assert not await p.store.exists(bucket, "sweep/orphan.txt")


async def test_transient_errors_are_retried_from_a_clean_unit(clean_platform: Platform) -> None:
    from neo4j.exceptions import TransientError

    p = clean_platform
    bucket = p.buckets["documents"]
    attempts: list[str] = []

    async def work(uow):  # type: ignore[no-untyped-def]
        attempts.append(uow.id)
        await uow.put_object(bucket, f"retry/{len(attempts)}.txt", b"x")
        await uow.tx.run("CREATE (:Doc {attempt: $n})", {"n": len(attempts)})
        if len(attempts) == 1:
            raise TransientError("deadlock detected")
        return len(attempts)

    assert await p.in_transaction(work) == 2
    assert len(set(attempts)) == 2  # a fresh unit each time
    rows = await p.db.read("MATCH (d:Doc) RETURN collect(d.attempt) AS attempts")
    assert rows[0]["attempts"] == [2]
    assert not await p.store.exists(bucket, "retry/1.txt")
    assert await p.store.exists(bucket, "retry/2.txt")


async def test_after_commit_callbacks_run_only_when_the_graph_committed(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    seen: list[int] = []

    async def committed_when_called() -> int:
        rows = await p.db.read("MATCH (d:Doc {key: 'uow/hook'}) RETURN count(d) AS n")
        return int(rows[0]["n"])

    with pytest.raises(RuntimeError):
        async with p.unit_of_work() as uow:
            await uow.tx.run("CREATE (:Doc {key: 'uow/hook'})")
            uow.after_commit.append(lambda: seen.append(-1))
            raise RuntimeError("rolled back")
    assert seen == []  # a rolled-back unit calls nothing
    async with p.unit_of_work() as uow:
        await uow.tx.run("CREATE (:Doc {key: 'uow/hook'})")
        uow.after_commit.append(lambda: seen.append(1))
        assert seen == []  # not before the commit
    assert seen == [1]
    assert await committed_when_called() == 1  # the node it announces is there to read
