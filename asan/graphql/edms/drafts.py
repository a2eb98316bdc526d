"""Drafts and visas over GraphQL: thin resolvers over ``asan.edms.drafts``.

Every mutation is one step of the document's state machine (a step in the wrong state is a
userError INVALID_TRANSITION naming the current state and the allowed steps) and accepts a
``clientMutationId`` (a repeat does nothing twice).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from asan.core.errors import DomainError, FieldError, ValidationFailed
from asan.edms.drafts import reads, use_cases, visas
from asan.edms.drafts.models import DraftInput
from asan.edms.files.settings import files_settings
from asan.graphql.edms.drafts_types import (
    CheckDraftFormInput,
    CreateDraftInput,
    DecideVisaInput,
    DraftStepInput,
    DraftType,
    FormCheckOutcome,
    NewDraftVersionInput,
    PendingVisa,
    ReturnDraftFromSignatureInput,
    SetVisaRouteInput,
    VisaStepType,
)
from asan.graphql.errors import UserError
from asan.graphql.mutation import attempt
from asan.graphql.request import graphql_error, platform_of, principal_of


@strawberry.type(description="The draft after the step, or the userErrors that stopped it.")
class DraftPayload:
    document_id: str | None = strawberry.field(default=None, description="The draft's id.")
    status: str | None = strawberry.field(default=None, description="Its status now.")
    draft: DraftType | None = strawberry.field(default=None, description="The draft as it is now.")
    user_errors: list[UserError] = strawberry.field(
        default_factory=list, description="Input problems (nothing was changed)."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description="As sent.")


@strawberry.type(description="The visa recorded and the draft after it, or the userErrors.")
class VisaPayload:
    visa_id: str | None = strawberry.field(default=None, description="The visa recorded.")
    status: str | None = strawberry.field(
        default=None,
        description="The draft's status now: on_visa, returned (rejected) or form_check "
        "(every stage done).",
    )
    draft: DraftType | None = strawberry.field(default=None, description="The draft as it is now.")
    user_errors: list[UserError] = strawberry.field(
        default_factory=list, description="Input problems (nothing was changed)."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description="As sent.")


@strawberry.type(description="The registrar's verdict and every reason, or the userErrors.")
class DraftFormCheckPayload:
    outcome: FormCheckOutcome | None = strawberry.field(default=None, description="Verdict.")
    reasons: list[str] = strawberry.field(
        default_factory=list, description="Every problem found; the draft went back with them."
    )
    status: str | None = strawberry.field(
        default=None, description="The draft's status now: to_sign or returned."
    )
    draft: DraftType | None = strawberry.field(default=None, description="The draft as it is now.")
    user_errors: list[UserError] = strawberry.field(
        default_factory=list, description="Input problems (nothing was changed)."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description="As sent.")


async def _file(upload: Any) -> use_cases.DraftFile | None:
    """The bytes of an uploaded file, refused when over the files part's size limit."""
    if upload is None:
        return None
    if not callable(getattr(upload, "read", None)):
        raise ValidationFailed(
            [
                FieldError(
                    "file",
                    "fayl multipart sorğu ilə göndərilməlidir / send the file as "
                    "a part of a multipart request",
                )
            ]
        )
    limit = files_settings().max_bytes
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationFailed(
            [FieldError("file", f"fayl {limit} baytdan böyükdür / file exceeds {limit} bytes")]
        )
    return use_cases.DraftFile(
        bytes(data), str(getattr(upload, "filename", None) or "draft"), upload.content_type
    )


async def _draft(info: Info, document_id: str | None) -> DraftType | None:
    if document_id is None:
        return None
    try:
        return DraftType.of(
            await reads.draft_view(platform_of(info), principal_of(info), document_id)
        )
    except DomainError:
        return None  # the caller may no longer read it (e.g. a visa holder's last step)


async def _step(
    info: Info, cmid: str | None, call: Callable[[], Awaitable[dict[str, Any]]]
) -> DraftPayload:
    result, errors = await attempt(call)
    if result is None:
        return DraftPayload(user_errors=errors, client_mutation_id=cmid)
    doc = result["documentId"]
    return DraftPayload(
        document_id=doc,
        status=result["status"],
        draft=await _draft(info, doc),
        client_mutation_id=cmid,
    )


_INPUT = strawberry.argument(description="The mutation's fields; see the input type.")


@strawberry.type
class DraftsQuery:
    @strawberry.field(
        description="A draft's addressees, visa route, visas and form checks; null when there "
        "is no such draft or the caller may not read it."
    )
    async def draft(
        self,
        info: Info,
        document_id: Annotated[str, strawberry.argument(description="The document's id.")],
    ) -> DraftType | None:
        return await _draft(info, document_id)

    @strawberry.field(
        description="Visa steps waiting for the caller's decision now (their own, and those "
        "of the person they act for within a delegation), oldest draft first; at most 200."
    )
    async def my_pending_visas(self, info: Info) -> list[PendingVisa]:
        try:
            found = await reads.pending_visas(platform_of(info), principal_of(info))
        except DomainError as exc:
            raise graphql_error(exc) from exc
        return [PendingVisa(document_id=p.document_id, step=VisaStepType.of(p.step)) for p in found]


