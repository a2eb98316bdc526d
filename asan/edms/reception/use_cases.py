"""Reception steps, each one audited unit through ``run_mutation``: schedule a sitting of an
official of the leadership, register a visitor with the official competent for the matter,
record the visit (received, or did not come), and turn a received matter into an appeal.

Competence: an official sits for the matters of a unit and of the units under it, so a
visitor whose matter is in a sector may be received by its head, the department's head or
the chairman; without a named sitting the nearest competent one with a free place is taken.
Bookings of one sitting are serialised by its lock, so its capacity is never exceeded.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.core.text import fold
from asan.core.workdays import today_in_baku
from asan.edms.appeals.models import Applicant, NewAppeal
from asan.edms.appeals.use_cases import clean_appeal, register_appeal_in_unit
from asan.edms.appeals.validation import MAX_TEXT, text
from asan.edms.reception import repository as repo
from asan.edms.reception.models import (
    LEADERSHIP_KINDS,
    MAX_CAPACITY,
    NewSlot,
    NewVisit,
    Visitor,
)

MAX_SITTING_HOURS = 12


def _missing(field: str, what: str) -> ValidationFailed:
    return ValidationFailed([FieldError(field, what, "NOT_FOUND")])


async def schedule_reception(
    platform: Platform,
    principal: Principal,
    slot: NewSlot,
    *,
    client_mutation_id: str | None = None,
) -> str:
    """Add a sitting to the leadership's reception schedule; returns its id."""
    errors: list[FieldError] = []
    place = text(errors, "place", slot.place, 300, required=True)
    official = text(errors, "official", slot.official, 100, required=True)
    unit = text(errors, "unit", slot.unit, 100)
    if slot.starts_at.tzinfo is None or slot.ends_at.tzinfo is None:
        errors.append(FieldError("startsAt", "saat qurşağı lazımdır / give a time zone offset"))
    elif not slot.starts_at < slot.ends_at or (
        (slot.ends_at - slot.starts_at).total_seconds() > MAX_SITTING_HOURS * 3600
    ):
        errors.append(
            FieldError(
                "endsAt",
                f"başlanğıcdan sonra, ən çox {MAX_SITTING_HOURS} saat / after startsAt, "
                f"at most {MAX_SITTING_HOURS} hours",
            )
        )
    if not 1 <= slot.capacity <= MAX_CAPACITY:
        errors.append(FieldError("capacity", f"1-{MAX_CAPACITY}"))
    if errors:
        raise ValidationFailed(errors)

    async def work(m: Mutation) -> str:
        held = await repo.leadership_position(
            m.tx, official or "", today_in_baku(), list(LEADERSHIP_KINDS)
        )
        if held is None:
            raise _missing(
                "official",
                f"{official} rəhbər vəzifə tutmur / {official} holds no leadership position",
            )
        sits_for = unit or str(held["unit"])
        if unit is not None and not await repo.unit_exists(m.tx, unit):
            raise _missing("unit", f"struktur bölmə yoxdur / no org unit {unit}")
        if unit is not None and not await repo.competent(m.tx, str(held["unit"]), unit):
            raise ValidationFailed(
                [
                    FieldError(
                        "unit",
                        f"{official} {unit} bölməsinin məsələləri üzrə səlahiyyətli deyil / "
                        f"{official} is not competent for the matters of {unit}",
                    )
                ]
            )
        slot_id = str(uuid.uuid4())
        await repo.create_slot(
            m.tx,
            {
                "id": slot_id,
                "official": held["user"],
                "officialName": held["name"],
                "position": held["position"],
                "unit": sits_for,
                "startsAt": slot.starts_at.astimezone(UTC),
                "endsAt": slot.ends_at.astimezone(UTC),
                "place": place,
                "capacity": slot.capacity,
                "status": "scheduled",
                "createdAt": datetime.now(UTC),
                "createdBy": m.principal.subject,
                "sample": slot.sample,
            },
        )
        m.changed("ReceptionSlot", slot_id, "created", ("official", "unit", "startsAt", "place"))
        return slot_id

    # the unit is checked against the policy as given (a head schedules for the units they
    # lead; a registrar for any)
    return await run_mutation(
        platform,
        principal,
        "edms.reception.schedule",
        Resource("ReceptionSlot", org_unit=unit),
        work,
        client_mutation_id=client_mutation_id,
    )


def _clean_visitor(visit: NewVisit) -> NewVisit:
    errors: list[FieldError] = []
    name = text(errors, "visitor.name", visit.visitor.name, 300, required=True)
    contact = text(errors, "visitor.contact", visit.visitor.contact, 200)
    address = text(errors, "visitor.address", visit.visitor.address, 500)
    matter = text(errors, "matter", visit.matter, MAX_TEXT, required=True, multiline=True)
    matter_unit = text(errors, "matterUnit", visit.matter_unit, 100, required=True)
    if errors:
        raise ValidationFailed(errors)
    return replace(
        visit,
        visitor=Visitor(name or "", contact, address),
        matter=matter or "",
        matter_unit=matter_unit or "",
    )


