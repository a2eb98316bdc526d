"""Archived records: unique ids, one record per file version, found by case and by object."""

from __future__ import annotations

from asan.core.migrations import Migration

MIGRATIONS = [
    Migration(
        id="archive:0002",
        description="archived records: unique id and file id, indexed by case",
        schema=(
            "CREATE CONSTRAINT archived_record_id IF NOT EXISTS "
            "FOR (r:ArchivedRecord) REQUIRE r.id IS UNIQUE",
            "CREATE CONSTRAINT archived_record_file IF NOT EXISTS "
            "FOR (r:ArchivedRecord) REQUIRE r.fileId IS UNIQUE",
            "CREATE INDEX archived_record_case IF NOT EXISTS FOR (r:ArchivedRecord) ON (r.caseId)",
        ),
    ),
]
