"""Certified copies over GraphQL: ``certifyCopy`` and the public ``verifyCertifiedCopy``.

Thin resolvers over ``asan.edms.copies``. Verification needs no sign-in: anyone holding a copy
may check it by its code, by uploading it (multipart, with the CSRF header), or both.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from asan.core.errors import BadInput
from asan.edms.copies import reads, use_cases
from asan.edms.copies.models import CertifiedCopy, Verification
from asan.edms.files.models import download_path
from asan.graphql.edms.files import _read_upload
from asan.graphql.errors import UserError
from asan.graphql.mutation import attempt
from asan.graphql.request import platform_of, principal_of


@strawberry.type(
    name="CertifiedCopy",
    description="A copy marked 'Əslinə uyğundur' (certified true copy): who certified it, when, "
    "and the SHA-256 of the original version it is bound to.",
)
class CertifiedCopyType:
    code: str = strawberry.field(description="Verification code printed on the copy (SC-...).")
    certifier_name: str = strawberry.field(description="Who certified it (təsdiq edən).")
    position: str | None = strawberry.field(description="Their position (vəzifə) that day.")
    unit: str | None = strawberry.field(description="Their unit (struktur bölmə).")
    certified_at: dt.datetime = strawberry.field(description="When it was certified (UTC).")
    reg_number: str | None = strawberry.field(description="The original's registration number.")
    original_sha256: str = strawberry.field(description="SHA-256 of the original version.")
    copy_sha256: str = strawberry.field(description="SHA-256 of the certified copy's bytes.")
    acting_for: str | None = strawberry.field(
        description="Whom the certifier acted for (a deputy within a delegation)."
    )

    @classmethod
    def of(cls, c: CertifiedCopy) -> CertifiedCopyType:
        return cls(
            code=c.code,
            certifier_name=c.certifier_name,
            position=c.position,
            unit=c.unit,
            certified_at=c.certified_at,
            reg_number=c.reg_number,
            original_sha256=c.original_sha256,
            copy_sha256=c.copy_sha256,
            acting_for=c.acting_for,
        )


@strawberry.type(
    name="DocumentCertifiedCopy",
    description="A certified copy as the document's readers see it, with its file.",
)
class DocumentCertifiedCopyType(CertifiedCopyType):
    copy_file_id: strawberry.ID = strawberry.field(description="The copy's file version.")
    original_file_id: strawberry.ID = strawberry.field(description="The original version.")
    download_url: str = strawberry.field(description="Path of the copy's bytes (bearer token).")

    @classmethod
    def of_copy(cls, c: CertifiedCopy) -> DocumentCertifiedCopyType:
        base = CertifiedCopyType.of(c)
        return cls(
            **{k: getattr(base, k) for k in CertifiedCopyType.__annotations__},
            copy_file_id=strawberry.ID(c.copy_file_id),
            original_file_id=strawberry.ID(c.original_file_id),
            download_url=download_path(c.copy_file_id),
        )


@strawberry.type(
    name="CertifiedCopyVerification",
    description="The answer to anyone checking a certified copy. `valid` is true only when the "
    "copy is known, its original version is kept unchanged, and (for an upload) the file is "
    "byte for byte the certified copy with a valid signature.",
)
class CertifiedCopyVerificationType:
    valid: bool = strawberry.field(description="Every check below passed.")
    found: bool = strawberry.field(description="The code (or the file's hash) is known.")
    original_matches: bool = strawberry.field(
        description="The original version is kept and its bytes hash to `originalSha256`."
    )
    copy_matches: bool | None = strawberry.field(
        description="The uploaded file is exactly the certified copy (null: no upload)."
    )
    signature_valid: bool | None = strawberry.field(
        description="The upload's PAdES signature verifies (null: no upload)."
    )
    copy: CertifiedCopyType | None = strawberry.field(description="What the copy certifies.")
    problems: list[str] = strawberry.field(description="What failed (Azerbaijani / English).")

    @classmethod
    def of(cls, v: Verification) -> CertifiedCopyVerificationType:
        valid = v.found and v.original_matches and v.copy_matches is not False
        valid = valid and v.signature_valid is not False
        return cls(
            valid=valid,
            found=v.found,
            original_matches=v.original_matches,
            copy_matches=v.copy_matches,
            signature_valid=v.signature_valid,
            copy=CertifiedCopyType.of(v.copy) if v.copy else None,
            problems=list(v.problems),
        )


@strawberry.input(name="CertifyCopyInput", description="Which document version to certify.")
class CertifyCopyInput:
    document_id: strawberry.ID = strawberry.field(description="The registered document.")
    file_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The PDF version to copy; default the signed version, else the original.",
    )
    client_mutation_id: str | None = strawberry.field(
        default=None, description="Repeat the request with the same id: it is done once."
    )


@strawberry.type(name="CertifyCopyPayload", description="The certified copy, or why not.")
class CertifyCopyPayload:
    copy: DocumentCertifiedCopyType | None = strawberry.field(description="The copy made.")
    user_errors: list[UserError] = strawberry.field(description="Input problems.")
    client_mutation_id: str | None = strawberry.field(description="As sent.")


@strawberry.type
class CopiesQuery:
    @strawberry.field(
        description="Check a certified copy (public: no sign-in). Give its code, upload the copy "
        "(multipart), or both: with both, an altered copy is told from a genuine one."
    )
    async def verify_certified_copy(
        self,
        info: Info,
        code: Annotated[
            str | None, strawberry.argument(description="The code printed on the copy.")
        ] = None,
        file: Annotated[
            Upload | None, strawberry.argument(description="The copy's PDF (multipart upload).")
        ] = None,
    ) -> CertifiedCopyVerificationType:
        data = None
        if file is not None:
            data, _, _ = await _read_upload(file)
        if code is not None and len(code) > 64:
            code = code[:64]
        if data is None and not (code or "").strip():
            raise BadInput("kod və ya fayl verin / give a code or a file", field="code")
        found = await reads.verify(platform_of(info), code, data)
        return CertifiedCopyVerificationType.of(found)

    @strawberry.field(
        description="A document's certified copies, newest first. NOT_FOUND when the caller may "
        "not read the document."
    )
    async def certified_copies(
        self,
        info: Info,
        document_id: Annotated[strawberry.ID, strawberry.argument(description="The document.")],
    ) -> list[DocumentCertifiedCopyType]:
        found = await reads.copies_of(platform_of(info), principal_of(info), str(document_id))
        return [DocumentCertifiedCopyType.of_copy(c) for c in found]


@strawberry.type
class CopiesMutation:
    @strawberry.mutation(
        description="Make a certified copy (əslinə uyğun surət) of a registered document's PDF "
        "version: marked 'Əslinə uyğundur' with the certifier, position, date, the original's "
        "SHA-256 and a verification code, and PAdES-signed with the certifier's key."
    )
    async def certify_copy(
        self,
        info: Info,
        input: Annotated[CertifyCopyInput, strawberry.argument(description="Which version.")],
    ) -> CertifyCopyPayload:
        platform, principal = platform_of(info), principal_of(info)

        async def call() -> CertifiedCopy:
            code = await use_cases.certify_copy(
                platform,
                principal,
                str(input.document_id),
                str(input.file_id) if input.file_id else None,
                client_mutation_id=input.client_mutation_id,
            )
            for c in await reads.copies_of(platform, principal, str(input.document_id)):
                if c.code == code:
                    return c
            raise AssertionError("a committed copy is readable by its certifier")

        made, errors = await attempt(call)
        return CertifyCopyPayload(
            copy=DocumentCertifiedCopyType.of_copy(made) if made else None,
            user_errors=errors,
            client_mutation_id=input.client_mutation_id,
        )


QUERIES: list[type] = [CopiesQuery]
MUTATIONS: list[type] = [CopiesMutation]
