"""Dispatch and inter-agency delivery over GraphQL (göndəriş, sənədlərin çatdırılması).

Thin resolvers over ``asan.edms.dispatch`` (use cases, delivery, reads). The agency's side:
``setMailingList``, ``dispatchDocument``, ``recordDispatchOutcome`` and ``dispatchRegister``;
the addressee body's side (its system, scope ``edms.delivery``): ``documentDeliveries``,
``documentDelivery``, ``acknowledgeDocumentDelivery`` and ``sendDocumentToAgency``.
See docs/edms-dispatch.md.
"""

from __future__ import annotations

import hashlib
from typing import Annotated

import strawberry
from strawberry.types import Info

from asan.edms.dispatch import delivery, reads, use_cases
from asan.edms.dispatch import models as md
from asan.graphql.edms.dispatch_types import (
    AcknowledgeDocumentDeliveryInput,
    DispatchDocumentInput,
    DispatchEntryPayload,
    DispatchEntryType,
    DispatchPayload,
    DispatchStatus,
    DocumentDeliveryPayload,
    DocumentDeliveryType,
    MailingListLineInput,
    RecordDispatchOutcomeInput,
    SendDocumentToAgencyInput,
    SendDocumentToAgencyPayload,
    SetMailingListInput,
)
from asan.graphql.edms.files import _upload_parts
from asan.graphql.errors import UserError
from asan.graphql.mutation import attempt
from asan.graphql.request import platform_of, principal_of


def _line(a: MailingListLineInput) -> md.AddresseeInput:
    return md.AddresseeInput(
        kind=a.kind.value,
        method=a.method.value,
        state_body=a.state_body,
        org_unit=a.org_unit,
        name=a.name,
        address=a.address,
        email=a.email,
        note=a.note,
    )


async def _register_payload(
    info: Info, document_id: str | None, errors: list[UserError], cmid: str | None
) -> DispatchPayload:
    entries: list[DispatchEntryType] = []
    if document_id is not None:
        found = await reads.dispatch_register(platform_of(info), principal_of(info), document_id)
        entries = [DispatchEntryType.of(e) for e in found]
    return DispatchPayload(
        document_id=strawberry.ID(document_id) if document_id else None,
        entries=entries,
        user_errors=errors,
        client_mutation_id=cmid,
    )


@strawberry.type
class DispatchQuery:
    @strawberry.field(
        description="A document's mailing list (before dispatch) or dispatch register (after), "
        "in order. NOT_FOUND when the caller may not read the document."
    )
    async def dispatch_register(
        self,
        info: Info,
        document_id: Annotated[strawberry.ID, strawberry.argument(description="The document.")],
    ) -> list[DispatchEntryType]:
        found = await reads.dispatch_register(
            platform_of(info), principal_of(info), str(document_id)
        )
        return [DispatchEntryType.of(e) for e in found]

    @strawberry.field(
        description="A document delivered to the caller's state body (its system or editors). "
        "NOT_FOUND for another body's delivery."
    )
    async def document_delivery(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The delivery id.")],
    ) -> DocumentDeliveryType:
        found = await reads.delivery(platform_of(info), principal_of(info), str(id))
        return DocumentDeliveryType.of(found)

    @strawberry.field(
        description="Documents delivered to the caller's state body, newest first (a system "
        "that was down catches up here as well as through its webhook)."
    )
    async def document_deliveries(
        self,
        info: Info,
        status: Annotated[
            DispatchStatus | None, strawberry.argument(description="Only this status.")
        ] = None,
        first: Annotated[int, strawberry.argument(description="At most this many, 1-100.")] = 20,
    ) -> list[DocumentDeliveryType]:
        platform, principal = platform_of(info), principal_of(info)
        entries = await reads.deliveries(
            platform, principal, status.value if status else None, max(1, first)
        )
        return [
            DocumentDeliveryType.of(await reads.delivery(platform, principal, e.id))
            for e in entries
        ]


