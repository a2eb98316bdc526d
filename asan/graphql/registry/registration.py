"""GraphQL of the registration procedure (qeydiyyat): requests, reviews, change requests.

A state body submits a draft service for registration, or proposes a revision of its published
service as data (``submitChangeRequest``); the agency (ASAN xidmət) and, where recorded, the
body responsible for a legal act of the service review it, each with its own decision and
deadline. Resolvers are thin: the use cases are ``asan.registry.catalog.service``'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.relay import GlobalID
from strawberry.relay.types import GlobalIDValueError
from strawberry.types import Info

from asan.core.errors import DomainError
from asan.graphql.errors import UserError
from asan.graphql.mutation import CLIENT_MUTATION_ID, attempt
from asan.graphql.registry.inputs import UpdateServiceInput
from asan.graphql.registry.nodes import ServiceNode, service_node
from asan.graphql.registry.registration_types import (
    Defect,
    FieldChange,
    RegistrationRequestKind,
    RegistrationRequestStatus,
    RequestReview,
    ReviewDecision,
    ReviewVerdict,
)
from asan.graphql.relay import Connection, build_connection
from asan.graphql.request import graphql_error as _graphql_error
from asan.graphql.request import page as _page
from asan.graphql.request import platform_of as _platform
from asan.graphql.request import principal_of as _principal
from asan.registry.catalog import models as m
from asan.registry.catalog import service as catalog
from asan.registry.catalog.registration import reads


@strawberry.type(
    name="RegistrationRequest",
    description="A registration request (qeydiyyat müraciəti) of a service by its state body.",
)
class RegistrationRequestNode(relay.Node):
    _id_attr = "request_id"
    request_id: str = strawberry.field(
        description="The request's own id (also accepted wherever a `requestId` is asked)."
    )
    kind: RegistrationRequestKind = strawberry.field(description="What it asks for.")
    status: RegistrationRequestStatus = strawberry.field(description="Where it stands.")
    service_code: str = strawberry.field(description="Code of the service it concerns.")
    state_body_code: str = strawberry.field(description="Code of the body that submitted it.")
    submitted_at: datetime = strawberry.field(description="Last (re)submission.")
    review_due: date = strawberry.field(description="The agency's review deadline.")
    defects: list[str] = strawberry.field(description="Defects of the last return.")
    fix_due: date | None = strawberry.field(description="Deadline to fix after a return.")
    decided_at: datetime | None = strawberry.field(description="Last decision.")
    summary: str = strawberry.field(description="The body's description of the change.")
    resubmissions: int = strawberry.field(description="How often it was resubmitted.")
    reviews: list[RequestReview] = strawberry.field(
        description="Each required reviewer's decision: the agency first, then bodies."
    )
    defect_details: list[Defect] = strawberry.field(
        description="The defects of the last return with the field each names, if any."
    )
    record: strawberry.Private[m.RegistrationRequest]

    @classmethod
    def of(cls, r: m.RegistrationRequest) -> RegistrationRequestNode:
        names = list(r.defect_fields) + [""] * (len(r.defects) - len(r.defect_fields))
        return cls(
            request_id=r.id,
            kind=RegistrationRequestKind(r.kind),
            status=RegistrationRequestStatus(r.status),
            service_code=r.service,
            state_body_code=r.state_body,
            submitted_at=r.submitted_at,
            review_due=r.review_due,
            defects=list(r.defects),
            fix_due=r.fix_due,
            decided_at=r.decided_at,
            summary=r.summary,
            resubmissions=r.resubmissions,
            reviews=[
                RequestReview(
                    reviewer=v.reviewer,
                    decision=ReviewDecision(v.decision),
                    due=v.due,
                    decided_at=v.decided_at,
                    defects=list(v.defects),
                    overdue=v.overdue,
                )
                for v in r.reviews
            ],
            defect_details=[
                Defect(field=name or None, text=text)
                for name, text in zip(names, r.defects, strict=False)
            ],
            record=r,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[RegistrationRequestNode | None]:
        ids = list(node_ids)
        found = await reads.requests_by_ids(_platform(info), _principal(info), ids)
        return [cls.of(found[i]) if i in found else None for i in ids]

    @strawberry.field(description="The service it concerns (null when not visible).")
    async def service(self, info: Info) -> ServiceNode | None:
        return await service_node(info, self.service_code)

    @strawberry.field(
        description="Field by field, the published value and the proposed one (change "
        "requests with content; empty otherwise). A registered request shows what it changed."
    )
    async def diff(self, info: Info) -> list[FieldChange]:
        rows = await reads.request_diff(_platform(info), self.record)
        return [
            FieldChange(
                field=d.field,
                current=d.current,
                proposed=d.proposed,
                added=list(d.added),
                removed=list(d.removed),
            )
            for d in rows
        ]


# --------------------------------------------------------------------------------- inputs


@strawberry.input(description="A defect that points at one field of the proposed content.")
class FieldDefectInput:
    field: str = strawberry.field(description="API name of the service field, e.g. `feeAmount`.")
    text: str = strawberry.field(description="What is wrong.")


@strawberry.input(description="Submit a draft for registration (or a change, by summary).")
class SubmitServiceInput:
    service_code: str = strawberry.field(description="Code of the body's service.")
    summary: str = strawberry.field(
        default="", description="Required for a change request without content."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.input(description="The agency registers a submitted request.")
class RegisterServiceInput:
    request_id: str = strawberry.field(description="The request's id or global id.")
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.input(description="The agency returns a submitted request with its defects.")
class ReturnServiceInput:
    request_id: str = strawberry.field(description="The request's id or global id.")
    defects: list[str] = strawberry.field(description="Defects that name no single field.")
    field_defects: list[FieldDefectInput] = strawberry.field(
        default_factory=list, description="Defects that point at one field."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.input(
    description="A body proposes new content for its published service. Partial: `changes` "
    "names the service by `code` and gives only the fields being changed (a given list "
    "replaces the whole list; `clearOnlineUrl` / `clearProcessingDays` set them to null). "
    "A returned request of the service is resubmitted with this content."
)
class SubmitChangeRequestInput:
    changes: UpdateServiceInput = strawberry.field(description="The proposed fields.")
    summary: str = strawberry.field(default="", description="Why, in the body's words.")
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.input(description="A body responsible for a legal basis decides its review.")
class ReviewRegistrationRequestInput:
    request_id: str = strawberry.field(description="The request's id or global id.")
    decision: ReviewVerdict = strawberry.field(description="Approve, or return with defects.")
    defects: list[str] = strawberry.field(
        default_factory=list, description="When returning: defects that name no field."
    )
    field_defects: list[FieldDefectInput] = strawberry.field(
        default_factory=list, description="When returning: defects that point at one field."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.input(description="Record which state body is responsible for a legal act.")
class SetLegalActResponsibleBodyInput:
    act_code: str = strawberry.field(description="Code of the legal act.")
    state_body: str | None = strawberry.field(
        default=None, description="Code of the responsible body; null clears it."
    )


# --------------------------------------------------------------------------------- payloads


@strawberry.type(description="The request after the step, or the userErrors that stopped it.")
class RegistrationPayload:
    registration_request: RegistrationRequestNode | None = strawberry.field(
        default=None, description="The request as it is now."
    )
    service: ServiceNode | None = strawberry.field(
        default=None, description="The service it concerns, as it is now."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list, description="Input problems (nothing was changed)."
    )


@strawberry.type(description="The legal act's responsible body, or the userErrors.")
class LegalActResponsibleBodyPayload:
    act_code: str | None = strawberry.field(default=None, description="The legal act.")
    state_body_code: str | None = strawberry.field(
        default=None, description="Its responsible body now (null: none)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list, description="Input problems (nothing was changed)."
    )


# --------------------------------------------------------------------------------- helpers


def request_id_of(value: str) -> str:
    """A request id, given raw or as the request's global id."""
    try:
        gid = GlobalID.from_id(value)
    except (GlobalIDValueError, ValueError, UnicodeError):
        return value
    return gid.node_id if gid.type_name == "RegistrationRequest" else value


