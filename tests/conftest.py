"""Fixtures on the real services started by `make test` (profile "test", own ports and data).

Each test gets an empty graph (with migrations applied) and the run gets its own buckets,
removed at the end. Nothing here mocks Neo4j or MinIO.

Speed: the schema (constraints, indexes) is migrated once per session; between tests only the
data is wiped and the migrations' data steps (channels, the audit head, ...) are re-run, all
in one transaction. tests/platform/test_fixture_reset.py proves the result equals a graph
migrated from nothing.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

os.environ.setdefault("ASAN_PROFILE", "test")
os.environ["ASAN_BUCKET_PREFIX"] = f"asan-test-{uuid.uuid4().hex[:8]}"

from asan.core.migrations import migrate
from asan.core.platform import Platform
from asan.core.settings import Profile, Settings
from asan.migrations import all_migrations


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """argon2id with its smallest cost for the test run.

    Production hashing (argon2-cffi's defaults, tens of milliseconds and 64 MiB per hash by
    design) made the sign-in and throttling tests spend most of their time hashing. The
    algorithm, the stored format and every code path stay the same; only the cost differs.
    Subprocesses (the CLI tests) keep the production cost.
    """
    from argon2 import PasswordHasher

    from asan.auth import passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    patch = pytest.MonkeyPatch()
    patch.setattr(passwords, "_hasher", cheap)
    patch.setattr(passwords, "_DUMMY_HASH", cheap.hash("not a password"))
    yield
    patch.undo()


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    s = Settings()
    if s.profile is not Profile.TEST:
        pytest.exit("tests run only with ASAN_PROFILE=test (use `make test`)", returncode=2)
    # The search index is per run, like the buckets.
    s.data_dir = s.data_path
    return s


@pytest.fixture(scope="session")
async def platform(settings: Settings) -> AsyncIterator[Platform]:
    p = Platform.connect(settings)
    checks = await p.readiness()
    down = {k: v for k, v in checks.items() if v and k != "search"}
    if down:
        pytest.exit(f"services not ready (run `make test`): {down}", returncode=3)
    await p.ensure_buckets()
    yield p
    for bucket in p.buckets.values():
        await p.store.remove_bucket(bucket)
    await p.close()


async def wipe_graph(p: Platform) -> None:
    """Every node and relationship, in batches (the schema stays)."""
    await p.db.run_auto_commit(
        "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"
    )


async def reset_graph(p: Platform) -> None:
    """Back to a freshly migrated graph without touching the schema: one transaction deletes
    the data, re-runs every migration's data step and records each migration as applied."""
    migrations = all_migrations()
    async with p.db.transaction() as tx:
        await tx.run("MATCH (n) DETACH DELETE n")
        for migration in migrations:
            if migration.data is not None:
                await migration.data(tx)
        await tx.run(
            "UNWIND $migrations AS m CREATE (:SchemaMigration "
            "{id: m.id, description: m.description, appliedAt: datetime()})",
            {"migrations": [{"id": m.id, "description": m.description} for m in migrations]},
        )


@pytest.fixture(scope="session")
async def migrated_platform(platform: Platform) -> Platform:
    """The session's one full migration (schema and data) from an empty graph."""
    await wipe_graph(platform)
    await migrate(platform.db, all_migrations())
    return platform


@pytest.fixture
async def clean_platform(migrated_platform: Platform) -> AsyncIterator[Platform]:
    """An empty, migrated graph for one test."""
    await reset_graph(migrated_platform)
    migrated_platform.db.round_trips = 0
    yield migrated_platform
