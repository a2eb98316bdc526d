"""Dispatch register entries: unique ids, found by document and by addressee body."""

from __future__ import annotations

from asan.core.migrations import Migration

MIGRATIONS = [
    Migration(
        id="edms_dispatch:0001",
        description="dispatch register: unique entry ids, indexes by document and by body",
        schema=(
            "CREATE CONSTRAINT dispatch_entry_id IF NOT EXISTS "
            "FOR (d:DispatchEntry) REQUIRE d.id IS UNIQUE",
            "CREATE INDEX dispatch_entry_document IF NOT EXISTS "
            "FOR (d:DispatchEntry) ON (d.documentId)",
            "CREATE INDEX dispatch_entry_body IF NOT EXISTS FOR (d:DispatchEntry) ON (d.stateBody)",
        ),
    ),
]
