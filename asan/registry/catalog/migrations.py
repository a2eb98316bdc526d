"""Neo4j migrations of the services catalog (ids "catalog:<nnnn>", never renumbered)."""

from asan.core.migrations import Migration

MIGRATIONS: list[Migration] = []
