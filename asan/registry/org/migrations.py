"""Neo4j migrations of the org structure (ids "<domain>:<nnnn>", never renumbered once landed)."""

from asan.core.migrations import Migration
from asan.registry.text_backfill import org_text_keys

MIGRATIONS: list[Migration] = [
    Migration(
        id="org:0001",
        description="org units, regulations, clauses, positions and delegations by their keys",
        schema=(
            "CREATE CONSTRAINT org_unit_code IF NOT EXISTS "
            "FOR (u:OrgUnit) REQUIRE u.code IS UNIQUE",
            "CREATE CONSTRAINT regulation_code IF NOT EXISTS "
            "FOR (r:Regulation) REQUIRE r.code IS UNIQUE",
            "CREATE CONSTRAINT clause_key IF NOT EXISTS FOR (c:Clause) REQUIRE c.key IS UNIQUE",
            "CREATE CONSTRAINT position_code IF NOT EXISTS "
            "FOR (p:Position) REQUIRE p.code IS UNIQUE",
            "CREATE CONSTRAINT delegation_id IF NOT EXISTS "
            "FOR (d:Delegation) REQUIRE d.id IS UNIQUE",
        ),
    ),
    Migration(
        id="org:0002",
        description="indexes for listing units by name and clauses by regulation and section",
        schema=(
            "CREATE INDEX org_unit_name_fold IF NOT EXISTS FOR (u:OrgUnit) ON (u.nameFold, u.code)",
            "CREATE INDEX org_unit_kind IF NOT EXISTS FOR (u:OrgUnit) ON (u.kind)",
            "CREATE INDEX clause_regulation IF NOT EXISTS "
            "FOR (c:Clause) ON (c.regulationCode, c.section)",
        ),
    ),
    Migration(
        id="org:0010",
        description="Azerbaijani order and lookup: nameSortKey, searchText and updatedAt on "
        "org units, searchText on clauses",
        schema=(
            "CREATE INDEX org_unit_name_sort IF NOT EXISTS "
            "FOR (u:OrgUnit) ON (u.nameSortKey, u.code)",
        ),
        data=org_text_keys,
    ),
]
