"""Reading disposition: the disposal calendar, destruction acts and the act's PDF.

The calendar lists cases that are closed, not destroyed and not permanent whose disposal
date falls in the asked window, with the commission's latest decision, the archived records
still kept and the act (not yet executed) that lists them; active holds are joined by the
GraphQL layer through the holds part (``active_holds``), one query per page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from asan.archive.disposition import repository as repo
from asan.archive.disposition.models import ActCase, CalendarEntry, DestructionAct
from asan.archive.disposition.policy import READ
from asan.archive.holds.models import Hold
from asan.archive.holds.reads import active_holds
from asan.auth.policy import Resource, authorize
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku


async def disposal_calendar(
    platform: Platform,
    principal: Principal,
    filters: Mapping[str, Any],
    *,
    after: list[Any] | None,
    limit: int,
) -> tuple[list[CalendarEntry], int]:
    """``filters``: ``from``, ``to`` (dates), ``unit``, ``due`` (bool; None: both)."""
    authorize(principal, READ, Resource("Case"))
    async with platform.db.read_transaction() as tx:
        rows, total = await repo.calendar_page(tx, filters, today_in_baku(), after, limit)
    return [CalendarEntry.of(r) for r in rows], total


def calendar_cursor(entry: CalendarEntry) -> list[Any]:
    return [entry.disposal_date.isoformat(), f"{entry.index}|{entry.case_id}"]


async def holds_of(platform: Platform, case_ids: list[str]) -> dict[str, list[Hold]]:
    """Active holds of cases the caller has already been allowed to read."""
    return await active_holds(platform.db, case_ids)


async def load_act(db: Tx | Any, act_id: str) -> DestructionAct | None:
    row = await repo.act_row(db, act_id)
    if row is None:
        return None
    cases = [ActCase.of(c) for c in await repo.act_cases(db, row["id"])]
    return DestructionAct.of(row, cases)


async def read_act(platform: Platform, principal: Principal, act_id: str) -> DestructionAct | None:
    """By id or number (``DA-2026-001``)."""
    authorize(principal, READ, Resource("DestructionAct", id=act_id))
    async with platform.db.read_transaction() as tx:
        return await load_act(tx, act_id)


async def list_acts(
    platform: Platform,
    principal: Principal,
    status: str | None,
    *,
    after: list[Any] | None,
    limit: int,
) -> tuple[list[DestructionAct], int]:
    authorize(principal, READ, Resource("DestructionAct"))
    async with platform.db.read_transaction() as tx:
        rows, total = await repo.acts_page(tx, status, after, limit)
        acts = [
            DestructionAct.of(r, [ActCase.of(c) for c in await repo.act_cases(tx, r["id"])])
            for r in rows
        ]
    return acts, total


def act_cursor(act: DestructionAct) -> list[Any]:
    return [act.number]


__all__ = ["disposal_calendar", "list_acts", "read_act"]
