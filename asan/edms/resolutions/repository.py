"""Every Cypher statement that writes or locks resolutions, tasks and extension requests.

Every step on a resolution's parts first locks the resolution node (``lock_resolution``), so
two executors reporting at once are serialised: the second sees the first's report and the
one that reports last completes the document, exactly once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from asan.core.db import Record, Tx
from asan.edms.documents.flows import allowed_steps


async def people(tx: Tx, refs: Sequence[Mapping[str, str]], today: str) -> list[Record]:
    """Active users named by id or username (``{ref, fold}``), with the units of the
    positions they hold today; a ref nobody answers to comes back with ``id`` null."""
    return await tx.run(
        """
        UNWIND $refs AS ref
        OPTIONAL MATCH (a:User {id: ref.ref})
        OPTIONAL MATCH (b:User {usernameFold: ref.fold})
        WITH ref, coalesce(a, b) AS u
        WITH ref, CASE WHEN u IS NOT NULL AND coalesce(u.active, true) THEN u END AS u
        OPTIONAL MATCH (u)-[h:HOLDS]->(:Position)-[:IN_UNIT]->(o:OrgUnit)
          WHERE date(h.validFrom) <= date($today)
            AND (h.validUntil IS NULL OR date(h.validUntil) >= date($today))
        RETURN ref.ref AS ref, u.id AS id, coalesce(u.displayName, u.username) AS name,
               coalesce(u.clearance, 'public') AS clearance,
               [code IN collect(DISTINCT o.code) WHERE code IS NOT NULL] AS units
        """,
        {"refs": list(refs), "today": today},
    )


async def units_within(tx: Tx, unit: str) -> set[str]:
    """``unit`` and every unit under it (its sectors)."""
    rows = await tx.run(
        "MATCH (x:OrgUnit)-[:PART_OF*0..]->(:OrgUnit {code: $unit}) RETURN x.code AS code",
        {"unit": unit},
    )
    return {row["code"] for row in rows} | {unit}


async def create_resolution(
    tx: Tx, resolution: Mapping[str, Any], tasks: Sequence[Mapping[str, Any]]
) -> None:
    await tx.run(
        """
        MATCH (d:Document {id: $resolution.documentId})
        CREATE (r:Resolution)-[:ON]->(d)
        SET r = $resolution
        WITH r
        UNWIND $tasks AS task
        CREATE (t:ExecutionTask)-[:UNDER]->(r)
        SET t = task
        """,
        {"resolution": dict(resolution), "tasks": [dict(t) for t in tasks]},
    )


async def lock_resolution(tx: Tx, resolution_id: str) -> Record | None:
    """Take the resolution's write lock, then read it (so the read sees every earlier step)."""
    rows = await tx.run(
        "MATCH (r:Resolution {id: $id}) SET r._lock = true REMOVE r._lock RETURN r {.*} AS r",
        {"id": resolution_id},
    )
    return rows[0]["r"] if rows else None


async def update_resolution(tx: Tx, resolution_id: str, props: Mapping[str, Any]) -> None:
    await tx.run(
        "MATCH (r:Resolution {id: $id}) SET r += $props", {"id": resolution_id, "props": props}
    )


async def task(tx: Tx, task_id: str) -> Record | None:
    rows = await tx.run("MATCH (t:ExecutionTask {id: $id}) RETURN t {.*} AS t", {"id": task_id})
    return rows[0]["t"] if rows else None


async def tasks_of(tx: Tx, resolution_id: str) -> list[Record]:
    rows = await tx.run(
        "MATCH (t:ExecutionTask {resolutionId: $id}) RETURN t {.*} AS t ORDER BY t.assignedAt",
        {"id": resolution_id},
    )
    return [row["t"] for row in rows]


async def create_task(tx: Tx, props: Mapping[str, Any]) -> None:
    await tx.run(
        """
        MATCH (r:Resolution {id: $task.resolutionId})
        CREATE (t:ExecutionTask)-[:UNDER]->(r)
        SET t = $task
        """,
        {"task": dict(props)},
    )


async def update_task(tx: Tx, task_id: str, props: Mapping[str, Any]) -> None:
    await tx.run(
        "MATCH (t:ExecutionTask {id: $id}) SET t += $props", {"id": task_id, "props": props}
    )


async def extension(tx: Tx, extension_id: str) -> Record | None:
    rows = await tx.run(
        "MATCH (x:DeadlineExtension {id: $id}) RETURN x {.*} AS x", {"id": extension_id}
    )
    return rows[0]["x"] if rows else None


async def pending_extension(tx: Tx, task_id: str) -> Record | None:
    rows = await tx.run(
        "MATCH (x:DeadlineExtension {taskId: $id, status: 'requested'}) RETURN x {.*} AS x",
        {"id": task_id},
    )
    return rows[0]["x"] if rows else None


async def create_extension(tx: Tx, props: Mapping[str, Any]) -> None:
    await tx.run(
        """
        MATCH (t:ExecutionTask {id: $ext.taskId})
        CREATE (x:DeadlineExtension)-[:FOR]->(t)
        SET x = $ext
        """,
        {"ext": dict(props)},
    )


async def update_extension(tx: Tx, extension_id: str, props: Mapping[str, Any]) -> None:
    await tx.run(
        "MATCH (x:DeadlineExtension {id: $id}) SET x += $props",
        {"id": extension_id, "props": props},
    )


async def resolution(tx: Tx, resolution_id: str) -> Record | None:
    rows = await tx.run("MATCH (r:Resolution {id: $id}) RETURN r {.*} AS r", {"id": resolution_id})
    return rows[0]["r"] if rows else None


async def move_pending_extension(tx: Tx, from_task: str, to_task: str) -> None:
    """A pending extension request follows the part when it is forwarded."""
    await tx.run(
        """
        MATCH (x:DeadlineExtension {taskId: $from, status: 'requested'})-[f:FOR]->()
        MATCH (t:ExecutionTask {id: $to})
        DELETE f
        CREATE (x)-[:FOR]->(t)
        SET x.taskId = $to
        """,
        {"from": from_task, "to": to_task},
    )


async def withdraw_pending_extension(tx: Tx, task_id: str, at: Any) -> str | None:
    """A reported part needs no more time: its pending request is withdrawn (its id)."""
    rows = await tx.run(
        """
        MATCH (x:DeadlineExtension {taskId: $id, status: 'requested'})
        SET x.status = 'withdrawn', x.decidedAt = $at
        RETURN x.id AS id
        """,
        {"id": task_id, "at": at},
    )
    return rows[0]["id"] if rows else None


async def document_allows(tx: Tx, document_id: str, step: str) -> bool:
    """Whether the document's state machine takes ``step`` now (read under the caller's
    resolution lock; ``advance`` locks the document itself)."""
    rows = await tx.run(
        "MATCH (d:Document {id: $id}) RETURN d.kind AS kind, d.status AS status",
        {"id": document_id},
    )
    return bool(rows) and step in allowed_steps(rows[0]["kind"], rows[0]["status"])
