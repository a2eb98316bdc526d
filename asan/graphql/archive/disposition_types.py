"""GraphQL types of disposition: the calendar's entries, decisions, destruction acts and the
mutations' inputs and payloads (the resolvers are in ``disposition``)."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import strawberry
from strawberry import relay
from strawberry.types import Info

from asan.archive.disposition import reads
from asan.archive.disposition.http import pdf_path
from asan.archive.disposition.models import ActCase, CalendarEntry, DestructionAct
from asan.archive.holds.models import Hold
from asan.graphql.archive.types import CaseStatus, CaseType
from asan.graphql.described import value
from asan.graphql.errors import UserError
from asan.graphql.request import platform_of, principal_of

CMID = "Repeat the request with the same id: it is done once."
MAX_HOLDS_SHOWN = 20


@strawberry.enum(
    name="DisposalDecision",
    description="The expert commission's (ekspert komissiyası) decision on a case due for "
    "disposal.",
)
class DisposalDecisionEnum(enum.Enum):
    DESTROY = value(
        "destroy",
        "Destruction approved (məhv edilməsinə razılıq): the case may "
        "be listed in a destruction act once its disposal date has passed.",
    )
    EXTEND = value(
        "extend",
        "Retention extended by `extendYears` (saxlama müddəti uzadılıb): "
        "the disposal date and the files' retain-until in MinIO move later.",
    )
    PERMANENT = value(
        "permanent",
        "Kept permanently (daimi saxlanma): the case becomes "
        "permanent and its archived files get a legal hold.",
    )


@strawberry.enum(
    name="DestructionActStatus",
    description="Where a destruction act (məhv etmə aktı) stands.",
)
class DestructionActStatus(enum.Enum):
    DRAFT = value("draft", "Drawn up by the archive, not signed yet.")
    SIGNED = value("signed", "Signed by the agency's head (PAdES); may be executed.")
    EXECUTING = value(
        "executing",
        "Deletion started and not finished (a stopped run is resumed by running it again).",
    )
    EXECUTED = value("executed", "Every listed file deleted, every listed case destroyed.")


@strawberry.type(
    name="DisposalHold",
    description="An active hold (saxlama qadağası) that blocks a case's destruction.",
)
class DisposalHoldType:
    kind: str = strawberry.field(description="The hold's kind: litigation, investigation or other.")
    reason: str = strawberry.field(description="Why it was placed.")
    placed_by: str = strawberry.field(description="Who placed it (user id).")
    placed_by_name: str = strawberry.field(description="Who placed it (name).")
    placed_at: dt.datetime = strawberry.field(description="When (UTC).")

    @classmethod
    def of(cls, h: Hold) -> DisposalHoldType:
        return cls(
            kind=h.kind,
            reason=h.reason,
            placed_by=h.placed_by,
            placed_by_name=h.placed_by_name,
            placed_at=h.placed_at,
        )


@strawberry.type(
    name="DisposalCalendarEntry",
    description="A case whose disposal date (məhv tarixi) falls in the asked window, with "
    "the commission's decision, what is archived and what blocks destruction.",
)
class DisposalCalendarEntryType:
    case_id: str = strawberry.field(description="The case's id.")
    index: str = strawberry.field(description="The case's index, e.g. `DEPT-IT-03`.")
    year: int = strawberry.field(description="The nomenclature's year.")
    title: str = strawberry.field(description="The case's title.")
    unit: str = strawberry.field(description="The unit's code.")
    status: CaseStatus = strawberry.field(description="The case's lifecycle status.")
    retention_years: int | None = strawberry.field(description="Retention period in years.")
    disposal_date: dt.date = strawberry.field(description="When its retention ends.")
    due: bool = strawberry.field(description="The disposal date has passed (today, Baku).")
    decision: DisposalDecisionEnum | None = strawberry.field(
        description="The commission's latest decision; null before any."
    )
    decided_at: dt.datetime | None = strawberry.field(description="When it was decided (UTC).")
    decided_by_name: str | None = strawberry.field(description="Who decided it.")
    decision_reason: str | None = strawberry.field(description="The decision's reason.")
    record_count: int = strawberry.field(description="Archived files kept (not destroyed).")
    total_bytes: float = strawberry.field(description="Their size in bytes.")
    act_number: str | None = strawberry.field(
        description="The destruction act not yet executed that lists it, if any."
    )
    holds: list[DisposalHoldType] = strawberry.field(
        description="Active holds on it (at most 20): while any exists it is not destroyed."
    )

    @classmethod
    def of(cls, e: CalendarEntry, holds: list[Hold], today: dt.date) -> DisposalCalendarEntryType:
        return cls(
            case_id=e.case_id,
            index=e.index,
            year=e.year,
            title=e.title,
            unit=e.unit,
            status=CaseStatus(e.status),
            retention_years=e.retention_years,
            disposal_date=e.disposal_date,
            due=e.disposal_date <= today,
            decision=DisposalDecisionEnum(e.decision) if e.decision else None,
            decided_at=e.decided_at,
            decided_by_name=e.decided_by_name,
            decision_reason=e.decision_reason,
            record_count=e.records,
            total_bytes=float(e.bytes),
            act_number=e.act_number,
            holds=[DisposalHoldType.of(h) for h in holds[:MAX_HOLDS_SHOWN]],
        )


@strawberry.type(
    name="DestructionActCase",
    description="A case listed in a destruction act, as it stood when the act was drawn up.",
)
class DestructionActCaseType:
    case_id: str = strawberry.field(description="The case's id.")
    index: str = strawberry.field(description="The case's index.")
    title: str = strawberry.field(description="The case's title.")
    year: int = strawberry.field(description="The nomenclature's year.")
    retention_years: int | None = strawberry.field(description="Retention period in years.")
    disposal_date: dt.date | None = strawberry.field(description="When its retention ended.")
    document_count: int = strawberry.field(description="Documents filed in it.")
    record_count: int = strawberry.field(description="Archived files the act deletes.")
    total_bytes: float = strawberry.field(description="Their size in bytes.")
    digest: str = strawberry.field(
        description="SHA-256 over its files' `id sha256` lines sorted by id (printed in the act)."
    )
    status: CaseStatus = strawberry.field(description="The case's status now.")

    @classmethod
    def of(cls, c: ActCase) -> DestructionActCaseType:
        return cls(
            case_id=c.case_id,
            index=c.index,
            title=c.title,
            year=c.year,
            retention_years=c.retention_years,
            disposal_date=c.disposal_date,
            document_count=c.documents,
            record_count=c.records,
            total_bytes=float(c.bytes),
            digest=c.digest,
            status=CaseStatus(c.status),
        )


@strawberry.type(
    name="DestructionAct",
    description="A destruction act (məhv etmə aktı): the cases whose files are deleted once "
    "the agency's head has signed it. Its signed PDF is the signed version of an EDMS "
    "internal document (`documentId`): `verifyDocumentSignature` and the verification code "
    "check it like any signed document.",
)
class DestructionActType(relay.Node):
    _id_attr = "act_id"
    act_id: str = strawberry.field(description="The act's own id.")
    number: str = strawberry.field(description="Its number, e.g. `DA-2026-001`.")
    year: int = strawberry.field(description="The year it was drawn up.")
    status: DestructionActStatus = strawberry.field(description="Where it stands.")
    created_by: str = strawberry.field(description="Who drew it up (user id).")
    created_by_name: str = strawberry.field(description="Who drew it up (name).")
    created_at: dt.datetime = strawberry.field(description="When (UTC).")
    commission: list[str] = strawberry.field(
        description="The expert commission members who approved the listed cases' destruction."
    )
    signed_by: str | None = strawberry.field(description="Who signed it (user id).")
    signed_by_name: str | None = strawberry.field(description="Who signed it (name).")
    signed_at: dt.datetime | None = strawberry.field(description="When it was signed (UTC).")
    document_id: str | None = strawberry.field(
        description="The EDMS internal document carrying the signed PDF."
    )
    signature_id: str | None = strawberry.field(description="The signature's id.")
    signed_file_id: str | None = strawberry.field(description="The signed PDF's file id.")
    verification_code: str | None = strawberry.field(
        description="The code printed in the signature block (verifySignatureCode)."
    )
    record_count: int = strawberry.field(description="Archived files it deletes.")
    total_bytes: float = strawberry.field(description="Their size in bytes.")
    destroyed_record_count: int = strawberry.field(description="Files deleted so far.")
    digest: str = strawberry.field(
        description="SHA-256 over the cases' `caseId digest` lines (printed in the act)."
    )
    execution_started_at: dt.datetime | None = strawberry.field(
        description="When its execution started (UTC)."
    )
    executed_at: dt.datetime | None = strawberry.field(description="When it finished (UTC).")
    cases: list[DestructionActCaseType] = strawberry.field(description="The cases it lists.")
    pdf_url: str = strawberry.field(
        description="Path of its PDF (GET with the bearer token): the signed PDF once signed, "
        "the draft before."
    )

    @classmethod
    def of(cls, a: DestructionAct) -> DestructionActType:
        return cls(
            act_id=a.id,
            number=a.number,
            year=a.year,
            status=DestructionActStatus(a.status),
            created_by=a.created_by,
            created_by_name=a.created_by_name,
            created_at=a.created_at,
            commission=list(a.commission),
            signed_by=a.signed_by,
            signed_by_name=a.signed_by_name,
            signed_at=a.signed_at,
            document_id=a.document_id,
            signature_id=a.signature_id,
            signed_file_id=a.signed_file_id,
            verification_code=a.verification_code,
            record_count=a.records,
            total_bytes=float(a.bytes),
            destroyed_record_count=a.destroyed_records,
            digest=a.digest,
            execution_started_at=a.execution_started_at,
            executed_at=a.executed_at,
            cases=[DestructionActCaseType.of(c) for c in a.cases],
            pdf_url=pdf_path(a.id),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[DestructionActType | None]:
        platform, principal = platform_of(info), principal_of(info)
        found = [await reads.read_act(platform, principal, i) for i in list(node_ids)[:100]]
        return [cls.of(a) if a is not None else None for a in found]


@strawberry.input(name="DecideDisposalInput", description="The commission's decision on a case.")
class DecideDisposalInput:
    case_id: strawberry.ID = strawberry.field(description="The case.")
    decision: DisposalDecisionEnum = strawberry.field(description="What the commission decided.")
    extend_years: int | None = strawberry.field(
        default=None, description="With EXTEND only: years added to the retention (1..75)."
    )
    reason: str = strawberry.field(description="The reason (the commission's minutes).")
    client_mutation_id: str | None = strawberry.field(default=None, description=CMID)


@strawberry.input(
    name="CreateDestructionActInput",
    description="Cases to list in a new destruction act (each approved for destruction, due, "
    "not held, not in another act).",
)
class CreateDestructionActInput:
    case_ids: list[strawberry.ID] = strawberry.field(description="The cases (1..500).")
    client_mutation_id: str | None = strawberry.field(default=None, description=CMID)


@strawberry.input(name="DestructionActInput", description="One destruction act.")
class DestructionActInput:
    act_id: strawberry.ID = strawberry.field(description="The act's id or number.")
    client_mutation_id: str | None = strawberry.field(default=None, description=CMID)


@strawberry.type(name="DecideDisposalPayload", description="The case, or why not.")
class DecideDisposalPayload:
    case: CaseType | None = strawberry.field(description="The case as it is now.")
    user_errors: list[UserError] = strawberry.field(description="Input problems.")
    client_mutation_id: str | None = strawberry.field(description="As sent.")


@strawberry.type(name="DestructionActPayload", description="The act, or why not.")
class DestructionActPayload:
    act: DestructionActType | None = strawberry.field(description="The act as it is now.")
    user_errors: list[UserError] = strawberry.field(description="Input problems.")
    client_mutation_id: str | None = strawberry.field(description="As sent.")


@strawberry.type(name="ExecuteDestructionActPayload", description="The executed act, or why not.")
class ExecuteDestructionActPayload:
    act: DestructionActType | None = strawberry.field(description="The act as it is now.")
    deleted: int = strawberry.field(description="Object versions deleted by this run.")
    already_gone: int = strawberry.field(
        description="Versions an earlier, interrupted run had deleted (recorded, not deleted "
        "again)."
    )
    user_errors: list[UserError] = strawberry.field(description="Input problems.")
    client_mutation_id: str | None = strawberry.field(description="As sent.")
