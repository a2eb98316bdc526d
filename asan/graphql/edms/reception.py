"""The leadership's reception of citizens over GraphQL: the schedule, visitors registered with
the competent official, the visit's outcome (which may register an appeal at once)."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from asan.edms.appeals.models import Applicant as ApplicantModel
from asan.edms.appeals.models import NewAppeal
from asan.edms.reception import reads, use_cases
from asan.edms.reception.models import NewSlot, NewVisit, Slot, Visit, Visitor
from asan.graphql.described import value
from asan.graphql.edms.appeals import AppealType
from asan.graphql.errors import UserError
from asan.graphql.mutation import attempt
from asan.graphql.request import platform_of, principal_of


@strawberry.enum(name="ReceptionVisitStatus", description="Where a visitor's booking stands.")
class VisitStatus(enum.Enum):
    BOOKED = value("booked", "Registered for the sitting.")
    RECEIVED = value("received", "Received by the official.")
    NO_SHOW = value("no_show", "Did not come.")


@strawberry.type(name="ReceptionVisit", description="A visitor booked into a reception sitting.")
class ReceptionVisit:
    id: strawberry.ID = strawberry.field(description="The visit's id.")
    visitor_name: str = strawberry.field(description="The visitor's full name.")
    contact: str | None = strawberry.field(description="Phone or e-mail.")
    address: str | None = strawberry.field(description="Postal address.")
    matter: str = strawberry.field(description="What the visitor raises.")
    matter_unit: str = strawberry.field(description="Org unit whose competence the matter is in.")
    status: VisitStatus = strawberry.field(description="Booked, received or did not come.")
    registered_at: datetime = strawberry.field(description="When the booking was made.")
    received_at: datetime | None = strawberry.field(description="When received.")
    notes: str | None = strawberry.field(description="The official's notes.")
    appeal_document_id: strawberry.ID | None = strawberry.field(
        description="The appeal registered from the visit, if any (query `appeal`)."
    )

    @classmethod
    def of(cls, v: Visit) -> ReceptionVisit:
        return cls(
            id=strawberry.ID(v.id),
            visitor_name=v.visitor.name,
            contact=v.visitor.contact,
            address=v.visitor.address,
            matter=v.matter,
            matter_unit=v.matter_unit,
            status=VisitStatus(v.status),
            registered_at=v.registered_at,
            received_at=v.received_at,
            notes=v.notes,
            appeal_document_id=strawberry.ID(v.appeal_id) if v.appeal_id else None,
        )


@strawberry.type(
    name="ReceptionSlot",
    description="A sitting of the leadership's reception of citizens (vətəndaş qəbulu): who "
    "receives, when and where, for the matters of which unit.",
)
class ReceptionSlot:
    id: strawberry.ID = strawberry.field(description="The sitting's id.")
    official_name: str | None = strawberry.field(description="Who receives.")
    position: str | None = strawberry.field(description="The official's position code.")
    unit: str = strawberry.field(
        description="Org unit whose matters (and its sub-units') are received."
    )
    starts_at: datetime = strawberry.field(description="Start.")
    ends_at: datetime = strawberry.field(description="End.")
    place: str = strawberry.field(description="Where, e.g. the address and room.")
    capacity: int = strawberry.field(description="Visitors it takes.")
    booked: int = strawberry.field(description="Visitors booked.")
    status: str = strawberry.field(description="The sitting's state: scheduled or cancelled.")
    slot: strawberry.Private[Slot]

    @strawberry.field(
        description="The visitors booked (registrars, auditors and the official only; null "
        "for anyone else: visitors' data are personal)."
    )
    async def visits(self, info: Info) -> list[ReceptionVisit] | None:
        if not reads.may_see_visitors(principal_of(info), self.slot):
            return None
        found = await reads.visits_of(platform_of(info), [self.slot.id])
        return [ReceptionVisit.of(v) for v in found.get(self.slot.id, [])]

    @classmethod
    def of(cls, s: Slot) -> ReceptionSlot:
        return cls(
            id=strawberry.ID(s.id),
            official_name=s.official_name,
            position=s.position,
            unit=s.unit,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            place=s.place,
            capacity=s.capacity,
            booked=s.booked,
            status=s.status,
            slot=s,
        )


@strawberry.type
class ReceptionQuery:
    @strawberry.field(
        description="The leadership's reception schedule from `from` to `to` (Baku days, at "
        "most 92), earliest first, at most 60 sittings; staff only."
    )
    async def reception_schedule(
        self,
        info: Info,
        from_: Annotated[date, strawberry.argument(name="from", description="First day.")],
        to: Annotated[date, strawberry.argument(description="Last day (inclusive).")],
        unit: Annotated[
            str | None, strawberry.argument(description="Only sittings for this unit.")
        ] = None,
    ) -> list[ReceptionSlot]:
        found = await reads.schedule(platform_of(info), principal_of(info), from_, to, unit)
        return [ReceptionSlot.of(s) for s in found]


def _client_mutation_id() -> str | None:
    described: str | None = strawberry.field(
        default=None,
        description="Your id of this request: a repeat with the same id does nothing twice.",
    )
    return described


@strawberry.input(description="A sitting of an official of the leadership.")
class ScheduleReceptionInput:
    official: str = strawberry.field(
        description="Username of the official (chairman, head, deputy head, sector head)."
    )
    starts_at: datetime = strawberry.field(description="Start, with a time zone offset.")
    ends_at: datetime = strawberry.field(description="End, at most 12 hours after the start.")
    place: str = strawberry.field(description="Where.")
    capacity: int = strawberry.field(default=10, description="Visitors it takes, 1-30.")
    unit: str | None = strawberry.field(
        default=None,
        description="Unit whose matters it receives (default: the official's position's unit).",
    )
    client_mutation_id: str | None = _client_mutation_id()


@strawberry.input(description="The visitor.")
class VisitorInput:
    name: str = strawberry.field(description="Full name.")
    contact: str | None = strawberry.field(default=None, description="Phone or e-mail.")
    address: str | None = strawberry.field(default=None, description="Postal address.")


@strawberry.input(description="Register a visitor with the official competent for the matter.")
class RegisterVisitorInput:
    visitor: VisitorInput = strawberry.field(description="Who comes.")
    matter: str = strawberry.field(description="What they raise.")
    matter_unit: str = strawberry.field(
        description="Org unit whose competence the matter is in (the official must sit for it "
        "or for a unit it is part of)."
    )
    slot_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A sitting; null: the nearest competent sitting with a free place.",
    )
    client_mutation_id: str | None = _client_mutation_id()


@strawberry.input(description="The visitor's matter registered as an appeal at once.")
class VisitAppealInput:
    appeal_type: AppealType = strawberry.field(description="Proposal, application, complaint.")
    subject: str = strawberry.field(description="What it is about.")
    summary: str | None = strawberry.field(default=None, description="Short content.")
    unit: str | None = strawberry.field(
        default=None, description="Unit that considers it (default: the matter's unit)."
    )
    extra_study: bool = strawberry.field(default=False, description="The 30-day term.")


@strawberry.input(description="The outcome of a booked visit.")
class RecordVisitInput:
    visit_id: strawberry.ID = strawberry.field(description="The visit's id.")
    attended: bool = strawberry.field(description="true: received; false: did not come.")
    notes: str | None = strawberry.field(default=None, description="The official's notes.")
    appeal: VisitAppealInput | None = strawberry.field(
        default=None, description="Register the matter as an appeal (channel reception)."
    )
    client_mutation_id: str | None = _client_mutation_id()


@strawberry.type(description="Result of scheduling a sitting.")
class ScheduleReceptionPayload:
    slot_id: strawberry.ID | None = strawberry.field(
        default=None, description="The new sitting's id; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why the input was not accepted; empty when it was."
    )


@strawberry.type(description="Result of a step on a visit.")
class ReceptionVisitPayload:
    visit_id: strawberry.ID | None = strawberry.field(
        default=None, description="The visit's id; null when refused."
    )
    slot: ReceptionSlot | None = strawberry.field(
        default=None, description="The sitting the visitor is booked into."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why the input was not accepted; empty when it was."
    )


InputArg = strawberry.argument(description="The mutation's fields; see the input type.")


async def _visit_payload(info: Info, call: Callable[[], Awaitable[str]]) -> ReceptionVisitPayload:
    visit_id, errors = await attempt(call)
    if visit_id is None:
        return ReceptionVisitPayload(user_errors=errors)
    slot = await reads.slot_of_visit(platform_of(info), visit_id)
    return ReceptionVisitPayload(
        visit_id=strawberry.ID(visit_id), slot=ReceptionSlot.of(slot) if slot else None
    )


@strawberry.type
class ReceptionMutation:
    @strawberry.mutation(description="Add a sitting to the leadership's reception schedule.")
    async def schedule_reception(
        self, info: Info, input: Annotated[ScheduleReceptionInput, InputArg]
    ) -> ScheduleReceptionPayload:
        slot = NewSlot(
            official=input.official,
            starts_at=input.starts_at,
            ends_at=input.ends_at,
            place=input.place,
            capacity=input.capacity,
            unit=input.unit,
        )
        slot_id, errors = await attempt(
            lambda: use_cases.schedule_reception(
                platform_of(info),
                principal_of(info),
                slot,
                client_mutation_id=input.client_mutation_id,
            )
        )
        if slot_id is None:
            return ScheduleReceptionPayload(user_errors=errors)
        return ScheduleReceptionPayload(slot_id=strawberry.ID(slot_id))

    @strawberry.mutation(
        description="Register a visitor with the official competent for their matter."
    )
    async def register_visitor(
        self, info: Info, input: Annotated[RegisterVisitorInput, InputArg]
    ) -> ReceptionVisitPayload:
        visit = NewVisit(
            visitor=Visitor(input.visitor.name, input.visitor.contact, input.visitor.address),
            matter=input.matter,
            matter_unit=input.matter_unit,
            slot_id=str(input.slot_id) if input.slot_id is not None else None,
        )
        return await _visit_payload(
            info,
            lambda: use_cases.register_visitor(
                platform_of(info),
                principal_of(info),
                visit,
                client_mutation_id=input.client_mutation_id,
            ),
        )

    @strawberry.mutation(
        description="Record a visit's outcome; optionally register the matter as an appeal."
    )
    async def record_reception_visit(
        self, info: Info, input: Annotated[RecordVisitInput, InputArg]
    ) -> ReceptionVisitPayload:
        appeal = None
        if input.appeal is not None:
            appeal = NewAppeal(
                appeal_type=input.appeal.appeal_type.value,
                channel="reception",
                applicant=ApplicantModel(""),
                subject=input.appeal.subject,
                summary=input.appeal.summary,
                unit=input.appeal.unit,
                extra_study=input.appeal.extra_study,
            )
        return await _visit_payload(
            info,
            lambda: use_cases.record_visit(
                platform_of(info),
                principal_of(info),
                str(input.visit_id),
                attended=input.attended,
                notes=input.notes,
                appeal=appeal,
                client_mutation_id=input.client_mutation_id,
            ),
        )


QUERIES: list[type] = [ReceptionQuery]
MUTATIONS: list[type] = [ReceptionMutation]
