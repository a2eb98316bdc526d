"""Transfer inventories: unique ids and numbers, one counter per year, found by unit and year."""

from __future__ import annotations

from asan.core.migrations import Migration

MIGRATIONS = [
    Migration(
        id="archive:0020",
        description="transfer inventories: unique id and number, yearly counter, unit/year index",
        schema=(
            "CREATE CONSTRAINT transfer_inventory_id IF NOT EXISTS "
            "FOR (t:TransferInventory) REQUIRE t.id IS UNIQUE",
            "CREATE CONSTRAINT transfer_inventory_number IF NOT EXISTS "
            "FOR (t:TransferInventory) REQUIRE t.number IS UNIQUE",
            "CREATE CONSTRAINT transfer_inventory_counter IF NOT EXISTS "
            "FOR (k:TransferInventoryCounter) REQUIRE k.year IS UNIQUE",
            "CREATE INDEX transfer_inventory_unit_year IF NOT EXISTS "
            "FOR (t:TransferInventory) ON (t.unit, t.year)",
        ),
    ),
]
