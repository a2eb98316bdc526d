"""Reading archived records for GraphQL, behind the archive's read policy.

Counts for a page of cases come in one query (a DataLoader batches them); a case's records page
by id. Destroyed records are listed too: what was destroyed, by which act, stays readable.
"""

from __future__ import annotations

from asan.archive.nomenclature.policy import READ
from asan.archive.records import repository as repo
from asan.archive.records.models import ArchivedRecord
from asan.auth.policy import Resource, authorize
from asan.auth.principal import Principal
from asan.core.platform import Platform


async def record_counts(
    platform: Platform, principal: Principal, case_ids: list[str]
) -> dict[str, int]:
    authorize(principal, READ, Resource("Case"))
    return await repo.count_of_cases(platform.db, case_ids)


async def records_of_case(
    platform: Platform, principal: Principal, case_id: str, *, after: str | None, limit: int
) -> tuple[list[ArchivedRecord], int]:
    """One page of the case's records by id (keyset after ``after``), and how many it has."""
    authorize(principal, READ, Resource("Case", id=case_id))
    rows = await repo.of_case(platform.db, case_id, after=after, limit=limit)
    total = await repo.count_of_case(platform.db, case_id)
    return [ArchivedRecord.of(r) for r in rows], total


async def record_by_id(
    platform: Platform, principal: Principal, record_id: str
) -> ArchivedRecord | None:
    authorize(principal, READ, Resource("ArchivedRecord", id=record_id))
    row = await repo.by_id(platform.db, record_id)
    return ArchivedRecord.of(row) if row is not None else None
