"""Exports: unique ids, found by case."""

from __future__ import annotations

from asan.core.migrations import Migration

MIGRATIONS = [
    Migration(
        id="archive:0050",
        description="archive exports (BagIt packages): unique id, indexed by case",
        schema=(
            "CREATE CONSTRAINT archive_export_id IF NOT EXISTS "
            "FOR (e:ArchiveExport) REQUIRE e.id IS UNIQUE",
            "CREATE INDEX archive_export_case IF NOT EXISTS FOR (e:ArchiveExport) ON (e.caseId)",
        ),
    ),
]