@strawberry.type
class DraftsMutation:
    @strawberry.mutation(
        description="A new draft (status draft, version 1) in the caller's unit, with its "
        "addressees, optionally its visa route and its file."
    )
    async def create_draft(
        self, info: Info, input: Annotated[CreateDraftInput, _INPUT]
    ) -> DraftPayload:
        async def call() -> dict[str, Any]:
            draft = DraftInput(
                kind=str(input.kind.value),
                subject=input.subject,
                unit=input.unit,
                summary=input.summary,
                addressees=tuple(a.to_model() for a in input.addressees),
                attachments=input.attachments,
                attachment_titles=tuple(input.attachment_titles),
                language=input.language,
                classification=input.classification,
                case_index=input.case_index,
                route=input.route.to_model() if input.route is not None else None,
            )
            document_id = await use_cases.create_draft(
                platform_of(info),
                principal_of(info),
                draft,
                file=await _file(input.file),
                client_mutation_id=input.client_mutation_id,
            )
            return {"documentId": document_id, "status": "draft"}

        return await _step(info, input.client_mutation_id, call)

    @strawberry.mutation(
        description="Set or replace the visa route of a draft with its unit (draft or "
        "returned); refused for an order without legal expertise."
    )
    async def set_draft_visa_route(
        self, info: Info, input: Annotated[SetVisaRouteInput, _INPUT]
    ) -> DraftPayload:
        return await _step(
            info,
            input.client_mutation_id,
            lambda: use_cases.set_visa_route(
                platform_of(info),
                principal_of(info),
                input.document_id,
                input.route.to_model(),
                client_mutation_id=input.client_mutation_id,
            ),
        )

    @strawberry.mutation(
        description="Send a draft to visa (draft -> on_visa): the first stage's steps are pending."
    )
    async def send_draft_to_visa(
        self, info: Info, input: Annotated[DraftStepInput, _INPUT]
    ) -> DraftPayload:
        return await _step(
            info,
            input.client_mutation_id,
            lambda: use_cases.send_to_visa(
                platform_of(info),
                principal_of(info),
                input.document_id,
                client_mutation_id=input.client_mutation_id,
            ),
        )

    @strawberry.mutation(
        description="A visa on the holder's step: approve, approve with remarks, or reject "
        "with reasons (on_visa -> returned). The last approval moves the draft to form_check."
    )
    async def decide_visa(
        self, info: Info, input: Annotated[DecideVisaInput, _INPUT]
    ) -> VisaPayload:
        cmid = input.client_mutation_id
        result, errors = await attempt(
            lambda: visas.decide_visa(
                platform_of(info),
                principal_of(info),
                input.document_id,
                input.step_id,
                str(input.decision.value),
                remarks=input.remarks,
                reasons=input.reasons,
                client_mutation_id=cmid,
            )
        )
        if result is None:
            return VisaPayload(user_errors=errors, client_mutation_id=cmid)
        return VisaPayload(
            visa_id=result["visaId"],
            status=result["status"],
            draft=await _draft(info, result["documentId"]),
            client_mutation_id=cmid,
        )

    @strawberry.mutation(
        description="A new version of a draft (returned -> draft, or draft stays draft): the "
        "steps the route says restart are asked again; earlier visas stay in the history."
    )
    async def new_draft_version(
        self, info: Info, input: Annotated[NewDraftVersionInput, _INPUT]
    ) -> DraftPayload:
        async def call() -> dict[str, Any]:
            change = use_cases.NewVersion(
                file=await _file(input.file),
                subject=input.subject,
                attachments=input.attachments,
                attachment_titles=(
                    tuple(input.attachment_titles) if input.attachment_titles is not None else None
                ),
                addressees=(
                    tuple(a.to_model() for a in input.addressees)
                    if input.addressees is not None
                    else None
                ),
                comment=input.comment,
            )
            return await use_cases.new_draft_version(
                platform_of(info),
                principal_of(info),
                input.document_id,
                change,
                client_mutation_id=input.client_mutation_id,
            )

        return await _step(info, input.client_mutation_id, call)

    @strawberry.mutation(
        description="The registrar checks the form (form_check -> to_sign, or -> returned "
        "with every reason: missing visas, attachments, invalid addressees, own findings)."
    )
    async def check_draft_form(
        self, info: Info, input: Annotated[CheckDraftFormInput, _INPUT]
    ) -> DraftFormCheckPayload:
        cmid = input.client_mutation_id
        result, errors = await attempt(
            lambda: use_cases.check_form(
                platform_of(info),
                principal_of(info),
                input.document_id,
                reasons=input.reasons,
                client_mutation_id=cmid,
            )
        )
        if result is None:
            return DraftFormCheckPayload(user_errors=errors, client_mutation_id=cmid)
        return DraftFormCheckPayload(
            outcome=FormCheckOutcome(result["outcome"]),
            reasons=list(result["reasons"]),
            status=result["status"],
            draft=await _draft(info, result["documentId"]),
            client_mutation_id=cmid,
        )

    @strawberry.mutation(
        description="The signatory (or their acting deputy) returns a draft unsigned "
        "(to_sign -> returned) with reasons."
    )
    async def return_draft_from_signature(
        self, info: Info, input: Annotated[ReturnDraftFromSignatureInput, _INPUT]
    ) -> DraftPayload:
        return await _step(
            info,
            input.client_mutation_id,
            lambda: visas.return_from_signature(
                platform_of(info),
                principal_of(info),
                input.document_id,
                input.reasons,
                client_mutation_id=input.client_mutation_id,
            ),
        )


QUERIES: list[type] = [DraftsQuery]
MUTATIONS: list[type] = [DraftsMutation]
