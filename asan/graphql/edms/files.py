"""Document files over GraphQL: uploads (GraphQL multipart request spec), versions, downloads.

Thin resolvers over ``asan.edms.files`` (use cases and reads). Uploads arrive as strawberry
``Upload`` values from a ``multipart/form-data`` request; the HTTP view has already refused
such requests without a preflight-forcing header and cut off bodies over the size limit while
they streamed (``asan/edms/files/http.py``). Bytes are read here up to the limit plus one, so
a file one byte over is refused without holding more.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from asan.core.errors import BadInput
from asan.core.platform import Platform
from asan.edms.files import reads, use_cases
from asan.edms.files.models import StoredFile, download_path
from asan.edms.files.settings import files_settings
from asan.graphql.described import value
from asan.graphql.errors import UserError
from asan.graphql.mutation import attempt
from asan.graphql.request import platform_of, principal_of, request_loader

MAX_TEXT = 100_000


@strawberry.enum(
    name="DocumentFileRole",
    description="What a file version is to its document (every version is kept, never replaced).",
)
class DocumentFileRole(enum.Enum):
    ORIGINAL = value("original", "The file as received or uploaded (əsli).")
    REGISTRATION_STAMP = value(
        "registration_stamp",
        "A rendered copy with the registration stamp (qeydiyyat ştampı): number, date, journal.",
    )
    OCR = value("ocr", "A searchable copy of a scan made by OCR (mətn tanıma).")
    DRAFT = value("draft", "A version of a draft (layihə) of an outgoing or internal document.")
    SIGNED = value("signed", "The signed version (imzalanmış); never replaced.")
    CERTIFIED_COPY = value(
        "certified_copy", "A copy marked 'Əslinə uyğundur' (certified true copy)."
    )
    ATTACHMENT = value("attachment", "Any other attached file (əlavə).")


@strawberry.enum(
    name="DocumentFileTextStatus", description="Where extraction of a file's text stands."
)
class DocumentFileTextStatus(enum.Enum):
    PENDING = value("pending", "Waiting for the processing job.")
    PROCESSING = value("processing", "Being processed (text extraction, OCR, stamp).")
    DONE = value("done", "Text extracted and searchable (it may be empty; see warnings).")
    NO_TEXT = value(
        "no_text", "Kept without text: damaged, encrypted or refused by the processing limits."
    )
    NOT_APPLICABLE = value(
        "not_applicable", "No text is extracted from this type or role (derived copies)."
    )


@strawberry.type(
    name="DocumentFile",
    description=(
        "One immutable version of a document's file. The bytes are in the object store under "
        "an id-only key; download them from `downloadUrl` with the same bearer token."
    ),
)
class DocumentFileType:
    id: strawberry.ID = strawberry.field(description="The version's id (`df_...`).")
    document_id: strawberry.ID = strawberry.field(description="The document's id.")
    role: DocumentFileRole = strawberry.field(description="What this version is.")
    version: int = strawberry.field(description="1, 2, ... per document and role.")
    sha256: str = strawberry.field(description="SHA-256 of the bytes, lowercase hex.")
    size: int = strawberry.field(description="Size in bytes.")
    content_type: str = strawberry.field(
        description="Media type decided from the bytes (magic numbers), not from the name."
    )
    filename: str = strawberry.field(description="The name it was uploaded with (display only).")
    created_at: datetime = strawberry.field(description="When it was stored (UTC).")
    created_by: str = strawberry.field(description="Subject who stored it (or `system`).")
    text_status: DocumentFileTextStatus = strawberry.field(
        description="Where extraction of its text stands."
    )
    warnings: list[str] = strawberry.field(
        description="Problems found in the file (Azerbaijani / English), e.g. a damaged PDF."
    )
    derived_from: strawberry.ID | None = strawberry.field(
        description="The version this one was made from (a stamp or OCR copy of an original)."
    )
    download_url: str = strawberry.field(
        description="Path of the bytes (GET with `Authorization: Bearer`; the document's read "
        "policy is checked again)."
    )
    destroyed_by_act: str | None = strawberry.field(
        default=None,
        description="Number of the archive's destruction act that deleted the bytes (the "
        "download then answers 410); null while they are kept.",
    )

    @classmethod
    def of(cls, stored: StoredFile) -> DocumentFileType:
        return cls(
            id=strawberry.ID(stored.id),
            document_id=strawberry.ID(stored.document_id),
            role=DocumentFileRole(stored.role),
            version=stored.version,
            sha256=stored.sha256,
            size=stored.size,
            content_type=stored.content_type,
            filename=stored.filename,
            created_at=stored.created_at,
            created_by=stored.created_by,
            text_status=DocumentFileTextStatus(stored.text_status),
            warnings=list(stored.warnings),
            derived_from=strawberry.ID(stored.derived_from) if stored.derived_from else None,
            download_url=download_path(stored.id),
            destroyed_by_act=stored.destroyed_by_act,
        )

    @strawberry.field(
        description="The extracted text (for search and reading), at most `maxLength` "
        "characters; null until extracted or when there is none."
    )
    async def text(
        self,
        info: Info,
        max_length: Annotated[
            int, strawberry.argument(description=f"Characters to return, 1 to {MAX_TEXT}.")
        ] = 10_000,
    ) -> str | None:
        # the version was read under the document's read policy before this type was built
        text = await reads.file_text(platform_of(info).db, str(self.id))
        return text[: max(1, min(max_length, MAX_TEXT))] if text is not None else None


@strawberry.input(name="UploadDocumentFileInput", description="A file for a document.")
class UploadDocumentFileInput:
    document_id: strawberry.ID = strawberry.field(description="The document's id.")
    file: Upload = strawberry.field(
        description="The file, as a part of a multipart request (GraphQL multipart request "
        "spec) that carries the `Apollo-Require-Preflight` or `X-Asan-CSRF` header."
    )
    role: DocumentFileRole = strawberry.field(
        default=DocumentFileRole.ORIGINAL,
        description="ORIGINAL, ATTACHMENT or DRAFT; the other roles come from their own steps.",
    )
    client_mutation_id: str | None = strawberry.field(
        default=None, description="Repeat the request with the same id: it is done once."
    )


@strawberry.type(name="UploadDocumentFilePayload", description="The stored version, or why not.")
class UploadDocumentFilePayload:
    file: DocumentFileType | None = strawberry.field(description="The new version.")
    user_errors: list[UserError] = strawberry.field(description="Input problems.")
    client_mutation_id: str | None = strawberry.field(description="As sent.")


async def _upload_parts(upload: Any) -> tuple[bytes | None, str, str | None]:
    """The bytes (at most the limit plus one: the use case refuses more), the file name and the
    declared type; None when the value is not a file part (a JSON request)."""
    if not callable(getattr(upload, "read", None)):
        return None, "", None
    data = await upload.read(files_settings().max_bytes + 1)
    declared = getattr(upload, "content_type", None)
    return bytes(data), str(getattr(upload, "filename", None) or ""), declared


async def _read_upload(upload: Any) -> tuple[bytes, str, str | None]:
    """For other parts' fields that take a file: the bytes, the name, the declared type.

    BadInput naming ``file`` when the value is not a file part or is over the limit: a
    mutation's ``attempt`` turns it into a userError, a query answers BAD_USER_INPUT with
    ``extensions.field``."""
    data, filename, declared = await _upload_parts(upload)
    if data is None:
        raise BadInput(use_cases.NOT_MULTIPART, field="file")
    limit = files_settings().max_bytes
    if len(data) > limit:
        raise BadInput(f"fayl {limit} baytdan böyükdür / file exceeds {limit} bytes", field="file")
    return data, filename, declared


async def _files_batch(
    platform: Platform, keys: list[tuple[str, str | None, bool]]
) -> list[list[DocumentFileType]]:
    """One query per (role, allVersions) asked in the request, for all its documents."""
    groups: dict[tuple[str | None, bool], list[str]] = {}
    for document_id, role, all_versions in keys:
        groups.setdefault((role, all_versions), []).append(document_id)
    found: dict[tuple[str | None, bool], dict[str, list[StoredFile]]] = {}
    for (role, all_versions), ids in groups.items():
        found[(role, all_versions)] = await reads.files_of_documents(
            platform.db, sorted(set(ids)), role=role, latest_only=not all_versions
        )
    return [
        [DocumentFileType.of(f) for f in found[(role, every)].get(doc, [])]
        for doc, role, every in keys
    ]


async def files_of_document(
    info: Info, document_id: str, role: DocumentFileRole | None, all_versions: bool
) -> list[DocumentFileType]:
    """``Document.files``: the document was read under the caller's policy (the node exists
    only then), so its files are not checked again; batched over a list of documents."""
    loader = request_loader(info, "edms.document_files", _files_batch)
    return await loader.load((document_id, role.value if role is not None else None, all_versions))


@strawberry.type
class FilesQuery:
    @strawberry.field(
        description="A document's files: the latest version of each role, or every version "
        "with `allVersions`. NOT_FOUND when the caller may not read the document."
    )
    async def document_files(
        self,
        info: Info,
        document_id: Annotated[
            strawberry.ID, strawberry.argument(description="The document's id.")
        ],
        role: Annotated[
            DocumentFileRole | None, strawberry.argument(description="Only this role.")
        ] = None,
        all_versions: Annotated[
            bool,
            strawberry.argument(description="Every version (oldest first), not only the latest."),
        ] = False,
    ) -> list[DocumentFileType]:
        found = await reads.readable_files(
            platform_of(info),
            principal_of(info),
            str(document_id),
            role=role.value if role is not None else None,
            all_versions=all_versions,
        )
        return [DocumentFileType.of(stored) for stored in found]

    @strawberry.field(
        description="One file version by id; NOT_FOUND when the caller may not read its document."
    )
    async def document_file(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The version id.")],
    ) -> DocumentFileType:
        stored = await reads.readable_file(platform_of(info), principal_of(info), str(id))
        return DocumentFileType.of(stored)


@strawberry.type
class FilesMutation:
    @strawberry.mutation(
        description="Store a file as the next version of its role on a document (multipart "
        "upload). Type is decided from the bytes; executables and unknown types are refused."
    )
    async def upload_document_file(
        self,
        info: Info,
        input: Annotated[
            UploadDocumentFileInput, strawberry.argument(description="The file and where.")
        ],
    ) -> UploadDocumentFilePayload:
        async def call() -> StoredFile:
            data, filename, declared = await _upload_parts(input.file)
            return await use_cases.upload_document_file(
                platform_of(info),
                principal_of(info),
                str(input.document_id),
                data,
                filename=filename,
                content_type=declared,
                role=input.role.value,
                client_mutation_id=input.client_mutation_id,
            )

        stored, errors = await attempt(call)
        return UploadDocumentFilePayload(
            file=DocumentFileType.of(stored) if stored is not None else None,
            user_errors=errors,
            client_mutation_id=input.client_mutation_id,
        )


QUERIES: list[type] = [FilesQuery]
MUTATIONS: list[type] = [FilesMutation]
