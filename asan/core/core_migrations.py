"""Migrations owned by the shared core."""

from asan.core import changelog
from asan.core.migrations import Migration

MIGRATIONS = [
    Migration(
        id="core:0001",
        description="stored objects are unique per bucket and key",
        schema=(
            "CREATE CONSTRAINT stored_object_key IF NOT EXISTS "
            "FOR (o:StoredObject) REQUIRE (o.bucket, o.key) IS UNIQUE",
        ),
    ),
    changelog.MIGRATION,
]
