"""Reading transfer inventories: one with its lines and ingest progress, the paged list.

Reading follows the archive's read rule (``archive.read``: any signed-in user or service);
the downloads (PDF, CSV) use the same reads, so they never disagree with the API.
"""

from __future__ import annotations

from typing import Any

from asan.archive.nomenclature.policy import READ
from asan.archive.transfer import repository as repo
from asan.archive.transfer.models import Inventory, ListedCase
from asan.auth.policy import Resource, authorize
from asan.auth.principal import Principal
from asan.core.platform import Platform

KIND = "TransferInventory"


async def read_inventory(
    platform: Platform, principal: Principal, inventory_id: str
) -> Inventory | None:
    authorize(principal, READ, Resource(KIND, id=inventory_id))
    row = await repo.by_id(platform.db, inventory_id)
    return Inventory.of(row) if row is not None else None


async def read_lines(
    platform: Platform, principal: Principal, inventory_id: str
) -> list[ListedCase]:
    authorize(principal, READ, Resource(KIND, id=inventory_id))
    return [ListedCase.of(r) for r in await repo.listed_cases(platform.db, inventory_id)]


async def find_inventory(platform: Platform, principal: Principal, key: str) -> Inventory | None:
    """By id or by number (``TI-2026-0001``): what the CLI is given."""
    authorize(principal, READ, Resource(KIND, id=key))
    row = await repo.by_number_or_id(platform.db, key)
    return await read_inventory(platform, principal, row["id"]) if row is not None else None


async def list_inventories(
    platform: Platform,
    principal: Principal,
    filters: dict[str, Any],
    *,
    after: list[Any] | None,
    limit: int,
) -> tuple[list[Inventory], int]:
    """Newest year first, then by number; ``filters``: unit, year, status (None: any)."""
    authorize(principal, READ, Resource(KIND))
    rows, total = await repo.page(platform.db, filters, after, limit)
    return [Inventory.of(r) for r in rows], total


def cursor_of(inventory: Inventory) -> list[Any]:
    return [inventory.year, inventory.number]


async def signer_names(platform: Platform, inventory: Inventory) -> dict[str, str]:
    """Who submitted and who accepted, by name (the PDF's signature places)."""
    ids = [i for i in (inventory.submitted_by, inventory.accepted_by) if i]
    return await repo.display_names(platform.db, ids) if ids else {}