def _field_defects(items: Sequence[FieldDefectInput]) -> list[tuple[str, str]]:
    return [(d.field, d.text) for d in items]


async def _payload(
    info: Info, request: m.RegistrationRequest | None, errors: list[UserError]
) -> RegistrationPayload:
    if request is None:
        return RegistrationPayload(user_errors=errors)
    return RegistrationPayload(
        registration_request=RegistrationRequestNode.of(request),
        service=await service_node(info, request.service),
    )


async def _connection(
    info: Info,
    first: int | None,
    after: str | None,
    *,
    state_body: str | None,
    status: RegistrationRequestStatus | None = None,
    overdue: bool = False,
    reviewer: str | None = None,
) -> Connection[RegistrationRequestNode]:
    page = _page(first, after, 2)
    try:
        result = await catalog.requests_page(
            _platform(info),
            _principal(info),
            body=state_body,
            status=str(status.value) if status else None,
            overdue=overdue,
            reviewer=reviewer,
            after=page.after,
            limit=page.limit,
        )
    except DomainError as exc:
        raise _graphql_error(exc) from exc
    return build_connection(
        result.rows, page, result.total, RegistrationRequestNode.of, reads.sort_key
    )


# --------------------------------------------------------------------------------- root fields

_First = Annotated[int | None, strawberry.argument(description="Page size, at most 100.")]
_After = Annotated[str | None, strawberry.argument(description="The cursor to continue after.")]
_Reviewer = Annotated[
    str | None,
    strawberry.argument(
        description="Only requests this reviewer reviews: a state body's code (its editors see "
        "them whichever body submitted them) or `agency`."
    ),
]
_INPUT = strawberry.argument(description="The mutation's fields; see the input type.")
_Body = Annotated[str | None, strawberry.argument(description="Only this body's requests (code).")]


