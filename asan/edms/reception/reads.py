"""Reading the reception schedule (any signed-in member of staff) and its visitors (only
registrars, auditors and the official who receives them: visitors' data are personal)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from asan.auth.policy import Resource, can
from asan.auth.principal import Principal
from asan.core.errors import BadInput, Forbidden
from asan.core.platform import Platform
from asan.core.workdays import BAKU
from asan.edms.reception import repository as repo
from asan.edms.reception.models import Slot, Visit, Visitor

MAX_SLOTS = 60
MAX_DAYS = 92


def _native(value: Any) -> Any:
    convert = getattr(value, "to_native", None)
    return convert() if convert is not None else value


def _slot(row: dict[str, Any]) -> Slot:
    return Slot(
        id=str(row["id"]),
        official=str(row["official"]),
        official_name=row.get("officialName"),
        position=row.get("position"),
        unit=str(row["unit"]),
        starts_at=_native(row["startsAt"]),
        ends_at=_native(row["endsAt"]),
        place=str(row["place"]),
        capacity=int(row["capacity"]),
        status=str(row["status"]),
        booked=int(row.get("booked") or 0),
    )


def _visit(row: dict[str, Any]) -> Visit:
    return Visit(
        id=str(row["id"]),
        slot_id=str(row["slotId"]),
        visitor=Visitor(str(row["visitorName"]), row.get("contact"), row.get("address")),
        matter=str(row["matter"]),
        matter_unit=str(row["matterUnit"]),
        status=str(row["status"]),
        registered_at=_native(row["registeredAt"]),
        received_at=_native(row.get("receivedAt")),
        notes=row.get("notes"),
        appeal_id=row.get("appealId"),
    )


async def schedule(
    platform: Platform, principal: Principal, start: date, end: date, unit: str | None
) -> list[Slot]:
    """Sittings from ``start`` to ``end`` (Baku days, inclusive), earliest first."""
    if not principal.is_authenticated or principal.kind == "service":
        raise Forbidden("daxil olun / sign in required: edms.reception.schedule")
    if end < start or (end - start).days > MAX_DAYS:
        raise BadInput(
            f"dövr ən çox {MAX_DAYS} gün / the period must run forwards, at most {MAX_DAYS} days",
            field="to",
        )
    lower = datetime.combine(start, time(0), BAKU).astimezone(UTC)
    upper = datetime.combine(end + timedelta(days=1), time(0), BAKU).astimezone(UTC)
    async with platform.db.read_transaction() as tx:
        rows = await repo.slots_between(tx, lower, upper, unit, MAX_SLOTS)
    return [_slot(r) for r in rows]


def may_see_visitors(principal: Principal, slot: Slot) -> bool:
    return can(
        principal,
        "edms.reception.read_visitors",
        Resource("ReceptionSlot", slot.id, org_unit=slot.unit, involved=frozenset({slot.official})),
    )


async def visits_of(platform: Platform, slot_ids: list[str]) -> dict[str, list[Visit]]:
    """Visits per sitting (the caller has checked ``may_see_visitors``)."""
    async with platform.db.read_transaction() as tx:
        rows = await repo.visits_of(tx, slot_ids)
    found: dict[str, list[Visit]] = {sid: [] for sid in slot_ids}
    for row in rows:
        visit = _visit(row["v"])
        found.setdefault(visit.slot_id, []).append(visit)
    return found


async def slot_of_visit(platform: Platform, visit_id: str) -> Slot | None:
    async with platform.db.read_transaction() as tx:
        row = await repo.slot_row_of_visit(tx, visit_id)
    return _slot(row) if row is not None else None
