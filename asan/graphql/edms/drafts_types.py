"""Enums, value types and inputs of drafts and visas (kept apart from the root fields).

Terms: a draft (layihə) of an outgoing (göndərilən), internal (daxili) or order (əmr) document
collects visas (viza: an approval mark) along a route before the registrar checks its form and
the signatory signs it.
"""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry
from strawberry.file_uploads import Upload

from asan.edms.drafts import models as m
from asan.graphql.described import value

# --------------------------------------------------------------------------------- enums


@strawberry.enum(description="The kind of document a draft (layihə) becomes when signed.")
class DraftKind(enum.Enum):
    OUTGOING = value("outgoing", "An outgoing letter (göndərilən sənəd) to addressees outside.")
    INTERNAL = value("internal", "An internal document (daxili sənəd) to the agency's units.")
    ORDER = value(
        "order",
        "An order or decision (əmr, qərar): a non-normative legal act of the agency; its route "
        "must include legal expertise.",
    )


@strawberry.enum(description="Who an addressee (ünvançı) of a draft is.")
class AddresseeKind(enum.Enum):
    STATE_BODY = value("state_body", "A state body (dövlət orqanı) of the registry, by code.")
    ORG_UNIT = value("org_unit", "A unit (struktur bölmə) of the agency, by code.")
    ORGANISATION = value("organisation", "Another organisation, by name and address.")
    PERSON = value("person", "A person, by name and address.")


@strawberry.enum(description="The part a visa step plays on the route.")
class VisaStepRole(enum.Enum):
    SECTOR_HEAD = value("sector_head", "The head of a sector (sektor müdiri).")
    DEPARTMENT_HEAD = value("department_head", "The head of a department (şöbə müdiri).")
    LEGAL_EXPERTISE = value(
        "legal_expertise",
        "Legal expertise (hüquqi ekspertiza) by the Legal Support department; mandatory on orders.",
    )
    OTHER = value("other", "Any other official whose visa the draft needs.")


@strawberry.enum(description="A visa holder's decision.")
class VisaDecision(enum.Enum):
    APPROVE = value("approve", "Approve (vizalamaq).")
    APPROVE_WITH_REMARKS = value(
        "approve_with_remarks", "Approve with remarks (qeydlərlə); `remarks` is required."
    )
    REJECT = value(
        "reject", "Reject with reasons (`reasons` required): the draft returns to its unit."
    )


@strawberry.enum(description="Where a visa step stands for the draft's current version.")
class VisaStepStatus(enum.Enum):
    WAITING = value("waiting", "Not its turn: an earlier stage is open, or not sent yet.")
    PENDING = value("pending", "Its stage is current: the holder may decide now.")
    APPROVED = value("approved", "Approved.")
    APPROVED_WITH_REMARKS = value("approved_with_remarks", "Approved with remarks.")
    REJECTED = value("rejected", "Rejected: the draft went back to its executing unit.")
    REPLACED = value("replaced", "Of a route replaced by a later one (history only).")


@strawberry.enum(description="The registrar's verdict on a draft's form.")
class FormCheckOutcome(enum.Enum):
    ACCEPTED = value("accepted", "Form in order: the draft goes to signature (to_sign).")
    REJECTED = value("rejected", "Returned to the executing unit with the reasons listed.")


# --------------------------------------------------------------------------------- types


@strawberry.type(name="DraftAddressee", description="An addressee (ünvançı) of a draft.")
class AddresseeType:
    position: int = strawberry.field(description="Order on the mailing list (1-based).")
    kind: AddresseeKind = strawberry.field(description="Who it is.")
    state_body: str | None = strawberry.field(description="State body code (kind STATE_BODY).")
    org_unit: str | None = strawberry.field(description="Agency unit code (kind ORG_UNIT).")
    name: str = strawberry.field(
        description="Name: as given for organisations and persons; the registry's name of a "
        "state body or unit."
    )
    address: str = strawberry.field(description="Postal address (organisations, persons).")
    email: str = strawberry.field(description="E-mail address, if given.")

    @classmethod
    def of(cls, a: m.Addressee) -> AddresseeType:
        return cls(
            position=a.position,
            kind=AddresseeKind(a.kind),
            state_body=a.state_body,
            org_unit=a.org_unit,
            name=a.name,
            address=a.address,
            email=a.email,
        )


