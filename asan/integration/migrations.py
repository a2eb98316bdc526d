"""Webhook subscribers: one node each, found by id and scanned by the delivery worker."""

from __future__ import annotations

from asan.core.migrations import Migration

MIGRATIONS = [
    Migration(
        id="integration:0001",
        description="webhooks: unique ids, an index for the delivery worker's scan",
        schema=(
            "CREATE CONSTRAINT webhook_id IF NOT EXISTS FOR (w:Webhook) REQUIRE w.id IS UNIQUE",
            "CREATE INDEX webhook_body IF NOT EXISTS FOR (w:Webhook) ON (w.stateBody)",
        ),
    ),
]
