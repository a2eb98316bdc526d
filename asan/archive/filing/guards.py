"""A case is not closed while documents filed in it are still being executed: closing fixes
the disposal date and sends the case towards the archive, and a document still on control
would be archived before its matter ended."""

from __future__ import annotations

from typing import Final

from asan.archive.filing import repository as repo
from asan.core.db import Tx
from asan.core.errors import InvalidTransition

IN_EXECUTION: Final = ("in_execution", "executed")  # under a resolution, or not yet off control
NAMED: Final = 10  # documents named in the message at most


async def refuse_closing_in_execution(tx: Tx, case_id: str, index: str) -> None:
    """INVALID_TRANSITION naming the documents (registration numbers) still in execution."""
    busy = await repo.documents_in_statuses(tx, case_id, IN_EXECUTION, NAMED + 1)
    if not busy:
        return
    names = ", ".join(str(d["regNumber"] or d["id"]) for d in busy[:NAMED])
    if len(busy) > NAMED:
        names += ", ..."
    raise InvalidTransition(
        f"{index} işinin sənədləri hələ icradadır, iş bağlanmır: {names} / case {index} has "
        f"documents still in execution and cannot be closed: {names}",
        field="caseId",
    )
