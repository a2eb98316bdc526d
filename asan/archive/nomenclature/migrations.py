"""The archive's constraints: one nomenclature per year, one case per index and year."""

from __future__ import annotations

from asan.core.migrations import Migration

MIGRATIONS = [
    Migration(
        id="archive:0001",
        description="nomenclature of cases: unique year, unique case ids and year+index",
        schema=(
            "CREATE CONSTRAINT nomenclature_year IF NOT EXISTS "
            "FOR (n:Nomenclature) REQUIRE n.year IS UNIQUE",
            "CREATE CONSTRAINT case_id IF NOT EXISTS FOR (c:Case) REQUIRE c.id IS UNIQUE",
            "CREATE CONSTRAINT case_year_index IF NOT EXISTS "
            "FOR (c:Case) REQUIRE c.yearIndex IS UNIQUE",
            "CREATE INDEX case_index IF NOT EXISTS FOR (c:Case) ON (c.index)",
        ),
    ),
]
