"""Neo4j migrations of the org structure (ids "<domain>:<nnnn>", never renumbered once landed)."""

from asan.core.migrations import Migration

MIGRATIONS: list[Migration] = []
