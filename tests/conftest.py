"""Fixtures on the real services started by `make test` (profile "test", own ports and data).

Each test gets an empty graph (with migrations applied) and the run gets its own buckets,
removed at the end. Nothing here mocks Neo4j or MinIO.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest

os.environ.setdefault("ASAN_PROFILE", "test")
os.environ["ASAN_BUCKET_PREFIX"] = f"asan-test-{uuid.uuid4().hex[:8]}"

from asan.core.migrations import migrate
from asan.core.platform import Platform
from asan.core.settings import Profile, Settings
from asan.migrations import all_migrations


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
    await p.db.run_auto_commit(
        "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"
    )


@pytest.fixture
async def clean_platform(platform: Platform) -> AsyncIterator[Platform]:
    """An empty, migrated graph for one test."""
    await wipe_graph(platform)
    await migrate(platform.db, all_migrations())
    platform.db.round_trips = 0
    yield platform
