"""The fast per-test reset (data only, schema kept) equals a graph migrated from nothing.

If a migration's data step came to depend on something only a full migrate does, tests would
run on a graph no deployment ever has; this catches that.
"""

from __future__ import annotations

from typing import Any

from asan.core.migrations import applied, migrate
from asan.core.platform import Platform
from asan.migrations import all_migrations
from tests.conftest import reset_graph, wipe_graph


async def _snapshot(p: Platform) -> dict[str, Any]:
    nodes = await p.db.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels = await p.db.read(
        "MATCH (a)-[r]->(b) RETURN labels(a) AS a, type(r) AS type, labels(b) AS b"
    )
    schema = await p.db.read("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names")
    indexes = await p.db.read("SHOW INDEXES YIELD name RETURN collect(name) AS names")
    return {
        "nodes": sorted(
            repr((sorted(r["labels"]), sorted(_stable(r["props"]).items()))) for r in nodes
        ),
        "rels": sorted(repr(sorted(r.items())) for r in rels),
        "constraints": sorted(schema[0]["names"]),
        "indexes": sorted(indexes[0]["names"]),
    }


def _stable(props: dict[str, Any]) -> dict[str, Any]:
    """Times of application differ between the two graphs by construction."""
    return {k: v for k, v in props.items() if k not in ("appliedAt", "at", "createdAt")}


async def test_reset_graph_equals_a_graph_migrated_from_nothing(
    migrated_platform: Platform,
) -> None:
    p = migrated_platform
    await wipe_graph(p)
    await migrate(p.db, all_migrations())
    fresh = await _snapshot(p)
    assert fresh["nodes"], "the migrations' data steps create nodes (channels, heads)"

    # A test's leftovers, including a changed head node and a relationship.
    await p.db.write(
        "MATCH (h:AuditHead) SET h.seq = 41 "
        "CREATE (:Probe {v: 1})-[:LEFT_OVER]->(:Service {code: 'LEFT-OVER'})"
    )
    assert await _snapshot(p) != fresh

    await reset_graph(p)
    assert await _snapshot(p) == fresh
    assert {m.id for m in all_migrations()} == await applied(p.db)
    assert await migrate(p.db, all_migrations()) == []  # nothing left for a real migrate to do


async def test_a_restored_registry_equals_the_one_built_through_the_use_cases(
    clean_platform: Platform,
) -> None:
    from asan.auth.auditlog import verify_chain
    from tests.graph_snapshot import cached_build, fingerprint
    from tests.registry.catalog_support import _build_registry

    p = clean_platform
    calls: list[int] = []

    async def counted(q: Platform) -> None:
        calls.append(1)
        await _build_registry(q)

    build = cached_build(counted)
    pristine = await fingerprint(p)
    await build(p)  # through the audited use cases
    built = await _snapshot(p)
    assert calls == [1]
    assert (await verify_chain(p.db)).checked > 10

    await reset_graph(p)
    assert await fingerprint(p) == pristine
    await build(p)  # restored in one transaction, not rebuilt
    assert calls == [1]
    assert await _snapshot(p) == built
    report = await verify_chain(p.db)
    assert report.ok, report.line()
    assert not await p.db.read("MATCH (n) WHERE n.`__snapshotKey` IS NOT NULL RETURN n")

    # A graph a test already wrote to is not replaced: the real build runs on it.
    await reset_graph(p)
    await p.db.write("CREATE (:Probe {v: 1})")
    await build(p)
    assert calls == [1, 1]
    assert await p.db.read("MATCH (x:Probe) RETURN x.v AS v") == [{"v": 1}]
