"""Versioned, idempotent Neo4j schema migrations, recorded in the graph.

Each domain declares its own ordered list (``asan/<domain>/migrations.py``); ``asan.migrations``
assembles them. A migration's ``schema`` statements run one per auto-commit transaction
(Neo4j forbids schema and data changes in one transaction) and must use ``IF NOT EXISTS``;
its optional ``data`` step runs in one write transaction. A migration is recorded as a
``:SchemaMigration`` node once it has fully applied, so a failed run is simply retried.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import LiteralString

from asan.core.db import Database, Tx

DataStep = Callable[[Tx], Awaitable[None]]


@dataclass(frozen=True)
class Migration:
    id: str  # "<domain>:<nnnn>", unique and ordered within its domain
    description: str
    schema: Sequence[LiteralString] = field(default_factory=tuple)
    data: DataStep | None = None


BOOTSTRAP: tuple[LiteralString, ...] = (
    "CREATE CONSTRAINT schema_migration_id IF NOT EXISTS "
    "FOR (m:SchemaMigration) REQUIRE m.id IS UNIQUE",
)


async def applied(db: Database) -> set[str]:
    rows = await db.read("MATCH (m:SchemaMigration) RETURN m.id AS id")
    return {row["id"] for row in rows}


async def migrate(db: Database, migrations: Sequence[Migration]) -> list[str]:
    """Apply what is missing, in order; returns the ids applied now."""
    ids = [m.id for m in migrations]
    if len(ids) != len(set(ids)):
        raise ValueError(f"duplicate migration ids: {sorted(i for i in ids if ids.count(i) > 1)}")
    for statement in BOOTSTRAP:
        await db.write(statement)
    done = await applied(db)
    now: list[str] = []
    for migration in migrations:
        if migration.id in done:
            continue
        for statement in migration.schema:
            await db.write(statement)
        async with db.transaction() as tx:
            if migration.data is not None:
                await migration.data(tx)
            await tx.run(
                "MERGE (m:SchemaMigration {id: $id}) "
                "ON CREATE SET m.description = $description, m.appliedAt = datetime()",
                {"id": migration.id, "description": migration.description},
            )
        now.append(migration.id)
    return now
