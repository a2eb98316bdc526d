"""Migrations apply once, are recorded in the graph, and are safe to run again."""

import pytest

from asan.core.migrations import Migration, applied, migrate
from asan.core.platform import Platform
from asan.migrations import all_migrations


async def test_all_migrations_are_recorded_and_idempotent(clean_platform: Platform) -> None:
    expected = {m.id for m in all_migrations()}
    assert expected <= await applied(clean_platform.db)
    assert await migrate(clean_platform.db, all_migrations()) == []


async def test_a_failed_data_step_is_not_recorded_and_retries(clean_platform: Platform) -> None:
    calls: list[int] = []

    async def failing(tx: object) -> None:
        calls.append(1)
        raise RuntimeError("boom")

    bad = Migration(id="test:0001", description="fails", data=failing)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError):
        await migrate(clean_platform.db, [bad])
    assert "test:0001" not in await applied(clean_platform.db)

    async def working(tx) -> None:  # type: ignore[no-untyped-def]
        await tx.run("CREATE (:Probe {v: 1})")

    good = Migration(id="test:0001", description="works", data=working)
    assert await migrate(clean_platform.db, [good]) == ["test:0001"]
    assert await migrate(clean_platform.db, [good]) == []
    rows = await clean_platform.db.read("MATCH (p:Probe) RETURN count(p) AS n")
    assert rows[0]["n"] == 1


async def test_duplicate_ids_are_refused(clean_platform: Platform) -> None:
    m = Migration(id="dup:0001", description="x")
    with pytest.raises(ValueError, match="dup:0001"):
        await migrate(clean_platform.db, [m, m])
