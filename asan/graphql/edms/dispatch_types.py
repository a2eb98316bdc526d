"""GraphQL types of dispatch and inter-agency delivery (enums, objects, inputs, payloads)."""

from __future__ import annotations

import datetime as dt
import enum

import strawberry
from strawberry.file_uploads import Upload

from asan.edms.dispatch import models as md
from asan.edms.dispatch import reads
from asan.graphql.described import value
from asan.graphql.edms.drafts_types import AddresseeKind
from asan.graphql.errors import UserError

CMID = "Repeat the request with the same id: it is done once (the first answer is returned)."


@strawberry.enum(name="DeliveryMethod", description="How a document travels to an addressee.")
class DeliveryMethod(enum.Enum):
    SYSTEM = value(
        md.SYSTEM,
        "Electronically to the body's system through its webhook (elektron sənəd mübadiləsi); "
        "only for bodies with a document endpoint, and for the agency's units.",
    )
    EMAIL = value(md.EMAIL, "By e-mail (recorded; the registrar records the outcome).")
    POST = value(md.POST, "By post (poçt), to the postal address.")
    COURIER = value(md.COURIER, "By courier (kuryer).")
    HAND = value(md.HAND, "Handed over against signature (əldən).")


@strawberry.enum(name="DispatchStatus", description="Where one addressee's line stands.")
class DispatchStatus(enum.Enum):
    PLANNED = value(md.PLANNED, "On the mailing list; the document is not dispatched yet.")
    SENT = value(md.SENT, "Sent (göndərilib) on `sentAt`.")
    DELIVERED = value(md.DELIVERED, "Delivered (çatdırılıb) on `deliveredAt`.")
    RETURNED = value(md.RETURNED, "Returned or refused (qaytarılıb) on `returnedAt`; see `reason`.")


@strawberry.enum(name="DispatchOutcome", description="What became of a sent line.")
class DispatchOutcome(enum.Enum):
    DELIVERED = value(md.DELIVERED, "It reached the addressee.")
    RETURNED = value(md.RETURNED, "It came back (wrong address, refused, ...): give the reason.")


@strawberry.type(
    name="DispatchEntry",
    description="One addressee of a document: a mailing-list line (PLANNED) before dispatch, a "
    "line of the dispatch register (göndəriş reyestri) after, with its status and dates.",
)
class DispatchEntryType:
    id: strawberry.ID = strawberry.field(description="The line's id (`de_...`), the delivery id.")
    document_id: strawberry.ID = strawberry.field(description="The document's id.")
    position: int = strawberry.field(description="Order on the mailing list, from 0.")
    addressee_kind: AddresseeKind = strawberry.field(description="Whom it addresses.")
    method: DeliveryMethod = strawberry.field(description="How it travels.")
    status: DispatchStatus = strawberry.field(description="Where it stands.")
    state_body: str | None = strawberry.field(description="State body code (STATE_BODY).")
    org_unit: str | None = strawberry.field(description="Agency unit code (ORG_UNIT).")
    name: str | None = strawberry.field(description="Organisation's or person's name.")
    address: str | None = strawberry.field(description="Postal address.")
    email: str | None = strawberry.field(description="E-mail address (EMAIL).")
    note: str | None = strawberry.field(description="A note for the records office.")
    sent_at: dt.datetime | None = strawberry.field(description="When it was sent (UTC).")
    delivered_at: dt.datetime | None = strawberry.field(description="When it was delivered.")
    returned_at: dt.datetime | None = strawberry.field(description="When it came back.")
    reason: str | None = strawberry.field(description="Why it came back or was refused.")
    tracking_number: str | None = strawberry.field(description="Post or courier tracking number.")
    sha256: str | None = strawberry.field(description="SHA-256 of the file version sent.")
    file_id: strawberry.ID | None = strawberry.field(description="The file version sent.")
    acknowledged_by: str | None = strawberry.field(
        description="The addressee system's account that acknowledged (SYSTEM lines)."
    )
    reply_document_id: strawberry.ID | None = strawberry.field(
        description="A document the addressee sent back in reply (`sendDocumentToAgency`)."
    )

    @classmethod
    def of(cls, e: md.DispatchEntry) -> DispatchEntryType:
        return cls(
            id=strawberry.ID(e.id),
            document_id=strawberry.ID(e.document_id),
            position=e.position,
            addressee_kind=AddresseeKind(e.kind),
            method=DeliveryMethod(e.method),
            status=DispatchStatus(e.status),
            state_body=e.state_body,
            org_unit=e.org_unit,
            name=e.name,
            address=e.address,
            email=e.email,
            note=e.note,
            sent_at=e.sent_at,
            delivered_at=e.delivered_at,
            returned_at=e.returned_at,
            reason=e.reason,
            tracking_number=e.tracking,
            sha256=e.sha256,
            file_id=strawberry.ID(e.file_id) if e.file_id else None,
            acknowledged_by=e.acknowledged_by,
            reply_document_id=strawberry.ID(e.reply_document_id) if e.reply_document_id else None,
        )


