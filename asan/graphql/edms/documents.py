"""Documents and journals over GraphQL: registration, card corrections, journal patterns,
the document itself, lists with counts that never include invisible secrets, the timeline.

Thin resolvers: every mutation is one use case through ``attempt`` (userErrors for input
problems and INVALID_TRANSITION; refusals and NOT_FOUND of hidden documents as errors).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from asan.core.errors import FieldError, NotFound, ValidationFailed
from asan.core.workdays import today_in_baku
from asan.edms.documents import journals, reads, steps, use_cases
from asan.edms.documents.models import DocumentEvent
from asan.graphql.edms.document_types import (
    Classification,
    CorrespondentKind,
    DeliveryChannel,
    DocumentCardInput,
    DocumentEventType,
    DocumentKind,
    DocumentLanguage,
    DocumentNode,
    DocumentPayload,
    JournalPayload,
    JournalType,
)
from asan.graphql.mutation import CLIENT_MUTATION_ID, attempt
from asan.graphql.relay import After, Connection, First, PageRequest, build_connection, scope_of
from asan.graphql.request import platform_of, principal_of

DocumentId = Annotated[str, strawberry.argument(description="The document's own id.")]


@strawberry.input(description="Which documents to list; every field narrows the list.")
class DocumentFilter:
    kind: DocumentKind | None = strawberry.field(default=None, description="Only this kind.")
    status: str | None = strawberry.field(default=None, description="Only this status.")
    journal: str | None = strawberry.field(default=None, description="Only this journal code.")
    year: int | None = strawberry.field(default=None, description="Only registered this year.")
    unit: str | None = strawberry.field(default=None, description="Only owned by this unit.")
    classification: Classification | None = strawberry.field(
        default=None, description="Only this secrecy (among those the caller may see)."
    )
    text: str | None = strawberry.field(
        default=None,
        description="Words of the subject (case and Azerbaijani letters folded), or an exact "
        "registration or correspondent number.",
    )
    involving_me: bool = strawberry.field(
        default=False, description="Only documents the caller works on."
    )
    sample: bool | None = strawberry.field(
        default=None, description="Only sample (true) or only real (false) documents."
    )


def _timeline_event(e: DocumentEvent) -> DocumentEventType:
    from datetime import datetime

    return DocumentEventType(
        at=datetime.fromisoformat(e.at),
        step=e.step,
        actor=e.actor,
        acting_for=e.acting_for,
        details=json.loads(e.details) if e.details else None,
    )


@strawberry.type
class DocumentsQuery:
    @strawberry.field(
        description="A document by its id; null when it does not exist or the caller may not "
        "see it (secrets need clearance and involvement)."
    )
    async def document(self, info: Info, id: DocumentId) -> DocumentNode | None:
        row = await reads.document(platform_of(info), principal_of(info), id)
        return DocumentNode.of(row) if row is not None else None

    @strawberry.field(
        description="Documents the caller may see, newest first (keyset paging); `totalCount` "
        "counts only those."
    )
    async def documents(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            DocumentFilter | None, strawberry.argument(description="Filters; null: all.")
        ] = None,
    ) -> Connection[DocumentNode]:
        f = filter or DocumentFilter()
        raw = {k: (v.value if hasattr(v, "value") else v) for k, v in vars(f).items()}
        page = PageRequest.of(first, after, 2, scope=scope_of("documents", raw))
        rows, total = await reads.list_documents(
            platform_of(info),
            principal_of(info),
            reads.DocumentFilter(**raw),
            after=page.after,
            limit=page.limit,
        )
        return build_connection(rows, page, total, DocumentNode.of, reads.cursor_of)

    @strawberry.field(description="The registration journals with this year's last number.")
    async def journals(
        self,
        info: Info,
        year: Annotated[
            int | None, strawberry.argument(description="Year of the counters; null: this year.")
        ] = None,
    ) -> list[JournalType]:
        if not principal_of(info).is_authenticated:
            return []
        rows = await reads.journals(
            platform_of(info), principal_of(info), year or today_in_baku().year
        )
        return [
            JournalType(
                code=r["code"],
                kind=DocumentKind(r["kind"]),
                name_az=r["nameAz"],
                name_en=r["nameEn"],
                pattern=r["pattern"],
                last_seq=r["lastSeq"],
            )
            for r in rows
        ]

    @strawberry.field(
        description="Every step of a document's way, oldest first (who, when, acting for "
        "whom, details). NOT_FOUND when the caller may not see the document."
    )
    async def document_timeline(self, info: Info, id: DocumentId) -> list[DocumentEventType]:
        events = await reads.timeline(platform_of(info), principal_of(info), id)
        if events is None:
            raise NotFound(f"Document {id} tapılmadı / not found", field="id")
        return [_timeline_event(e) for e in events]


@strawberry.input(description="Register an incoming document (daxil olan sənədin qeydiyyatı).")
class RegisterDocumentInput:
    card: DocumentCardInput = strawberry.field(description="The registration card.")
    document_id: str | None = strawberry.field(
        default=None,
        description="A document that arrived electronically and awaits registration (status "
        "received); null: register a new one from the card.",
    )
    file: Upload | None = strawberry.field(
        default=None,
        description="The scanned or electronic original, as a part of a multipart request "
        "(GraphQL multipart request spec, with the CSRF header); null: none now.",
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.input(description="Corrections to a card; omitted fields stay, null clears.")
class UpdateDocumentCardInput:
    document_id: str = strawberry.field(description="The document's id.")
    subject: str | None = strawberry.field(default=strawberry.UNSET, description="Subject.")
    unit: str | None = strawberry.field(default=strawberry.UNSET, description="Owning unit.")
    summary: str | None = strawberry.field(default=strawberry.UNSET, description="Summary.")
    pages: int | None = strawberry.field(default=strawberry.UNSET, description="Pages.")
    attachments: int | None = strawberry.field(default=strawberry.UNSET, description="Attachments.")
    channel: DeliveryChannel | None = strawberry.field(
        default=strawberry.UNSET, description="How it arrived."
    )
    language: DocumentLanguage | None = strawberry.field(
        default=strawberry.UNSET, description="Its language."
    )
    classification: Classification | None = strawberry.field(
        default=strawberry.UNSET, description="Secrecy; at most the caller's clearance."
    )
    case_index: str | None = strawberry.field(
        default=strawberry.UNSET, description="Case index it is filed into."
    )
    correspondent_kind: CorrespondentKind | None = strawberry.field(
        default=strawberry.UNSET, description="Who the correspondent is."
    )
    correspondent_body: str | None = strawberry.field(
        default=strawberry.UNSET, description="Correspondent state body's code."
    )
    correspondent_name: str | None = strawberry.field(
        default=strawberry.UNSET, description="Correspondent's name."
    )
    correspondent_number: str | None = strawberry.field(
        default=strawberry.UNSET, description="Correspondent's number."
    )
    correspondent_date: str | None = strawberry.field(
        default=strawberry.UNSET, description="Correspondent's date (ISO yyyy-mm-dd)."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)

    def changes(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in use_cases.CARD_ATTRS:
            raw = getattr(self, name, strawberry.UNSET)
            if raw is strawberry.UNSET:
                continue
            out[name] = raw.value if hasattr(raw, "value") else raw
        if out.get("language", "") is None or out.get("classification", "") is None:
            field = "language" if out.get("language", "") is None else "classification"
            raise ValidationFailed([FieldError(field, "boş ola bilməz / must not be empty")])
        if isinstance(out.get("correspondent_date"), str):
            from datetime import date

            try:
                out["correspondent_date"] = date.fromisoformat(out["correspondent_date"])
            except ValueError as exc:
                raise ValidationFailed(
                    [FieldError("correspondentDate", "tarix yanlışdır / not a date")]
                ) from exc
        return out


@strawberry.input(description="A journal's number pattern or names, or a new journal.")
class ConfigureJournalInput:
    code: str = strawberry.field(description="Journal code, e.g. INC (1-16 capitals, digits, -).")
    kind: DocumentKind | None = strawberry.field(
        default=None,
        description="For a new journal: the kind it registers (then pattern and nameAz are "
        "required). For an existing one: null, or its own kind (a kind never changes).",
    )
    pattern: str | None = strawberry.field(
        default=None,
        description="New pattern: {seq} once (or {seq:N}), optionally {year} {yy} {unit} "
        "{index} {journal}; numbers already given stay. Null: unchanged.",
    )
    name_az: str | None = strawberry.field(default=None, description="New Azerbaijani name.")
    name_en: str | None = strawberry.field(default=None, description="New English name.")
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.input(
    description="File an incoming document without action (icra tələb etmir, işə): "
    "registered -> closed."
)
class FileDocumentWithoutActionInput:
    document_id: str = strawberry.field(description="The document's id.")
    reason: str = strawberry.field(description="Why no action is needed (e.g. for information).")
    case_index: str | None = strawberry.field(
        default=None,
        description="Index of the case it is filed into; null: the card's own (required then).",
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.input(description="Archive a closed or dispatched document (arxivə verilmə).")
class ArchiveDocumentInput:
    document_id: str = strawberry.field(description="The document's id.")
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


async def _node(info: Info, document_id: str | None) -> DocumentNode | None:
    if document_id is None:
        return None
    row = await reads.document(platform_of(info), principal_of(info), document_id)
    return DocumentNode.of(row) if row is not None else None


async def _upload(upload: Any) -> use_cases.NewFile:
    from asan.edms.files.settings import files_settings

    if not callable(getattr(upload, "read", None)):
        raise ValidationFailed(
            [FieldError("file", "fayl multipart sorğu ilə göndərilməlidir / send it multipart")]
        )
    limit = files_settings().max_bytes
    data = bytes(await upload.read(limit + 1))
    if len(data) > limit:
        raise ValidationFailed(
            [FieldError("file", f"fayl {limit} baytdan böyükdür / file exceeds {limit} bytes")]
        )
    return use_cases.NewFile(
        data, str(getattr(upload, "filename", None) or ""), getattr(upload, "content_type", None)
    )


@strawberry.type
class DocumentsMutation:
    @strawberry.mutation(
        description="Register an incoming document (registrars): number from the journal's "
        "pattern, gapless per year; the card checked (correspondent from the registry, "
        "classification within the registrar's clearance)."
    )
    async def register_document(
        self,
        info: Info,
        input: Annotated[RegisterDocumentInput, strawberry.argument(description="The card.")],
    ) -> DocumentPayload:
        async def call() -> str:
            upload = await _upload(input.file) if input.file is not None else None
            return await use_cases.register_document(
                platform_of(info),
                principal_of(info),
                input.card.to_card("incoming"),
                document_id=input.document_id,
                file=upload,
                client_mutation_id=input.client_mutation_id,
            )

        document_id, errors = await attempt(call)
        return DocumentPayload(document=await _node(info, document_id), user_errors=errors)

    @strawberry.mutation(
        description="Correct a registration card (registrars, the owning unit's head) until "
        "the document is signed, closed or archived; each change is on the timeline."
    )
    async def update_document_card(
        self,
        info: Info,
        input: Annotated[UpdateDocumentCardInput, strawberry.argument(description="Changes.")],
    ) -> DocumentPayload:
        document_id, errors = await attempt(
            lambda: use_cases.update_document_card(
                platform_of(info),
                principal_of(info),
                input.document_id,
                input.changes(),
                client_mutation_id=input.client_mutation_id,
            )
        )
        return DocumentPayload(document=await _node(info, document_id), user_errors=errors)

    @strawberry.mutation(
        description="Change a journal's number pattern or names, or open a new journal "
        "(registrars)."
    )
    async def configure_journal(
        self,
        info: Info,
        input: Annotated[ConfigureJournalInput, strawberry.argument(description="Changes.")],
    ) -> JournalPayload:
        code, errors = await attempt(
            lambda: journals.configure_journal(
                platform_of(info),
                principal_of(info),
                input.code,
                kind=input.kind.value if input.kind is not None else None,
                pattern=input.pattern,
                name_az=input.name_az,
                name_en=input.name_en,
                client_mutation_id=input.client_mutation_id,
            )
        )
        if code is None:
            return JournalPayload(user_errors=errors)
        rows = await reads.journals(platform_of(info), principal_of(info), today_in_baku().year)
        found = next(r for r in rows if r["code"] == code)
        journal = JournalType(
            code=found["code"],
            kind=DocumentKind(found["kind"]),
            name_az=found["nameAz"],
            name_en=found["nameEn"],
            pattern=found["pattern"],
            last_seq=found["lastSeq"],
        )
        return JournalPayload(journal=journal, user_errors=errors)


@strawberry.type
class DocumentStepsMutation:
    @strawberry.mutation(
        description="Step file_without_action (registered -> closed): the owning unit's head "
        "or a registrar files an incoming document that needs no execution into its case."
    )
    async def file_document_without_action(
        self,
        info: Info,
        input: Annotated[
            FileDocumentWithoutActionInput, strawberry.argument(description="The step.")
        ],
    ) -> DocumentPayload:
        document_id, errors = await attempt(
            lambda: steps.file_without_action(
                platform_of(info),
                principal_of(info),
                input.document_id,
                reason=input.reason,
                case_index=input.case_index,
                client_mutation_id=input.client_mutation_id,
            )
        )
        return DocumentPayload(document=await _node(info, document_id), user_errors=errors)

    @strawberry.mutation(
        description="Step archive (closed or dispatched -> archived): archivists or registrars."
    )
    async def archive_document(
        self,
        info: Info,
        input: Annotated[ArchiveDocumentInput, strawberry.argument(description="The step.")],
    ) -> DocumentPayload:
        document_id, errors = await attempt(
            lambda: steps.archive_document(
                platform_of(info),
                principal_of(info),
                input.document_id,
                client_mutation_id=input.client_mutation_id,
            )
        )
        return DocumentPayload(document=await _node(info, document_id), user_errors=errors)


QUERIES: list[type] = [DocumentsQuery]
MUTATIONS: list[type] = [DocumentsMutation, DocumentStepsMutation]
