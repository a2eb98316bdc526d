"""Signatures over GraphQL: ``signDocument``, ``verifyDocumentSignature``, ``verifySignedFile``.

Thin resolvers over ``asan.edms.signatures`` (use cases and verification).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from asan.core.errors import BadInput
from asan.edms.files.settings import files_settings
from asan.edms.signatures import use_cases, verification
from asan.edms.signatures.models import Verification
from asan.graphql.described import value
from asan.graphql.errors import UserError
from asan.graphql.mutation import attempt
from asan.graphql.request import platform_of, principal_of


@strawberry.enum(name="SignatureKind", description="How a file was signed.")
class SignatureKind(enum.Enum):
    PADES = value(
        "pades", "A PAdES signature inside the PDF (any PDF reader or `pdfsig` can check it)."
    )
    JWS = value(
        "jws",
        "A detached JWS (RS256, the certificate chain in `x5c`) over a statement of the file's "
        "SHA-256 and metadata, kept by the registry beside the file (files that are not PDFs).",
    )


@strawberry.enum(
    name="CertificateStatus", description="What the signer's certificate was found to be."
)
class CertificateStatus(enum.Enum):
    VALID = value(
        "valid", "Chains to a configured trust root, within its validity, not known revoked."
    )
    EXPIRED = value("expired", "Outside its validity period (expired or not yet valid).")
    REVOKED = value("revoked", "Revoked by its issuer.")
    REVOCATION_UNKNOWN = value(
        "revocation_unknown", "Its revocation status was needed and could not be obtained."
    )
    UNTRUSTED = value(
        "untrusted", "Does not chain to a configured trust root, or could not be checked."
    )


@strawberry.type(
    name="SignatureVerification",
    description=(
        "A signature checked on the bytes as they are now: any changed byte makes `intact` "
        "false. Registry facts (acting-for, number, code) appear when the caller may read "
        "the signed document."
    ),
)
class SignatureVerificationType:
    valid: bool = strawberry.field(
        description="True only when intact, covering the whole file, and the certificate VALID."
    )
    kind: SignatureKind = strawberry.field(description="PAdES (PDF) or detached JWS.")
    intact: bool = strawberry.field(
        description="The signed bytes are unchanged and the signature value checks out."
    )
    covers_whole_file: bool = strawberry.field(
        description="Nothing was added to the file after it was signed."
    )
    certificate_status: CertificateStatus = strawberry.field(
        description="The signer's certificate against the configured trust roots."
    )
    signer_name: str | None = strawberry.field(description="The certificate's common name.")
    signer_id: str | None = strawberry.field(description="The signer's user id (certificate UID).")
    signed_at: datetime | None = strawberry.field(
        description="The signing time in the signature (UTC)."
    )
    certificate_serial: str | None = strawberry.field(
        description="Serial number of the signer's certificate (hex)."
    )
    problems: list[str] = strawberry.field(
        description="What failed, each 'Azerbaijani / English'; empty when valid."
    )
    signature_id: strawberry.ID | None = strawberry.field(
        description="The registry's signature, when the file is one it recorded."
    )
    document_id: strawberry.ID | None = strawberry.field(description="The signed document.")
    file_id: strawberry.ID | None = strawberry.field(description="The signed file version.")
    acting_for: str | None = strawberry.field(
        description="User id of the head the signer signed for within a delegation (əvəzinə)."
    )
    acting_for_name: str | None = strawberry.field(description="That head's name.")
    registration_number: str | None = strawberry.field(
        description="The registration number assigned at signing (qeydiyyat nömrəsi)."
    )
    verification_code: str | None = strawberry.field(
        description="The code printed in the visible signature block (yoxlama kodu)."
    )

    @classmethod
    def of(cls, found: Verification) -> SignatureVerificationType:
        check, record = found.check, found.record
        return cls(
            valid=found.valid,
            kind=SignatureKind(found.kind),
            intact=check.intact,
            covers_whole_file=check.covers_whole_file,
            certificate_status=CertificateStatus(check.certificate_status),
            signer_name=check.signer_name,
            signer_id=check.signer_id,
            signed_at=check.signed_at,
            certificate_serial=check.certificate_serial,
            problems=list(check.problems),
            signature_id=strawberry.ID(record.id) if record else None,
            document_id=strawberry.ID(record.document_id) if record else None,
            file_id=strawberry.ID(record.file_id) if record else None,
            acting_for=record.acting_for if record else None,
            acting_for_name=record.acting_for_name if record else None,
            registration_number=record.reg_number if record else None,
            verification_code=record.verification_code if record else None,
        )


@strawberry.input(name="SignDocumentInput", description="The document to sign.")
class SignDocumentInput:
    document_id: strawberry.ID = strawberry.field(
        description="A draft (outgoing, internal, order) in state `to_sign`."
    )
    client_mutation_id: str | None = strawberry.field(
        default=None, description="Repeat the request with the same id: it is done once."
    )


@strawberry.type(name="SignDocumentPayload", description="The signature made, or why not.")
class SignDocumentPayload:
    document_id: strawberry.ID | None = strawberry.field(description="The signed document.")
    signature_id: strawberry.ID | None = strawberry.field(description="The new signature.")
    file_id: strawberry.ID | None = strawberry.field(
        description="The stored `SIGNED` version (a PAdES-signed PDF, or the file the JWS signs)."
    )
    registration_number: str | None = strawberry.field(
        description="The number assigned in the kind's journal (OUT, INT or ORD)."
    )
    verification_code: str | None = strawberry.field(
        description="The code printed in the visible block (yoxlama kodu)."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Input problems; INVALID_TRANSITION names the state and the allowed steps."
    )
    client_mutation_id: str | None = strawberry.field(description="As sent.")


async def _read_upload(upload: Any) -> bytes:
    if not callable(getattr(upload, "read", None)):
        raise BadInput(
            "fayl multipart sorğu ilə göndərilməlidir / send the file in a multipart request",
            field="file",
        )
    limit = files_settings().max_bytes
    data = bytes(await upload.read(limit + 1))
    if len(data) > limit:
        raise BadInput(f"fayl {limit} baytdan böyükdür / file exceeds {limit} bytes", field="file")
    return data


@strawberry.type
class SignaturesQuery:
    @strawberry.field(
        description="Check a document's signature on its stored signed version: signer, time, "
        "acting-for, certificate status, integrity. NOT_FOUND when it has none or the caller "
        "may not read it."
    )
    async def verify_document_signature(
        self,
        info: Info,
        document_id: Annotated[strawberry.ID, strawberry.argument(description="The document.")],
    ) -> SignatureVerificationType:
        found = await verification.verify_document_signature(
            platform_of(info), principal_of(info), str(document_id)
        )
        return SignatureVerificationType.of(found)

    @strawberry.field(
        description="Check the signature behind a verification code printed in a signature "
        "block (yoxlama kodu), on the stored signed version: anyone for a public document, "
        "readers only for a classified one (NOT_FOUND otherwise, as for an unknown code)."
    )
    async def verify_signature_code(
        self,
        info: Info,
        code: Annotated[
            str, strawberry.argument(description="The code as printed, e.g. `ABCD-EFGH-JKLM`.")
        ],
    ) -> SignatureVerificationType:
        found = await verification.verify_code(platform_of(info), principal_of(info), code)
        return SignatureVerificationType.of(found)

    @strawberry.field(
        description="Check a signed file: a stored version (`fileId`, its document readable by "
        "the caller) or bytes you hold (`file`, multipart). A PDF verifies from its own bytes; "
        "other files by the detached JWS the registry recorded for them."
    )
    async def verify_signed_file(
        self,
        info: Info,
        file_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="A stored file version.")
        ] = None,
        file: Annotated[
            Upload | None,
            strawberry.argument(
                description="The file, as a part of a multipart request with the "
                "`Apollo-Require-Preflight` or `X-Asan-CSRF` header."
            ),
        ] = None,
    ) -> SignatureVerificationType:
        if (file_id is None) == (file is None):
            raise BadInput(
                "fileId və ya file, yalnız biri / exactly one of fileId or file", field="fileId"
            )
        platform, principal = platform_of(info), principal_of(info)
        if file_id is not None:
            found = await verification.verify_stored_file(platform, principal, str(file_id))
        else:
            data = await _read_upload(file)
            found = await verification.verify_uploaded_file(platform, principal, data)
        return SignatureVerificationType.of(found)


@strawberry.type
class SignaturesMutation:
    @strawberry.mutation(
        description="Sign a document in `to_sign` (the signatory, or the deputy acting for them "
        "within a delegation): assigns its registration number, signs the current draft "
        "(PAdES with a visible block for a PDF, a detached JWS otherwise), stores the SIGNED "
        "version; `to_sign -> signed`."
    )
    async def sign_document(
        self,
        info: Info,
        input: Annotated[SignDocumentInput, strawberry.argument(description="What to sign.")],
    ) -> SignDocumentPayload:
        result, errors = await attempt(
            lambda: use_cases.sign_document(
                platform_of(info),
                principal_of(info),
                str(input.document_id),
                client_mutation_id=input.client_mutation_id,
            )
        )
        done = result or {}
        return SignDocumentPayload(
            document_id=_id(done.get("documentId")),
            signature_id=_id(done.get("signatureId")),
            file_id=_id(done.get("fileId")),
            registration_number=done.get("registrationNumber"),
            verification_code=done.get("verificationCode"),
            user_errors=errors,
            client_mutation_id=input.client_mutation_id,
        )


def _id(value: Any) -> strawberry.ID | None:
    return strawberry.ID(str(value)) if value is not None else None


QUERIES: list[type] = [SignaturesQuery]
MUTATIONS: list[type] = [SignaturesMutation]
