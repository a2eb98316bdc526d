"""Citizens' appeals over GraphQL: registration and every step of the law's procedure.

Thin resolvers over ``asan.edms.appeals`` (use cases and reads). An appeal is a document of
kind ``appeal``: ``documentId`` is the same id the documents part's queries and the timeline
take. Steps in a wrong state come back as a userError INVALID_TRANSITION naming the current
state and the allowed steps.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Iterable
from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from asan.core.workdays import today_in_baku
from asan.edms.appeals import reads, use_cases
from asan.edms.appeals.models import Appeal as AppealModel
from asan.edms.appeals.models import Applicant as ApplicantModel
from asan.edms.appeals.models import NewAppeal
from asan.graphql.described import value
from asan.graphql.edms.document_types import Classification
from asan.graphql.errors import UserError
from asan.graphql.mutation import attempt
from asan.graphql.relay import After, Connection, First, build_connection, scope_of
from asan.graphql.request import page, platform_of, principal_of
from asan.graphql.search.suggestions import CompetentUnit, SuggestFirst, suggested


@strawberry.enum(name="AppealType", description="Kind of a citizen's appeal (müraciət).")
class AppealType(enum.Enum):
    PROPOSAL = value("proposal", "Təklif: a proposal (journal APL-P).")
    APPLICATION = value("application", "Ərizə: an application about a right (journal APL-A).")
    COMPLAINT = value("complaint", "Şikayət: a complaint about a violated right (journal APL-C).")


@strawberry.enum(name="AppealChannel", description="How an appeal reached the agency.")
class AppealChannel(enum.Enum):
    RECEPTION = value("reception", "At a reception of the leadership (vətəndaş qəbulu).")
    MAIL = value("mail", "By post.")
    WEBSITE = value("website", "Through the agency's website.")
    CALL_CENTRE_108 = value("call_centre_108", "Through call centre 108.")
    ASAN_CENTRE = value("asan_centre", "At an ASAN centre (name the centre).")


@strawberry.enum(name="AppealStatus", description="Where an appeal is on its way.")
class AppealStatus(enum.Enum):
    RECEIVED = value("received", "Received, not yet registered.")
    REGISTERED = value("registered", "Registered; the answer term runs.")
    IN_EXECUTION = value("in_execution", "A resolution sent it to executors.")
    EXECUTED = value("executed", "The executors reported; the answer is due.")
    ANSWERED = value("answered", "Answered to the applicant (cavablandırılıb).")
    FORWARDED = value("forwarded", "Sent to the competent state body (aidiyyəti üzrə).")
    LEFT_UNCONSIDERED = value(
        "left_unconsidered", "A repeated appeal left unconsidered (baxılmadan saxlanılıb)."
    )
    CLOSED = value("closed", "Removed from control.")
    ARCHIVED = value("archived", "Filed in the archive.")


@strawberry.type(name="AppealApplicant", description="The person who appeals (müraciət edən).")
class Applicant:
    name: str = strawberry.field(description="Full name, as written.")
    address: str | None = strawberry.field(description="Postal address for the answer.")
    contact: str | None = strawberry.field(description="Phone or e-mail.")


@strawberry.type(
    name="Appeal",
    description="A citizen's appeal under the law on citizens' appeals (No. 1308-IVQ, 2015): a "
    "document of kind appeal with its applicant, terms in working days and outcome.",
)
class Appeal(relay.Node):
    _id_attr = "document_id"
    document_id: strawberry.ID = strawberry.field(
        description="The appeal's document id (the documents queries and timeline take it)."
    )
    reg_number: str | None = strawberry.field(description="Registration number, e.g. Ş-12/2026")
    reg_date: date | None = strawberry.field(description="Registration date (Baku calendar).")
    appeal_type: AppealType = strawberry.field(description="Proposal, application or complaint.")
    status: AppealStatus = strawberry.field(description="Current state.")
    subject: str = strawberry.field(description="What it is about (mövzu).")
    summary: str | None = strawberry.field(description="Short content.")
    channel: AppealChannel = strawberry.field(description="How it reached the agency.")
    centre: str | None = strawberry.field(description="ASAN centre code, for channel ASAN_CENTRE.")
    unit: str | None = strawberry.field(description="Org unit that considers it.")
    classification: Classification = strawberry.field(description="Secrecy of the appeal.")
    applicant: Applicant = strawberry.field(description="Who appeals.")
    term_days: int = strawberry.field(description="Answer term in working days: 15, or 30.")
    extra_study: bool = strawberry.field(
        description="The matter needs extra study (the longer term)."
    )
    extension_days: int = strawberry.field(description="Working days added by extensions.")
    due_date: date | None = strawberry.field(description="The answer is due by this date.")
    forward_due: date | None = strawberry.field(
        description="Outside the agency's competence, it must be forwarded by this date."
    )
    answered_at: datetime | None = strawberry.field(description="When it was answered.")
    answer: str | None = strawberry.field(description="The answer's text.")
    substantive: bool | None = strawberry.field(
        description="The answer decided the matter (mahiyyətcə cavab)."
    )
    answered_late: bool | None = strawberry.field(description="Answered after the due date.")
    forwarded_to: str | None = strawberry.field(description="Code of the competent state body.")
    forwarded_at: datetime | None = strawberry.field(description="When it was forwarded.")
    forwarded_late: bool | None = strawberry.field(description="Forwarded after forwardDue.")
    forward_reason: str | None = strawberry.field(description="Why it was forwarded.")
    unconsidered_reason: str | None = strawberry.field(
        description="Why a repeated appeal was left unconsidered."
    )
    repeat_of: strawberry.ID | None = strawberry.field(
        description="The latest earlier appeal of the same person on the same matter."
    )
    repeat_count: int = strawberry.field(
        description="Earlier appeals of the same person on the same matter (təkrar müraciət)."
    )
    sample: bool = strawberry.field(description="Sample data (never in production).")

    @strawberry.field(description="Open and past its due date today (Baku calendar).")
    def overdue(self) -> bool:
        open_ = self.status in (
            AppealStatus.REGISTERED,
            AppealStatus.IN_EXECUTION,
            AppealStatus.EXECUTED,
        )
        return open_ and self.due_date is not None and today_in_baku() > self.due_date

    @strawberry.field(
        description="The earlier appeals it repeats (the same person, the same matter) that "
        "you may see, newest first."
    )
    async def repeats(self, info: Info) -> list[Appeal]:
        found = await reads.repeated(platform_of(info), principal_of(info), str(self.document_id))
        return [Appeal.of(a) for a in found]

    @strawberry.field(
        description="The later appeals that repeat this one (the same person, the same matter) "
        "that you may see, newest first."
    )
    async def repeated_by(self, info: Info) -> list[Appeal]:
        found = await reads.repeated_by(
            platform_of(info), principal_of(info), str(self.document_id)
        )
        return [Appeal.of(a) for a in found]

    @strawberry.field(
        description="The agency's units most likely competent for this appeal (from its subject "
        "and summary matched against the units' regulations), best first, each with the "
        "clauses that matched: a suggestion for the registrar choosing `unit`."
    )
    async def suggested_units(self, info: Info, first: SuggestFirst = 3) -> list[CompetentUnit]:
        return await suggested(info, f"{self.subject}\n{self.summary or ''}", first)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Appeal | None]:
        found = await reads.appeals_by_ids(platform_of(info), principal_of(info), list(node_ids))
        return [cls.of(a) if a is not None else None for a in found]

    @classmethod
    def of(cls, a: AppealModel) -> Appeal:
        return cls(
            document_id=strawberry.ID(a.id),
            reg_number=a.reg_number,
            reg_date=a.reg_date,
            appeal_type=AppealType(a.appeal_type),
            status=AppealStatus(a.status),
            subject=a.subject,
            summary=a.summary,
            channel=AppealChannel(a.channel),
            centre=a.centre,
            unit=a.unit,
            classification=Classification(a.classification),
            applicant=Applicant(
                name=a.applicant.name, address=a.applicant.address, contact=a.applicant.contact
            ),
            term_days=a.term_days,
            extra_study=a.extra_study,
            extension_days=a.extension_days,
            due_date=a.due_date,
            forward_due=a.forward_due,
            answered_at=a.answered_at,
            answer=a.answer_text,
            substantive=a.answer_substantive,
            answered_late=a.answered_late,
            forwarded_to=a.forwarded_to,
            forwarded_at=a.forwarded_at,
            forwarded_late=a.forwarded_late,
            forward_reason=a.forward_reason,
            unconsidered_reason=a.unconsidered_reason,
            repeat_of=strawberry.ID(a.repeat_of) if a.repeat_of else None,
            repeat_count=a.repeat_count,
            sample=a.sample,
        )


@strawberry.input(description="Which appeals to list; every field narrows the list.")
class AppealFilter:
    status: AppealStatus | None = strawberry.field(default=None, description="In this state.")
    appeal_type: AppealType | None = strawberry.field(default=None, description="Of this type.")
    channel: AppealChannel | None = strawberry.field(default=None, description="Came this way.")
    centre: str | None = strawberry.field(default=None, description="Through this ASAN centre.")
    unit: str | None = strawberry.field(default=None, description="Considered by this unit.")
    overdue: bool | None = strawberry.field(
        default=None, description="true: only open appeals past their due date."
    )
    applicant: str | None = strawberry.field(
        default=None,
        description="Part of the applicant's name, typed with or without Azerbaijani letters "
        "(ə, ı, ç, ğ, ö, ş, ü) and in any case.",
    )


@strawberry.type
class AppealQuery:
    @strawberry.field(description="One appeal by its document id; null when absent or hidden.")
    async def appeal(
        self,
        info: Info,
        document_id: Annotated[
            strawberry.ID, strawberry.argument(description="The appeal's document id.")
        ],
    ) -> Appeal | None:
        found = await reads.appeal(platform_of(info), principal_of(info), str(document_id))
        return Appeal.of(found) if found is not None else None

    @strawberry.field(
        description="Citizens' appeals you may see, newest first; secret ones you may not see "
        "are absent from the page and the count."
    )
    async def appeals(
        self,
        info: Info,
        filter: Annotated[
            AppealFilter | None, strawberry.argument(description="Narrow the list.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Appeal]:
        f = filter or AppealFilter()
        criteria = reads.AppealFilter(
            status=f.status.value if f.status else None,
            appeal_type=f.appeal_type.value if f.appeal_type else None,
            channel=f.channel.value if f.channel else None,
            centre=f.centre,
            unit=f.unit,
            overdue_on=today_in_baku() if f.overdue else None,
            applicant=f.applicant,
        )
        scope = scope_of("appeals", criteria)
        request = page(first, after, 2, scope=scope)
        rows, total = await reads.appeals_page(
            platform_of(info), principal_of(info), criteria, request.after, request.limit
        )
        return build_connection(rows, request, total, lambda r: Appeal.of(r[0]), lambda r: r[1])


def _client_mutation_id() -> str | None:
    described: str | None = strawberry.field(
        default=None,
        description="Your id of this request: a repeat with the same id does nothing twice.",
    )
    return described


@strawberry.input(description="The applicant of a new appeal.")
class AppealApplicantInput:
    name: str = strawberry.field(description="Full name, as the person writes it.")
    address: str | None = strawberry.field(default=None, description="Postal address.")
    contact: str | None = strawberry.field(default=None, description="Phone or e-mail.")


@strawberry.input(description="A citizen's appeal as received; it is registered at once.")
class RegisterAppealInput:
    appeal_type: AppealType = strawberry.field(description="Numbered in the type's journal.")
    channel: AppealChannel = strawberry.field(description="How it reached the agency.")
    applicant: AppealApplicantInput = strawberry.field(description="Who appeals.")
    subject: str = strawberry.field(description="What it is about.")
    summary: str | None = strawberry.field(default=None, description="Short content.")
    unit: str | None = strawberry.field(
        default=None, description="Org unit that considers it (default: the configured one)."
    )
    centre: str | None = strawberry.field(
        default=None, description="ASAN centre code; required for channel ASAN_CENTRE."
    )
    extra_study: bool = strawberry.field(
        default=False, description="Needs extra study: the 30 working-day term from the start."
    )
    pages: int | None = strawberry.field(default=None, description="Number of pages.")
    classification: Classification = strawberry.field(
        default=Classification.PUBLIC,
        description="Secrecy (e.g. a report of corruption), checked against your clearance.",
    )
    client_mutation_id: str | None = _client_mutation_id()


@strawberry.input(description="Answer an appeal.")
class AnswerAppealInput:
    document_id: strawberry.ID = strawberry.field(description="The appeal's document id.")
    answer: str = strawberry.field(description="The answer's text.")
    substantive: bool = strawberry.field(
        description="The answer decides the matter (counts toward leaving repeats unconsidered)."
    )
    client_mutation_id: str | None = _client_mutation_id()


@strawberry.input(description="Forward an appeal outside the agency's competence.")
class ForwardAppealInput:
    document_id: strawberry.ID = strawberry.field(description="The appeal's document id.")
    state_body: str = strawberry.field(description="Code of the competent state body.")
    reason: str = strawberry.field(description="Why it is not the agency's matter.")
    client_mutation_id: str | None = _client_mutation_id()


@strawberry.input(description="Move an appeal's answer term.")
class ExtendAppealTermInput:
    document_id: strawberry.ID = strawberry.field(description="The appeal's document id.")
    reason: str = strawberry.field(description="Why the term is moved.")
    working_days: int = strawberry.field(
        default=0, description="Working days to add (at most 30 in all, configurable)."
    )
    extra_study: bool = strawberry.field(
        default=False, description="The matter needs extra study: the 30-day term."
    )
    client_mutation_id: str | None = _client_mutation_id()


@strawberry.input(description="Leave a repeated appeal without new information unconsidered.")
class LeaveAppealUnconsideredInput:
    document_id: strawberry.ID = strawberry.field(description="The appeal's document id.")
    reason: str = strawberry.field(description="The reason, recorded and shown.")
    no_new_information: bool = strawberry.field(
        description="The official confirms the appeal brings no new information."
    )
    client_mutation_id: str | None = _client_mutation_id()


@strawberry.type(description="Result of a step on an appeal.")
class AppealPayload:
    appeal: Appeal | None = strawberry.field(
        default=None, description="The appeal after the step; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Why the input was not accepted, one entry per problem; empty when it was.",
    )


async def _payload(info: Info, call: Callable[[], Awaitable[str]]) -> AppealPayload:
    document_id, errors = await attempt(call)
    if document_id is None:
        return AppealPayload(user_errors=errors)
    found = await reads.appeal(platform_of(info), principal_of(info), document_id)
    return AppealPayload(appeal=Appeal.of(found) if found is not None else None)


InputArg = strawberry.argument(description="The mutation's fields; see the input type.")


@strawberry.type
class AppealMutation:
    @strawberry.mutation(
        description="Register a citizen's appeal (registrars, intake systems): numbered in its "
        "type's journal, terms set, earlier appeals on the same matter linked."
    )
    async def register_appeal(
        self, info: Info, input: Annotated[RegisterAppealInput, InputArg]
    ) -> AppealPayload:
        appeal = NewAppeal(
            appeal_type=input.appeal_type.value,
            channel=input.channel.value,
            applicant=ApplicantModel(
                input.applicant.name, input.applicant.address, input.applicant.contact
            ),
            subject=input.subject,
            summary=input.summary,
            unit=input.unit,
            centre=input.centre,
            extra_study=input.extra_study,
            pages=input.pages,
            classification=input.classification.value,
        )
        return await _payload(
            info,
            lambda: use_cases.register_appeal(
                platform_of(info),
                principal_of(info),
                appeal,
                client_mutation_id=input.client_mutation_id,
            ),
        )

    @strawberry.mutation(description="Answer an appeal (step answer).")
    async def answer_appeal(
        self, info: Info, input: Annotated[AnswerAppealInput, InputArg]
    ) -> AppealPayload:
        return await _payload(
            info,
            lambda: use_cases.answer_appeal(
                platform_of(info),
                principal_of(info),
                str(input.document_id),
                input.answer,
                substantive=input.substantive,
                client_mutation_id=input.client_mutation_id,
            ),
        )

    @strawberry.mutation(
        description="Forward an appeal to the competent state body (step forward); late after "
        "forwardDue is recorded."
    )
    async def forward_appeal(
        self, info: Info, input: Annotated[ForwardAppealInput, InputArg]
    ) -> AppealPayload:
        return await _payload(
            info,
            lambda: use_cases.forward_appeal(
                platform_of(info),
                principal_of(info),
                str(input.document_id),
                input.state_body,
                input.reason,
                client_mutation_id=input.client_mutation_id,
            ),
        )

    @strawberry.mutation(description="Move the answer term (step extend), within the law's limit.")
    async def extend_appeal_term(
        self, info: Info, input: Annotated[ExtendAppealTermInput, InputArg]
    ) -> AppealPayload:
        return await _payload(
            info,
            lambda: use_cases.extend_appeal(
                platform_of(info),
                principal_of(info),
                str(input.document_id),
                working_days=input.working_days,
                extra_study=input.extra_study,
                reason=input.reason,
                client_mutation_id=input.client_mutation_id,
            ),
        )

    @strawberry.mutation(
        description="Leave a repeated appeal unconsidered (step leave_unconsidered): only after "
        "three substantive answers on the matter within a year, with the reason recorded."
    )
    async def leave_appeal_unconsidered(
        self, info: Info, input: Annotated[LeaveAppealUnconsideredInput, InputArg]
    ) -> AppealPayload:
        return await _payload(
            info,
            lambda: use_cases.leave_unconsidered(
                platform_of(info),
                principal_of(info),
                str(input.document_id),
                input.reason,
                no_new_information=input.no_new_information,
                client_mutation_id=input.client_mutation_id,
            ),
        )


QUERIES: list[type] = [AppealQuery]
MUTATIONS: list[type] = [AppealMutation]
