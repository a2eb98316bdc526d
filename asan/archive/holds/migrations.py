"""Holds: unique ids, found by case and by whether they are active."""

from __future__ import annotations

from asan.core.migrations import Migration

MIGRATIONS = [
    Migration(
        id="archive:0010",
        description="archive holds: unique id, indexed by case and active",
        schema=(
            "CREATE CONSTRAINT archive_hold_id IF NOT EXISTS "
            "FOR (h:ArchiveHold) REQUIRE h.id IS UNIQUE",
            "CREATE INDEX archive_hold_case IF NOT EXISTS "
            "FOR (h:ArchiveHold) ON (h.caseId, h.active)",
        ),
    ),
]
