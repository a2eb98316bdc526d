"""Document files: unique ids and versions, and the indexes the reads and the job use."""

from __future__ import annotations

from asan.core.migrations import Migration

MIGRATIONS = [
    Migration(
        id="edms_files:0001",
        description="document files: unique id, one node per (document, role, version)",
        schema=(
            "CREATE CONSTRAINT document_file_id IF NOT EXISTS "
            "FOR (f:DocumentFile) REQUIRE f.id IS UNIQUE",
            "CREATE CONSTRAINT document_file_version IF NOT EXISTS "
            "FOR (f:DocumentFile) REQUIRE (f.documentId, f.role, f.version) IS UNIQUE",
            "CREATE INDEX document_file_document IF NOT EXISTS "
            "FOR (f:DocumentFile) ON (f.documentId)",
            "CREATE INDEX document_file_text_status IF NOT EXISTS "
            "FOR (f:DocumentFile) ON (f.textStatus)",
        ),
    ),
    Migration(
        id="edms_files:0002",
        description="document files: an index for the stamp pass (originals waiting for a number)",
        schema=(
            "CREATE INDEX document_file_stamp_status IF NOT EXISTS "
            "FOR (f:DocumentFile) ON (f.stampStatus)",
        ),
    ),
]
