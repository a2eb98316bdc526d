"""Disposition: unique act ids and numbers, one counter per year, decisions by id."""

from __future__ import annotations

from asan.core.migrations import Migration

MIGRATIONS = [
    Migration(
        id="archive:0040",
        description="destruction acts, their yearly counters and disposal decisions",
        schema=(
            "CREATE CONSTRAINT destruction_act_id IF NOT EXISTS "
            "FOR (a:DestructionAct) REQUIRE a.id IS UNIQUE",
            "CREATE CONSTRAINT destruction_act_number IF NOT EXISTS "
            "FOR (a:DestructionAct) REQUIRE a.number IS UNIQUE",
            "CREATE CONSTRAINT destruction_act_counter IF NOT EXISTS "
            "FOR (k:DestructionActCounter) REQUIRE k.year IS UNIQUE",
            "CREATE CONSTRAINT disposal_decision_id IF NOT EXISTS "
            "FOR (d:DisposalDecision) REQUIRE d.id IS UNIQUE",
            "CREATE INDEX case_disposal_date IF NOT EXISTS FOR (c:Case) ON (c.disposalDate)",
        ),
    ),
]
