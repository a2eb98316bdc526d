"""Neo4j migrations of identities, tokens and the audit trail."""

from asan.core.migrations import Migration

MIGRATIONS: list[Migration] = []