async def register_visitor(
    platform: Platform,
    principal: Principal,
    visit: NewVisit,
    *,
    client_mutation_id: str | None = None,
) -> str:
    """Book a visitor into a sitting of an official competent for the matter; returns the
    visit's id."""
    cleaned = _clean_visitor(visit)

    async def work(m: Mutation) -> str:
        if not await repo.unit_exists(m.tx, cleaned.matter_unit):
            raise _missing(
                "matterUnit", f"struktur bölmə yoxdur / no org unit {cleaned.matter_unit}"
            )
        now = datetime.now(UTC)
        if cleaned.slot_id is not None:
            candidates = [cleaned.slot_id]
        else:
            candidates = await repo.competent_slots(m.tx, cleaned.matter_unit, now)
        chosen: dict[str, object] | None = None
        for slot_id in candidates:
            slot = await repo.lock_slot(m.tx, slot_id)
            if slot is None:
                raise _missing("slotId", f"qəbul yoxdur / no reception sitting {slot_id}")
            if cleaned.slot_id is not None:
                _check_named_slot(slot, now)
                if not await repo.competent(m.tx, str(slot["unit"]), cleaned.matter_unit):
                    raise ValidationFailed(
                        [
                            FieldError(
                                "slotId",
                                f"bu qəbulda {cleaned.matter_unit} məsələlərinə baxılmır / "
                                f"this sitting is not competent for matters of "
                                f"{cleaned.matter_unit}",
                            )
                        ]
                    )
            if int(str(slot["booked"])) < int(str(slot["capacity"])):
                chosen = slot
                break
            if cleaned.slot_id is not None:
                raise Conflict("qəbulda yer yoxdur / the sitting is fully booked", field="slotId")
        if chosen is None:
            raise Conflict(
                "bu məsələ üzrə boş yeri olan qəbul yoxdur / no competent sitting with a free "
                "place is scheduled",
                field="matterUnit",
            )
        visit_id = str(uuid.uuid4())
        await repo.create_visit(
            m.tx,
            {
                "id": visit_id,
                "slotId": chosen["id"],
                "visitorName": cleaned.visitor.name,
                "visitorFold": fold(cleaned.visitor.name),
                "contact": cleaned.visitor.contact,
                "address": cleaned.visitor.address,
                "matter": cleaned.matter,
                "matterUnit": cleaned.matter_unit,
                "status": "booked",
                "registeredAt": now,
                "registeredBy": m.principal.subject,
                "sample": cleaned.sample,
            },
        )
        m.changed("ReceptionVisit", visit_id, "created", ("slotId", "status"))
        return visit_id

    return await run_mutation(
        platform,
        principal,
        "edms.reception.register_visitor",
        Resource("ReceptionVisit"),
        work,
        client_mutation_id=client_mutation_id,
    )


def _check_named_slot(slot: dict[str, object], now: datetime) -> None:
    if slot.get("status") != "scheduled":
        raise Conflict("qəbul ləğv edilib / the sitting was cancelled", field="slotId")
    ends = slot.get("endsAt")
    native = getattr(ends, "to_native", None)
    ends_at = native() if native is not None else ends
    if isinstance(ends_at, datetime) and ends_at < now:
        raise Conflict("qəbul artıq keçib / the sitting is over", field="slotId")


async def record_visit(
    platform: Platform,
    principal: Principal,
    visit_id: str,
    *,
    attended: bool,
    notes: str | None = None,
    appeal: NewAppeal | None = None,
    client_mutation_id: str | None = None,
) -> str:
    """The visit's outcome; a received matter may be registered as an appeal at once
    (channel reception, the visitor as applicant, the matter's unit considering it)."""
    errors: list[FieldError] = []
    cleaned_notes = text(errors, "notes", notes, MAX_TEXT, multiline=True)
    if appeal is not None and not attended:
        errors.append(
            FieldError(
                "appeal", "gəlməyən ziyarətçi müraciət edə bilməz / no appeal without a visit"
            )
        )
    if errors:
        raise ValidationFailed(errors)

    async def target(tx: Tx) -> Resource:
        found = await repo.slot_of_visit(tx, visit_id)
        if found is None:  # the policy answers first; the work then says it does not exist
            return Resource("ReceptionVisit", visit_id)
        return Resource(
            "ReceptionVisit",
            visit_id,
            org_unit=found["unit"],
            involved=frozenset({str(found["official"])}),
        )

    async def work(m: Mutation) -> str:
        row = await repo.visit_row(m.tx, visit_id)
        if row is None:
            raise NotFound(f"ReceptionVisit {visit_id} tapılmadı / not found", field="visitId")
        if row["status"] != "booked":
            raise Conflict(
                f"ziyarət artıq qeyd edilib ({row['status']}) / the visit was already recorded "
                f"({row['status']})",
                field="visitId",
            )
        props: dict[str, object] = {
            "status": "received" if attended else "no_show",
            "receivedAt": datetime.now(UTC) if attended else None,
            "notes": cleaned_notes,
        }
        if appeal is not None:
            new = clean_appeal(
                replace(
                    appeal,
                    channel="reception",
                    centre=None,
                    unit=appeal.unit or str(row["matterUnit"]),
                    applicant=Applicant(
                        str(row["visitorName"]), row.get("address"), row.get("contact")
                    ),
                )
            )
            props["appealId"] = await register_appeal_in_unit(m, new)
        await repo.set_visit(m.tx, visit_id, props)
        m.changed("ReceptionVisit", visit_id, "status_changed", tuple(props))
        return visit_id

    return await run_mutation(
        platform,
        principal,
        "edms.reception.record_visit",
        target,
        work,
        client_mutation_id=client_mutation_id,
    )
