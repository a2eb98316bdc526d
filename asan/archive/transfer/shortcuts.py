"""The whole hand-over in one call: draw up, submit and accept an inventory of some cases.

For sample data and for tests of later archive stages (disposition, export) that need
transferred cases: a case reaches ``transferred`` only through an accepted inventory, and this
goes through the same three audited steps a unit and an archivist take (no back door).
"""

from __future__ import annotations

from collections.abc import Sequence

from asan.archive.transfer.ingest import InventoryIngest, ingest_inventory
from asan.archive.transfer.use_cases import accept_inventory, create_inventory, submit_inventory
from asan.auth.principal import Principal
from asan.core.platform import Platform


async def hand_over(
    platform: Platform,
    drafter: Principal,
    archivist: Principal,
    unit: str,
    year: int,
    case_ids: Sequence[str],
    *,
    ingest: bool = False,
) -> tuple[str, InventoryIngest | None]:
    """The accepted inventory's id (its cases are transferred) and, when ``ingest``, how the
    ingest of their files went (as the archivist)."""
    inventory_id = await create_inventory(platform, drafter, unit, year, case_ids)
    await submit_inventory(platform, drafter, inventory_id)
    await accept_inventory(platform, archivist, inventory_id)
    if not ingest:
        return inventory_id, None
    return inventory_id, await ingest_inventory(platform, archivist, inventory_id)