@strawberry.type(name="VisaStep", description="One step of a draft's visa route.")
class VisaStepType:
    id: str = strawberry.field(description="The step's id (give it to `decideVisa`).")
    stage: int = strawberry.field(
        description="Stage number (1-based): stages run in order, steps of a stage in parallel."
    )
    role: VisaStepRole = strawberry.field(description="The part it plays.")
    user: str = strawberry.field(description="User id of the visa holder.")
    position_code: str | None = strawberry.field(
        description="The position the holder was chosen by, if the route named one."
    )
    restart_on_new_version: bool = strawberry.field(
        description="Whether a new version of the draft asks this step again after approval."
    )
    status: VisaStepStatus = strawberry.field(description="Where it stands.")
    round: int = strawberry.field(description="The draft version its status belongs to.")

    @classmethod
    def of(cls, s: m.VisaStep) -> VisaStepType:
        return cls(
            id=s.id,
            stage=s.stage,
            role=VisaStepRole(s.role),
            user=s.user,
            position_code=s.position_code,
            restart_on_new_version=s.restart_on_new_version,
            status=VisaStepStatus(s.status),
            round=s.round,
        )


@strawberry.type(name="Visa", description="One visa given (kept for every version: history).")
class VisaType:
    id: str = strawberry.field(description="The visa's id.")
    step_id: str = strawberry.field(description="The route step it decided.")
    stage: int = strawberry.field(description="That step's stage.")
    role: VisaStepRole = strawberry.field(description="That step's role.")
    draft_version: int = strawberry.field(description="The draft version it was given on.")
    decision: VisaDecision = strawberry.field(description="The decision.")
    remarks: str = strawberry.field(description="Remarks (approval with remarks).")
    reasons: list[str] = strawberry.field(description="Reasons of a rejection.")
    actor: str = strawberry.field(description="User id of who gave it.")
    acting_for: str | None = strawberry.field(
        description="The holder a deputy acted for within a delegation, if any."
    )
    at: datetime = strawberry.field(description="When.")

    @classmethod
    def of(cls, v: m.Visa) -> VisaType:
        return cls(
            id=v.id,
            step_id=v.step_id,
            stage=v.stage,
            role=VisaStepRole(v.role),
            draft_version=v.draft_version,
            decision=VisaDecision(v.decision),
            remarks=v.remarks,
            reasons=list(v.reasons),
            actor=v.actor,
            acting_for=v.acting_for,
            at=v.at,
        )


@strawberry.type(name="DraftFormCheck", description="One form check by a registrar.")
class FormCheckType:
    id: str = strawberry.field(description="The check's id.")
    draft_version: int = strawberry.field(description="The draft version checked.")
    outcome: FormCheckOutcome = strawberry.field(description="The verdict.")
    reasons: list[str] = strawberry.field(description="Every problem found (none if accepted).")
    actor: str = strawberry.field(description="User id of the registrar.")
    at: datetime = strawberry.field(description="When.")

    @classmethod
    def of(cls, c: m.FormCheck) -> FormCheckType:
        return cls(
            id=c.id,
            draft_version=c.draft_version,
            outcome=FormCheckOutcome(c.outcome),
            reasons=list(c.reasons),
            actor=c.actor,
            at=c.at,
        )