@strawberry.type
class DispatchMutation:
    @strawberry.mutation(
        description="Replace a document's mailing list (göndəriş siyahısı) until it is "
        "dispatched. State bodies must exist in the registry; SYSTEM needs the body's document "
        "endpoint; secret documents travel only by courier, post or hand."
    )
    async def set_mailing_list(
        self,
        info: Info,
        input: Annotated[SetMailingListInput, strawberry.argument(description="The list.")],
    ) -> DispatchPayload:
        async def call() -> str:
            return await use_cases.set_mailing_list(
                platform_of(info),
                principal_of(info),
                str(input.document_id),
                [_line(a) for a in input.addressees],
                client_mutation_id=input.client_mutation_id,
            )

        document_id, errors = await attempt(call)
        return await _register_payload(info, document_id, errors, input.client_mutation_id)

    @strawberry.mutation(
        description="Dispatch a signed document (signed -> dispatched; `distribute` for internal "
        "documents and orders): every mailing-list line is sent, SYSTEM lines through the "
        "body's webhook. Without a mailing list, the draft's addressees are used."
    )
    async def dispatch_document(
        self,
        info: Info,
        input: Annotated[DispatchDocumentInput, strawberry.argument(description="Which.")],
    ) -> DispatchPayload:
        async def call() -> str:
            return await use_cases.dispatch_document(
                platform_of(info),
                principal_of(info),
                str(input.document_id),
                client_mutation_id=input.client_mutation_id,
            )

        document_id, errors = await attempt(call)
        return await _register_payload(info, document_id, errors, input.client_mutation_id)

    @strawberry.mutation(
        description="Record what became of a line sent by e-mail, post, courier or hand: "
        "delivered, or returned with the reason (SYSTEM lines are acknowledged by the system)."
    )
    async def record_dispatch_outcome(
        self,
        info: Info,
        input: Annotated[RecordDispatchOutcomeInput, strawberry.argument(description="What.")],
    ) -> DispatchEntryPayload:
        platform, principal = platform_of(info), principal_of(info)

        async def call() -> md.DispatchEntry:
            entry_id = await use_cases.record_outcome(
                platform,
                principal,
                md.Outcome(
                    entry_id=str(input.entry_id),
                    status=input.outcome.value,
                    at=input.at,
                    reason=input.reason,
                    tracking=input.tracking_number,
                ),
                client_mutation_id=input.client_mutation_id,
            )
            return await reads.entry(platform, principal, entry_id)

        entry, errors = await attempt(call)
        return DispatchEntryPayload(
            entry=DispatchEntryType.of(entry) if entry else None,
            user_errors=errors,
            client_mutation_id=input.client_mutation_id,
        )

    @strawberry.mutation(
        description="The addressee body's system acknowledges a delivery (DELIVERED) or refuses "
        "it with a reason (RETURNED). Needs scope `edms.delivery`."
    )
    async def acknowledge_document_delivery(
        self,
        info: Info,
        input: Annotated[
            AcknowledgeDocumentDeliveryInput, strawberry.argument(description="The answer.")
        ],
    ) -> DocumentDeliveryPayload:
        platform, principal = platform_of(info), principal_of(info)

        async def call() -> reads.DeliveredDocument:
            entry_id = await delivery.acknowledge_delivery(
                platform,
                principal,
                str(input.delivery_id),
                accepted=input.accepted,
                reason=input.reason,
                client_mutation_id=input.client_mutation_id,
            )
            return await reads.delivery(platform, principal, entry_id)

        found, errors = await attempt(call)
        return DocumentDeliveryPayload(
            delivery=DocumentDeliveryType.of(found) if found else None,
            user_errors=errors,
            client_mutation_id=input.client_mutation_id,
        )

    @strawberry.mutation(
        description="A state body's system sends a document to the agency: it becomes an "
        "incoming document in status RECEIVED, waiting for a registrar (`registerDocument` with "
        "its id). Needs scope `edms.delivery`."
    )
    async def send_document_to_agency(
        self,
        info: Info,
        input: Annotated[SendDocumentToAgencyInput, strawberry.argument(description="It.")],
    ) -> SendDocumentToAgencyPayload:
        platform, principal = platform_of(info), principal_of(info)

        async def call() -> tuple[str, str]:
            data, filename, declared = await _upload_parts(input.file)
            document_id = await delivery.send_document_to_agency(
                platform,
                principal,
                md.IncomingFromAgency(
                    subject=input.subject,
                    number=input.number,
                    date=input.date.isoformat(),
                    data=data,
                    filename=filename,
                    content_type=declared,
                    summary=input.summary,
                    pages=input.pages,
                    language=input.language,
                    in_reply_to=str(input.in_reply_to) if input.in_reply_to else None,
                ),
                client_mutation_id=input.client_mutation_id,
            )
            return document_id, hashlib.sha256(data or b"").hexdigest()

        done, errors = await attempt(call)
        return SendDocumentToAgencyPayload(
            document_id=strawberry.ID(done[0]) if done else None,
            sha256=done[1] if done else None,
            user_errors=errors,
            client_mutation_id=input.client_mutation_id,
        )


QUERIES: list[type] = [DispatchQuery]
MUTATIONS: list[type] = [DispatchMutation]