@strawberry.type
class RegistrationQuery:
    @strawberry.field(
        description="Registration requests by body and status, nearest deadline first "
        "(keyset paging). A body's editor sees their own body's; reviewers see all."
    )
    async def registration_requests(
        self,
        info: Info,
        first: _First = None,
        after: _After = None,
        state_body: _Body = None,
        status: Annotated[
            RegistrationRequestStatus | None,
            strawberry.argument(description="Only requests in this status."),
        ] = None,
        reviewer: _Reviewer = None,
    ) -> Connection[RegistrationRequestNode]:
        return await _connection(
            info, first, after, state_body=state_body, status=status, reviewer=reviewer
        )

    @strawberry.field(
        description="Registration requests past their review (agency) or fix (body) deadline "
        "as of today in Baku, nearest deadline first (keyset paging)."
    )
    async def overdue_registration_requests(
        self,
        info: Info,
        first: _First = None,
        after: _After = None,
        state_body: _Body = None,
    ) -> Connection[RegistrationRequestNode]:
        return await _connection(
            info,
            first,
            after,
            state_body=state_body,
            overdue=True,
        )


@strawberry.type
class RegistrationMutation:
    @strawberry.mutation(
        description="A body submits its draft service for registration (or, deprecated for "
        "changes, a change described only by `summary`; use `submitChangeRequest`)."
    )
    async def submit_service_registration(
        self, info: Info, input: Annotated[SubmitServiceInput, _INPUT]
    ) -> RegistrationPayload:
        request, errors = await attempt(
            lambda: catalog.submit_service(
                _platform(info),
                _principal(info),
                input.service_code,
                summary=input.summary,
                client_mutation_id=input.client_mutation_id,
            )
        )
        return await _payload(info, request, errors)

    @strawberry.mutation(
        description="A body proposes a revision of its published service as data; each "
        "required reviewer sees a field-by-field `diff`."
    )
    async def submit_change_request(
        self, info: Info, input: Annotated[SubmitChangeRequestInput, _INPUT]
    ) -> RegistrationPayload:
        changes = input.changes
        clear = tuple(
            name
            for name, flag in (
                ("online_url", changes.clear_online_url),
                ("processing_days", changes.clear_processing_days),
            )
            if flag
        )
        request, errors = await attempt(
            lambda: catalog.submit_change(
                _platform(info),
                _principal(info),
                changes.to_patch(),
                summary=input.summary,
                clear=clear,
                client_mutation_id=input.client_mutation_id,
            )
        )
        return await _payload(info, request, errors)

    @strawberry.mutation(
        description="The agency registers a submitted request (publishes the service, or "
        "applies the change); refused while another required review is not approved, or "
        "when the service changed since the request was made (CONFLICT naming the fields)."
    )
    async def register_service(
        self, info: Info, input: Annotated[RegisterServiceInput, _INPUT]
    ) -> RegistrationPayload:
        request, errors = await attempt(
            lambda: catalog.register_request(
                _platform(info),
                _principal(info),
                request_id_of(input.request_id),
                client_mutation_id=input.client_mutation_id,
            )
        )
        return await _payload(info, request, errors)

    @strawberry.mutation(description="The agency returns a submitted request with its defects.")
    async def return_service_registration(
        self, info: Info, input: Annotated[ReturnServiceInput, _INPUT]
    ) -> RegistrationPayload:
        request, errors = await attempt(
            lambda: catalog.return_request(
                _platform(info),
                _principal(info),
                request_id_of(input.request_id),
                input.defects,
                field_defects=_field_defects(input.field_defects),
                client_mutation_id=input.client_mutation_id,
            )
        )
        return await _payload(info, request, errors)

    @strawberry.mutation(
        description="A body responsible for a legal act of the service approves its review "
        "or returns the request with defects."
    )
    async def review_registration_request(
        self, info: Info, input: Annotated[ReviewRegistrationRequestInput, _INPUT]
    ) -> RegistrationPayload:
        request, errors = await attempt(
            lambda: catalog.review_request(
                _platform(info),
                _principal(info),
                request_id_of(input.request_id),
                approve=input.decision is ReviewVerdict.APPROVE,
                defects=input.defects,
                field_defects=_field_defects(input.field_defects),
                client_mutation_id=input.client_mutation_id,
            )
        )
        return await _payload(info, request, errors)

    @strawberry.mutation(
        description="The registry records the state body responsible for a legal act; it then "
        "reviews registration requests of services based on that act."
    )
    async def set_legal_act_responsible_body(
        self, info: Info, input: Annotated[SetLegalActResponsibleBodyInput, _INPUT]
    ) -> LegalActResponsibleBodyPayload:
        body, errors = await attempt(
            lambda: catalog.set_responsible_body(
                _platform(info), _principal(info), input.act_code, input.state_body
            )
        )
        if errors:
            return LegalActResponsibleBodyPayload(user_errors=errors)
        return LegalActResponsibleBodyPayload(act_code=input.act_code, state_body_code=body)