@strawberry.type(
    name="Draft",
    description="A draft (layihə): its addressees, visa route, visas and form checks. The "
    "card, number, files and timeline are on the document of the same id.",
)
class DraftType:
    document_id: str = strawberry.field(description="The document's id.")
    kind: DraftKind = strawberry.field(description="What it becomes.")
    status: str = strawberry.field(
        description="The document's status: draft, on_visa, returned, form_check, to_sign, "
        "signed, dispatched, archived."
    )
    unit: str = strawberry.field(description="Code of the executing unit (icraçı bölmə).")
    subject: str = strawberry.field(description="Its subject (mövzu).")
    version: int = strawberry.field(description="The current version number (1, 2, ...).")
    attachments: int = strawberry.field(description="How many attachments it says it has.")
    attachment_titles: list[str] = strawberry.field(description="Their titles, if given.")
    signatory: str | None = strawberry.field(description="User id of the route's signatory.")
    addressees: list[AddresseeType] = strawberry.field(description="In mailing-list order.")
    route: list[VisaStepType] = strawberry.field(
        description="Steps of the route, by stage (steps of replaced routes included)."
    )
    visas: list[VisaType] = strawberry.field(description="Every visa given, oldest first.")
    form_checks: list[FormCheckType] = strawberry.field(description="Oldest first.")

    @classmethod
    def of(cls, d: m.DraftView) -> DraftType:
        return cls(
            document_id=d.document_id,
            kind=DraftKind(d.kind),
            status=d.status,
            unit=d.unit,
            subject=d.subject,
            version=d.version,
            attachments=d.attachments,
            attachment_titles=list(d.attachment_titles),
            signatory=d.signatory,
            addressees=[AddresseeType.of(a) for a in d.addressees],
            route=[VisaStepType.of(s) for s in d.steps],
            visas=[VisaType.of(v) for v in d.visas],
            form_checks=[FormCheckType.of(c) for c in d.form_checks],
        )


@strawberry.type(description="A visa step waiting for the caller's decision.")
class PendingVisa:
    document_id: str = strawberry.field(description="The draft's document id.")
    step: VisaStepType = strawberry.field(description="The step to decide.")


# --------------------------------------------------------------------------------- inputs

_CMID = "Optional id chosen by the client: a repeated request with the same id returns the "
_CMID += "first result and changes nothing twice."


@strawberry.input(description="An addressee of a draft.")
class AddresseeInput:
    kind: AddresseeKind = strawberry.field(description="Who it is.")
    state_body: str | None = strawberry.field(
        default=None, description="State body code (kind STATE_BODY)."
    )
    org_unit: str | None = strawberry.field(
        default=None, description="Agency unit code (kind ORG_UNIT)."
    )
    name: str = strawberry.field(default="", description="Name (organisations, persons).")
    address: str = strawberry.field(
        default="", description="Postal address (organisations, persons)."
    )
    email: str = strawberry.field(default="", description="E-mail address.")

    def to_model(self) -> m.Addressee:
        return m.Addressee(
            kind=str(self.kind.value),
            state_body=self.state_body,
            org_unit=self.org_unit,
            name=self.name,
            address=self.address,
            email=self.email,
        )


@strawberry.input(
    description="One visa step: its stage, and a user or a position held by one person today."
)
class VisaStepInput:
    stage: int = strawberry.field(
        description="Stage number, 1-based and without gaps: stages run in order, the steps "
        "of one stage in parallel (at most 10 stages of 10 steps)."
    )
    role: VisaStepRole = strawberry.field(description="The part it plays.")
    user: str | None = strawberry.field(default=None, description="The holder's user id.")
    position_code: str | None = strawberry.field(
        default=None, description="A position code; its holder today becomes the visa holder."
    )
    restart_on_new_version: bool = strawberry.field(
        default=True,
        description="Whether a new version asks this step again after it approved (default).",
    )


@strawberry.input(description="A visa route: its steps by stage, then the signatory.")
class VisaRouteInput:
    steps: list[VisaStepInput] = strawberry.field(
        description="The steps (at most 100); an order's route needs a LEGAL_EXPERTISE step."
    )
    signatory: str | None = strawberry.field(
        default=None, description="User id of the signatory (imzalayan)."
    )
    signatory_position: str | None = strawberry.field(
        default=None, description="Or the signatory's position (held by one person today)."
    )

    def to_model(self) -> m.RouteSpec:
        return m.RouteSpec(
            steps=tuple(
                m.StepSpec(
                    stage=s.stage,
                    role=str(s.role.value),
                    user=s.user,
                    position_code=s.position_code,
                    restart_on_new_version=s.restart_on_new_version,
                )
                for s in self.steps
            ),
            signatory=self.signatory,
            signatory_position=self.signatory_position,
        )


