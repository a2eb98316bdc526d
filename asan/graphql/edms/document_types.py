"""GraphQL types of documents and journals: the Document node, its card, enums, inputs and
payloads. Other EDMS parts reuse ``DocumentNode`` (e.g. as a field of their payloads) and
``CLIENT_MUTATION_ID`` for their inputs' ``clientMutationId``."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from asan.edms.documents import reads
from asan.edms.documents.models import DocumentCard
from asan.graphql.described import value
from asan.graphql.edms.files import DocumentFileRole, DocumentFileType, files_of_document
from asan.graphql.errors import UserError
from asan.graphql.mutation import CLIENT_MUTATION_ID
from asan.graphql.request import platform_of, principal_of

if TYPE_CHECKING:
    from asan.graphql.archive.types import CaseType

USER_ERRORS = (
    "Why the input was not accepted, one entry per problem; empty when it was. A step in the "
    "wrong state is INVALID_TRANSITION naming the current state and the allowed steps."
)


def client_mutation_id_field() -> Any:
    return strawberry.field(default=None, description=CLIENT_MUTATION_ID)


def user_errors_field() -> Any:
    return strawberry.field(default_factory=list, description=USER_ERRORS)


@strawberry.enum(description="What a document is (sənədin növü).")
class DocumentKind(enum.Enum):
    INCOMING = value("incoming", "Received from outside (daxil olan sənəd).")
    OUTGOING = value("outgoing", "Sent by the agency (göndərilən / çıxan sənəd).")
    INTERNAL = value("internal", "Within the agency (daxili sənəd).")
    ORDER = value("order", "An order or decision of the agency (əmr, qərar).")
    APPEAL = value("appeal", "A citizen's appeal (vətəndaş müraciəti, law 1308-IVQ).")


@strawberry.enum(description="Secrecy of a document (məxfilik qrifi), checked against clearance.")
class Classification(enum.Enum):
    PUBLIC = value("public", "Not classified (açıq).")
    SERVICE_SECRET = value("service_secret", "For official use only (xidməti istifadə üçün).")
    STATE_SECRET = value("state_secret", "State secret (dövlət sirri).")


@strawberry.enum(description="Who the correspondent (müxbir) of a document is.")
class CorrespondentKind(enum.Enum):
    STATE_BODY = value("state_body", "A state body from the registry, named by its code.")
    ORGANISATION = value("organisation", "Another organisation, by name.")
    PERSON = value("person", "A natural person, by name.")


@strawberry.enum(description="How a document arrived or leaves (daxilolma / göndərilmə üsulu).")
class DeliveryChannel(enum.Enum):
    MAIL = value("mail", "Post (poçt).")
    COURIER = value("courier", "Courier (kuryer).")
    EMAIL = value("email", "E-mail.")
    FAX = value("fax", "Fax (faks).")
    IN_PERSON = value("in_person", "Handed in person (şəxsən).")
    ELECTRONIC = value("electronic", "Electronic exchange with a state body's system.")
    RECEPTION = value("reception", "At the leadership's reception (qəbul).")
    WEBSITE = value("website", "The agency's website.")
    CALL_CENTRE_108 = value("call_centre_108", "The 108 call centre.")
    ASAN_CENTRE = value("asan_centre", "An ASAN service centre.")


@strawberry.enum(description="Language of a document.")
class DocumentLanguage(enum.Enum):
    AZ = value("az", "Azerbaijani.")
    EN = value("en", "English.")
    RU = value("ru", "Russian.")
    OTHER = value("other", "Another language.")


def _enum(kind: type[enum.Enum], raw: Any) -> Any:
    return kind(raw) if raw is not None else None


@strawberry.type(name="Document", description="A registered or drafted document and its card.")
class DocumentNode(relay.Node):
    _id_attr = "document_id"
    document_id: str = strawberry.field(
        description="The document's own id (use it in mutation inputs and `document(id:)`)."
    )
    kind: DocumentKind = strawberry.field(description="What the document is.")
    status: str = strawberry.field(
        description="Where it is on its way (state machine; e.g. received, registered, "
        "in_execution, executed, closed, draft, on_visa, to_sign, signed, dispatched, archived)."
    )
    allowed_steps: list[str] = strawberry.field(
        description="The steps (mutations) its current state allows."
    )
    journal_code: str | None = strawberry.field(
        description="Code of the registration journal (jurnal), e.g. INC; null: not yet."
    )
    reg_number: str | None = strawberry.field(
        description="Registration number (qeydiyyat nömrəsi); null until registered or signed."
    )
    reg_date: date | None = strawberry.field(description="Registration date (Baku).")
    subject: str = strawberry.field(description="Subject (mövzu / qısa məzmun başlığı).")
    summary: str | None = strawberry.field(description="Summary of the content (qısa məzmun).")
    pages: int | None = strawberry.field(description="Number of pages (vərəq sayı).")
    attachments: int | None = strawberry.field(description="Number of attachments (əlavələr).")
    channel: DeliveryChannel | None = strawberry.field(description="How it arrived / leaves.")
    language: DocumentLanguage | None = strawberry.field(description="Its language.")
    classification: Classification = strawberry.field(description="Its secrecy (qrif).")
    case_index: str | None = strawberry.field(
        description="Index of the case (iş) it is filed into (işlərin nomenklaturası)."
    )
    unit: str | None = strawberry.field(
        description="Code of the owning org unit (the executing unit of a draft)."
    )
    correspondent_kind: CorrespondentKind | None = strawberry.field(
        description="Who the correspondent is."
    )
    correspondent_body: str | None = strawberry.field(
        description="Code of the correspondent state body in the registry."
    )
    correspondent_name: str | None = strawberry.field(
        description="Name of the correspondent organisation or person."
    )
    correspondent_number: str | None = strawberry.field(
        description="The correspondent's own number of the document."
    )
    correspondent_date: date | None = strawberry.field(
        description="The correspondent's own date of the document."
    )
    created_at: datetime | None = strawberry.field(description="When it was created (UTC).")
    updated_at: datetime | None = strawberry.field(description="When it last changed (UTC).")
    sample: bool = strawberry.field(description="Sample data (never in production).")

    @strawberry.field(
        description="Its files (the files part): the latest version of each role, or every "
        "version (oldest first) with `allVersions`."
    )
    async def files(
        self,
        info: Info,
        role: Annotated[
            DocumentFileRole | None, strawberry.argument(description="Only this role.")
        ] = None,
        all_versions: Annotated[
            bool, strawberry.argument(description="Every version, not only the latest.")
        ] = False,
    ) -> list[DocumentFileType]:
        return await files_of_document(info, self.document_id, role, all_versions)

    @strawberry.field(
        description="The case (iş) of the nomenclature of cases it is filed into (archive): "
        "the link its caseIndex names, set at registration, signing or completion; null while "
        "it is not filed."
    )
    async def case(
        self, info: Info
    ) -> Annotated[CaseType, strawberry.lazy("asan.graphql.archive.types")] | None:
        from asan.graphql.archive.filing import case_of_document

        return await case_of_document(info, self.document_id)

    @classmethod
    def of(cls, row: dict[str, Any]) -> DocumentNode:
        from asan.edms.documents.flows import allowed_steps

        return cls(
            document_id=row["id"],
            kind=DocumentKind(row["kind"]),
            status=row["status"],
            allowed_steps=allowed_steps(row["kind"], row["status"]),
            journal_code=row.get("journalCode"),
            reg_number=row.get("regNumber"),
            reg_date=reads.as_date(row.get("regDate")),
            subject=row.get("subject") or "",
            summary=row.get("summary"),
            pages=row.get("pages"),
            attachments=row.get("attachments"),
            channel=_enum(DeliveryChannel, row.get("channel")),
            language=_enum(DocumentLanguage, row.get("language")),
            classification=Classification(row.get("classification") or "public"),
            case_index=row.get("caseIndex"),
            unit=row.get("unit"),
            correspondent_kind=_enum(CorrespondentKind, row.get("correspondentKind")),
            correspondent_body=row.get("correspondentBody"),
            correspondent_name=row.get("correspondentName"),
            correspondent_number=row.get("correspondentNumber"),
            correspondent_date=reads.as_date(row.get("correspondentDate")),
            created_at=reads.native(row.get("createdAt")),
            updated_at=reads.native(row.get("updatedAt")),
            sample=bool(row.get("sample")),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[DocumentNode | None]:
        rows = await reads.documents_by_ids(platform_of(info), principal_of(info), list(node_ids))
        return [cls.of(r) if r is not None else None for r in rows]


@strawberry.type(name="DocumentEvent", description="One step of a document's way (timeline).")
class DocumentEventType:
    at: datetime = strawberry.field(description="When (UTC).")
    step: str = strawberry.field(description="The step, e.g. create, register, resolve, sign.")
    actor: str = strawberry.field(description="Who did it (user id).")
    acting_for: str | None = strawberry.field(
        description="The head the actor acted for under a delegation; null: on their own."
    )
    details: JSON | None = strawberry.field(
        description="What the step recorded (a JSON object: number, executors, reasons ...)."
    )


@strawberry.type(name="Journal", description="A registration journal (qeydiyyat jurnalı).")
class JournalType:
    code: str = strawberry.field(description="Code: INC, OUT, INT, ORD, APL-P, APL-A, APL-C.")
    kind: DocumentKind = strawberry.field(description="The kind of document it registers.")
    name_az: str = strawberry.field(description="Name in Azerbaijani.")
    name_en: str = strawberry.field(description="Name in English.")
    pattern: str = strawberry.field(
        description="Number pattern: {seq} (or {seq:N}, zero-padded), {year}, {yy}, {unit}, "
        "{index} (case index), {journal}."
    )
    last_seq: int | None = strawberry.field(
        description="The last sequence number given this year; null except for registrars and "
        "administrators (it counts documents of every classification, secrets included)."
    )


@strawberry.input(description="The registration card (qeydiyyat kartı) of a document.")
class DocumentCardInput:
    subject: str = strawberry.field(description="Subject (required).")
    unit: str | None = strawberry.field(
        default=None, description="Code of the org unit it is addressed to / owned by."
    )
    summary: str | None = strawberry.field(default=None, description="Summary of the content.")
    pages: int | None = strawberry.field(default=None, description="Number of pages.")
    attachments: int | None = strawberry.field(default=None, description="Attachments.")
    channel: DeliveryChannel | None = strawberry.field(default=None, description="How it came.")
    language: DocumentLanguage = strawberry.field(
        default=DocumentLanguage.AZ, description="Its language (default az)."
    )
    classification: Classification = strawberry.field(
        default=Classification.PUBLIC,
        description="Secrecy; may not exceed the registrar's own clearance.",
    )
    case_index: str | None = strawberry.field(
        default=None, description="Index of the case it is filed into."
    )
    journal: str | None = strawberry.field(
        default=None, description="Journal code; null: the kind's default (INC for incoming)."
    )
    correspondent_kind: CorrespondentKind | None = strawberry.field(
        default=None, description="Who the correspondent is."
    )
    correspondent_body: str | None = strawberry.field(
        default=None, description="Code of a state body in the registry (STATE_BODY)."
    )
    correspondent_name: str | None = strawberry.field(
        default=None, description="Name of an organisation or person."
    )
    correspondent_number: str | None = strawberry.field(
        default=None, description="The correspondent's own number."
    )
    correspondent_date: date | None = strawberry.field(
        default=None, description="The correspondent's own date."
    )

    def to_card(self, kind: str) -> DocumentCard:
        return DocumentCard(
            kind=kind,
            subject=self.subject,
            unit=self.unit,
            summary=self.summary,
            pages=self.pages,
            attachments=self.attachments,
            channel=self.channel.value if self.channel else None,
            language=self.language.value,
            classification=self.classification.value,
            case_index=self.case_index,
            journal_code=self.journal,
            correspondent_kind=self.correspondent_kind.value if self.correspondent_kind else None,
            correspondent_body=self.correspondent_body,
            correspondent_name=self.correspondent_name,
            correspondent_number=self.correspondent_number,
            correspondent_date=self.correspondent_date,
        )


@strawberry.type(description="Result of a step on a document.")
class DocumentPayload:
    document: DocumentNode | None = strawberry.field(
        default=None, description="The document after the step; null when refused."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Result of configuring a journal.")
class JournalPayload:
    journal: JournalType | None = strawberry.field(
        default=None, description="The journal as configured; null when refused."
    )
    user_errors: list[UserError] = user_errors_field()