@strawberry.type(
    name="DocumentDelivery",
    description="A document the agency sent to the caller's state body (sənədin çatdırılması), "
    "as that body's system sees it: registration, the file's hash and where to fetch it.",
)
class DocumentDeliveryType:
    id: strawberry.ID = strawberry.field(description="The delivery id (as in the webhook event).")
    status: DispatchStatus = strawberry.field(description="SENT until acknowledged.")
    sent_at: dt.datetime | None = strawberry.field(description="When it was sent (UTC).")
    delivered_at: dt.datetime | None = strawberry.field(description="When it was acknowledged.")
    returned_at: dt.datetime | None = strawberry.field(description="When it was refused.")
    reason: str | None = strawberry.field(description="Why it was refused.")
    document_id: strawberry.ID = strawberry.field(description="The agency's document id.")
    reg_number: str | None = strawberry.field(description="Registration number (qeydiyyat №).")
    reg_date: dt.date | None = strawberry.field(description="Registration date.")
    subject: str | None = strawberry.field(description="Subject (mövzu) of the document.")
    filename: str | None = strawberry.field(description="The file's name (display only).")
    content_type: str | None = strawberry.field(description="The file's media type.")
    size: int | None = strawberry.field(description="The file's size in bytes.")
    sha256: str | None = strawberry.field(description="SHA-256 of the file: check what you fetch.")
    fetch_path: str = strawberry.field(
        description="GET this path with the body's bearer token (scope `edms.delivery`) for the "
        "bytes; the response's `X-Content-SHA256` repeats the hash."
    )

    @classmethod
    def of(cls, d: reads.DeliveredDocument) -> DocumentDeliveryType:
        e = d.entry
        reg_date = d.reg_date.to_native() if hasattr(d.reg_date, "to_native") else d.reg_date
        return cls(
            id=strawberry.ID(e.id),
            status=DispatchStatus(e.status),
            sent_at=e.sent_at,
            delivered_at=e.delivered_at,
            returned_at=e.returned_at,
            reason=e.reason,
            document_id=strawberry.ID(d.document_id),
            reg_number=d.reg_number,
            reg_date=reg_date if isinstance(reg_date, dt.date) else None,
            subject=d.subject,
            filename=d.filename,
            content_type=d.content_type,
            size=d.size,
            sha256=e.sha256,
            fetch_path=f"/edms/deliveries/{e.id}/file",
        )


@strawberry.input(name="MailingListLineInput", description="One line of a mailing list.")
class MailingListLineInput:
    kind: AddresseeKind = strawberry.field(description="Whom it addresses.")
    method: DeliveryMethod = strawberry.field(description="How it travels.")
    state_body: str | None = strawberry.field(default=None, description="Body code (STATE_BODY).")
    org_unit: str | None = strawberry.field(default=None, description="Unit code (ORG_UNIT).")
    name: str | None = strawberry.field(default=None, description="Organisation's/person's name.")
    address: str | None = strawberry.field(default=None, description="Postal address.")
    email: str | None = strawberry.field(default=None, description="E-mail address (EMAIL).")
    note: str | None = strawberry.field(default=None, description="A note for the records office.")