@strawberry.input(description="A new draft in its executing unit.")
class CreateDraftInput:
    kind: DraftKind = strawberry.field(description="Outgoing, internal or order.")
    subject: str = strawberry.field(description="Its subject (mövzu).")
    unit: str = strawberry.field(description="Code of the executing unit.")
    summary: str = strawberry.field(default="", description="A short summary.")
    addressees: list[AddresseeInput] = strawberry.field(
        default_factory=list, description="Addressees, in mailing-list order (at most 200)."
    )
    attachments: int = strawberry.field(
        default=0, description="How many attachments it will have (the form check counts them)."
    )
    attachment_titles: list[str] = strawberry.field(
        default_factory=list, description="Titles of the attachments, if known."
    )
    language: str = strawberry.field(default="az", description="az, en, ru or other.")
    classification: str = strawberry.field(
        default="public",
        description="public, service_secret (xidməti sirr) or state_secret (dövlət sirri); "
        "at most the caller's clearance.",
    )
    case_index: str | None = strawberry.field(
        default=None, description="Index of the case file it will be filed into."
    )
    route: VisaRouteInput | None = strawberry.field(
        default=None, description="The visa route (may also be set later)."
    )
    file: Upload | None = strawberry.field(
        default=None, description="The draft's text as a file (multipart request)."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=_CMID)


@strawberry.input(description="Set or replace a draft's visa route (draft or returned).")
class SetVisaRouteInput:
    document_id: str = strawberry.field(description="The draft's document id.")
    route: VisaRouteInput = strawberry.field(description="The route.")
    client_mutation_id: str | None = strawberry.field(default=None, description=_CMID)


@strawberry.input(description="A document step on a draft, by its id.")
class DraftStepInput:
    document_id: str = strawberry.field(description="The draft's document id.")
    client_mutation_id: str | None = strawberry.field(default=None, description=_CMID)


@strawberry.input(description="A visa holder's decision on their step.")
class DecideVisaInput:
    document_id: str = strawberry.field(description="The draft's document id.")
    step_id: str = strawberry.field(description="The route step (`VisaStep.id`).")
    decision: VisaDecision = strawberry.field(description="The decision.")
    remarks: str = strawberry.field(default="", description="Required with remarks.")
    reasons: list[str] = strawberry.field(
        default_factory=list, description="Required when rejecting."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=_CMID)


@strawberry.input(description="A new version of a draft (draft or returned).")
class NewDraftVersionInput:
    document_id: str = strawberry.field(description="The draft's document id.")
    file: Upload | None = strawberry.field(
        default=None, description="The new text as a file (multipart request)."
    )
    subject: str | None = strawberry.field(default=None, description="A new subject.")
    attachments: int | None = strawberry.field(default=None, description="A new attachment count.")
    attachment_titles: list[str] | None = strawberry.field(
        default=None, description="New attachment titles."
    )
    addressees: list[AddresseeInput] | None = strawberry.field(
        default=None, description="A new list of addressees (replaces the old one)."
    )
    comment: str = strawberry.field(default="", description="What changed, for the timeline.")
    client_mutation_id: str | None = strawberry.field(default=None, description=_CMID)


@strawberry.input(description="The registrar's form check of a draft in form_check.")
class CheckDraftFormInput:
    document_id: str = strawberry.field(description="The draft's document id.")
    reasons: list[str] = strawberry.field(
        default_factory=list,
        description="The registrar's own findings; any makes the check return the draft.",
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=_CMID)


@strawberry.input(description="The signatory returns a draft unsigned, with reasons.")
class ReturnDraftFromSignatureInput:
    document_id: str = strawberry.field(description="The draft's document id.")
    reasons: list[str] = strawberry.field(description="Why (at least one).")
    client_mutation_id: str | None = strawberry.field(default=None, description=_CMID)
