"""Fixture data written once through the audited use cases, then restored directly.

Many tests need the same small registry but test something else; building it through every
audited use case costs dozens of transactions per test. The first build in a session goes
through the use cases (so they keep being exercised); its resulting graph is kept, and later
builds replace an untouched, freshly reset graph with it in one transaction. Everything is
restored verbatim (audit events and the chain's head included), so the audit chain verifies.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from asan.core.platform import Platform

_NODES = "MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props"
_RELS = (
    "MATCH (a)-[r]->(b) "
    "RETURN elementId(a) AS a, elementId(b) AS b, type(r) AS type, properties(r) AS props"
)
# Dynamic labels and types (Neo4j 5.26); nodes are collected in creation order so a
# relationship finds its ends by position, and the key check proves the order held.
_RESTORE = """
MATCH (old) DETACH DELETE old
WITH count(*) AS _
UNWIND $nodes AS row
CREATE (n:$(row.labels))
SET n = row.props, n.`__snapshotKey` = row.key
WITH collect(n) AS made
UNWIND $rels AS r
WITH made, r, made[r.a] AS a, made[r.b] AS b
WHERE a.`__snapshotKey` = r.a AND b.`__snapshotKey` = r.b
CREATE (a)-[x:$(r.type)]->(b)
SET x = r.props
RETURN count(x) AS rels
"""
_RESTORE_NODES_ONLY = """
MATCH (old) DETACH DELETE old
WITH count(*) AS _
UNWIND $nodes AS row
CREATE (n:$(row.labels))
SET n = row.props
"""


@dataclass(frozen=True)
class GraphSnapshot:
    """The whole graph after a build, and the fingerprint of the graph it was built on."""

    base: str
    nodes: list[dict[str, Any]]
    rels: list[dict[str, Any]]


# A freshly reset graph holds a few dozen nodes (migration records, reference data, heads).
_PRISTINE_LIMIT = 500


async def fingerprint(p: Platform) -> str | None:
    """What the graph holds, ignoring when migrations were recorded; None if it is large
    (then it is certainly not a freshly reset graph and a restore is not considered)."""
    rows = await p.db.read(
        "MATCH (n) WITH count(n) AS total, collect(n)[..$limit] AS some "
        "OPTIONAL MATCH ()-[r]->() WITH total, some, count(r) AS rels "
        "RETURN total, rels, [n IN some | [labels(n), properties(n)]] AS nodes",
        {"limit": _PRISTINE_LIMIT},
    )
    row = rows[0]
    if row["total"] > _PRISTINE_LIMIT:
        return None
    nodes = sorted(
        repr((sorted(labels), sorted((k, repr(v)) for k, v in props.items() if k != "appliedAt")))
        for labels, props in row["nodes"]
    )
    return repr((row["rels"], nodes))


async def take(p: Platform, base: str) -> GraphSnapshot:
    nodes = await p.db.read(_NODES)
    keys = {row["id"]: i for i, row in enumerate(nodes)}
    rels = await p.db.read(_RELS)
    return GraphSnapshot(
        base,
        [{"key": keys[n["id"]], "labels": n["labels"], "props": n["props"]} for n in nodes],
        [
            {"a": keys[r["a"]], "b": keys[r["b"]], "type": r["type"], "props": r["props"]}
            for r in rels
        ],
    )


async def restore(p: Platform, snapshot: GraphSnapshot) -> None:
    async with p.db.transaction() as tx:
        if snapshot.rels:
            rows = await tx.run(_RESTORE, {"nodes": snapshot.nodes, "rels": snapshot.rels})
            if rows[0]["rels"] != len(snapshot.rels):
                raise AssertionError("graph snapshot restore lost relationships")
            await tx.run("MATCH (n) WHERE n.`__snapshotKey` IS NOT NULL REMOVE n.`__snapshotKey`")
        else:
            await tx.run(_RESTORE_NODES_ONLY, {"nodes": snapshot.nodes})


def cached_build(
    build: Callable[[Platform], Awaitable[None]],
) -> Callable[[Platform], Awaitable[None]]:
    """Wrap a fixture builder: the real build once per session, a restore afterwards.

    The restore is used only on a graph identical to the one the first build started from
    (a freshly reset graph); a test that wrote something first gets the real build.
    """
    cache: list[GraphSnapshot] = []

    async def cached(p: Platform) -> None:
        before = await fingerprint(p)
        if cache and before is not None and cache[0].base == before:
            await restore(p, cache[0])
            return
        await build(p)
        if not cache and before is not None:
            cache.append(await take(p, before))

    cached.__doc__ = build.__doc__
    cached.__name__ = build.__name__
    return cached