@strawberry.input(name="SetMailingListInput", description="A document's whole mailing list.")
class SetMailingListInput:
    document_id: strawberry.ID = strawberry.field(description="The document (not yet dispatched).")
    addressees: list[MailingListLineInput] = strawberry.field(
        description="Every addressee, in order; replaces the list."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CMID)


@strawberry.input(name="DispatchDocumentInput", description="Dispatch a signed document.")
class DispatchDocumentInput:
    document_id: strawberry.ID = strawberry.field(description="The signed document.")
    client_mutation_id: str | None = strawberry.field(default=None, description=CMID)


@strawberry.input(name="RecordDispatchOutcomeInput", description="What became of a sent line.")
class RecordDispatchOutcomeInput:
    entry_id: strawberry.ID = strawberry.field(description="The register line (`de_...`).")
    outcome: DispatchOutcome = strawberry.field(description="Delivered or returned.")
    at: dt.datetime | None = strawberry.field(default=None, description="When; default now.")
    reason: str | None = strawberry.field(default=None, description="Why (required: RETURNED).")
    tracking_number: str | None = strawberry.field(default=None, description="Tracking number.")
    client_mutation_id: str | None = strawberry.field(default=None, description=CMID)


@strawberry.input(
    name="AcknowledgeDocumentDeliveryInput",
    description="The addressee system's answer to a delivery.",
)
class AcknowledgeDocumentDeliveryInput:
    delivery_id: strawberry.ID = strawberry.field(description="The delivery id from the event.")
    accepted: bool = strawberry.field(
        default=True, description="true: received (DELIVERED); false: refused (RETURNED)."
    )
    reason: str | None = strawberry.field(default=None, description="Why refused (required).")
    client_mutation_id: str | None = strawberry.field(default=None, description=CMID)


@strawberry.input(
    name="SendDocumentToAgencyInput",
    description="A document a state body's system sends to the agency (daxil olan sənəd).",
)
class SendDocumentToAgencyInput:
    subject: str = strawberry.field(description="Subject (mövzu).")
    number: str = strawberry.field(description="The sender's own registration number.")
    date: dt.date = strawberry.field(description="The sender's registration date.")
    file: Upload = strawberry.field(
        description="The document (multipart request with the `X-Asan-CSRF` header)."
    )
    summary: str | None = strawberry.field(default=None, description="Short content (xülasə).")
    pages: int | None = strawberry.field(default=None, description="Number of pages.")
    language: str | None = strawberry.field(default=None, description="az, en, ru or other.")
    in_reply_to: strawberry.ID | None = strawberry.field(
        default=None, description="The delivery id this answers, if any."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CMID)


@strawberry.type(name="DispatchPayload", description="The document's register after the step.")
class DispatchPayload:
    document_id: strawberry.ID | None = strawberry.field(description="The document's id.")
    entries: list[DispatchEntryType] = strawberry.field(
        description="The mailing list / dispatch register, in order (empty on errors)."
    )
    user_errors: list[UserError] = strawberry.field(description="Input problems.")
    client_mutation_id: str | None = strawberry.field(description="As sent.")


@strawberry.type(name="DispatchEntryPayload", description="A register line after the change.")
class DispatchEntryPayload:
    entry: DispatchEntryType | None = strawberry.field(description="The line.")
    user_errors: list[UserError] = strawberry.field(description="Input problems.")
    client_mutation_id: str | None = strawberry.field(description="As sent.")


@strawberry.type(name="DocumentDeliveryPayload", description="The delivery after the answer.")
class DocumentDeliveryPayload:
    delivery: DocumentDeliveryType | None = strawberry.field(description="The delivery.")
    user_errors: list[UserError] = strawberry.field(description="Input problems.")
    client_mutation_id: str | None = strawberry.field(description="As sent.")


@strawberry.type(
    name="SendDocumentToAgencyPayload",
    description="The incoming document created, waiting in status RECEIVED for registration.",
)
class SendDocumentToAgencyPayload:
    document_id: strawberry.ID | None = strawberry.field(description="The new document's id.")
    sha256: str | None = strawberry.field(description="SHA-256 of the file as stored.")
    user_errors: list[UserError] = strawberry.field(description="Input problems.")
    client_mutation_id: str | None = strawberry.field(description="As sent.")
