"""Signing a document: ``to_sign -> signed`` in one audited unit.

In one transaction: the document is locked and moved to ``signed`` (a second signature racing
this one waits for the lock, then finds ``signed`` and gets INVALID_TRANSITION); the
registration number is taken from the kind's journal (OUT, INT, ORD; gapless: the counter is
locked in this transaction); the current draft (or the original) is signed, a PDF with a PAdES
signature whose visible block shows the number, the date, the signer (and whom they act for)
and a verification code, any other file with a detached JWS over its SHA-256 and metadata; the
result is stored as the document's ``signed`` version, the ``Signature`` node and the timeline
step are written. A failure anywhere rolls all of it back, the stored object included.

The signing happens while the document and the journal counter are locked: numbers are
gapless only if a number and its signature commit together. Signing a PDF takes tens of
milliseconds (bench/bench_signing.py), so this serialises the journal's signatures only
briefly.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from asan.archive.filing.auto import file_at_registration
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource, can
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import BadInput, InvalidTransition
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.documents import numbering
from asan.edms.documents import repository as documents_repo
from asan.edms.documents.access import document_resource, involve
from asan.edms.documents.flows import advance
from asan.edms.documents.timeline import record_step
from asan.edms.drafts.reads import route_signatory
from asan.edms.files.models import StoredFile
from asan.edms.files.reads import current_file, read_bytes
from asan.edms.files.use_cases import store_file_in_unit
from asan.edms.signatures import jws, pades
from asan.edms.signatures import repository as repo
from asan.edms.signatures.credentials import credential_for, signature_settings
from asan.edms.signatures.models import JWS, PADES
from asan.edms.signatures.policy import SIGN

JOURNAL_OF_KIND = {"outgoing": "OUT", "internal": "INT", "order": "ORD"}
PDF = "application/pdf"
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand


def verification_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def block_lines(number: str, on: date, signer: str, acting_for: str | None, code: str) -> list[str]:
    """The visible block: what a reader of the printed page needs to check it."""
    lines = [
        f"Qeydiyyat № / No: {number}",
        f"Tarix / Date: {on.strftime('%d.%m.%Y')}",
        f"İmzaladı / Signed by: {signer}",
    ]
    if acting_for:
        lines.append(f"Əvəzinə / Acting for: {acting_for}")
    lines.append(f"Yoxlama kodu / Verification code: {code}")
    return lines


def sign_target(principal: Principal, document_id: str) -> Any:
    """The document as the sign rule sees it: ``involved`` is the route's signatory only.

    A caller who may not even read the document is refused as NOT_FOUND (it stays hidden);
    one who may read it but not sign it gets FORBIDDEN.
    """

    async def resolve(tx: Tx) -> Resource:
        base = await document_resource(tx, document_id)
        signatory = await route_signatory(tx, document_id)
        readable = can(principal, "edms.document.read", base)
        return replace(
            base,
            involved=frozenset({signatory}) if signatory else frozenset(),
            hidden_if_denied=not readable,
        )

    return resolve


async def _source(m: Mutation, document_id: str) -> StoredFile:
    if await current_file(m.tx, document_id, "signed") is not None:
        raise InvalidTransition(
            "sənəd artıq imzalanıb / the document is already signed", field="documentId"
        )
    for role in ("draft", "original"):
        found = await current_file(m.tx, document_id, role)
        if found is not None:
            return found
    raise BadInput(
        "imzalanacaq fayl yoxdur (layihə və ya əsli) / no file to sign (a draft or original)",
        field="documentId",
    )


async def sign_document(
    platform: Platform,
    principal: Principal,
    document_id: str,
    *,
    client_mutation_id: str | None = None,
) -> dict[str, Any]:
    """Sign, number and store; returns ids (JSON-serialisable: idempotent replays return it)."""
    config = signature_settings()

    async def work(m: Mutation) -> dict[str, Any]:
        await advance(m.tx, document_id, "sign")
        row = await repo.document_for_signing(m.tx, document_id)
        assert row is not None  # advance found it under lock
        journal = JOURNAL_OF_KIND.get(row["kind"])
        if journal is None:
            raise InvalidTransition(
                f"'{row['kind']}' sənədi imzalanmır / a {row['kind']} document is not signed",
                field="documentId",
            )
        source = await _source(m, document_id)
        # the draft's caseIndex names its case: filed as it is registered (before the number:
        # the journal's counter is held from assign_number to the commit)
        if row["caseIndex"]:
            await file_at_registration(m, document_id)
        on = today_in_baku()
        number = row["regNumber"]
        if not number:
            reg = await numbering.assign_number(
                m.tx, journal, on, unit=row["unit"], case_index=row["caseIndex"]
            )
            await documents_repo.set_registration(m.tx, document_id, journal, reg, on)
            number = reg.number
        names = await repo.user_names(
            m.tx, [s for s in (principal.subject, principal.acting_for) if s]
        )
        signer_name = names.get(principal.subject) or principal.name or principal.subject
        acting_name = (
            names.get(principal.acting_for, principal.acting_for) if principal.acting_for else None
        )
        credential = await credential_for(platform.settings, config, principal.subject, signer_name)
        data = await read_bytes(platform, source)
        code = verification_code()
        signed_at = datetime.now(UTC)
        statement: dict[str, Any] | None = None
        token: str | None = None
        if source.content_type == PDF:
            reason = f"İmza / Signature: {number}"
            if acting_name:
                reason += f"; əvəzinə / acting for: {acting_name}"
            signed = await pades.sign_pdf(
                data,
                credential,
                block=block_lines(number, on, signer_name, acting_name, code),
                reason=reason,
                config=config,
            )
            kind = PADES
        else:
            signed = data
            statement = jws.statement_for(
                data,
                {
                    "documentId": document_id,
                    "registrationNumber": number,
                    "filename": source.filename,
                    "contentType": source.content_type,
                    "signer": principal.subject,
                    "signerName": signer_name,
                    "actingFor": principal.acting_for,
                    "signedAt": signed_at.isoformat(timespec="seconds"),
                    "verificationCode": code,
                },
            )
            token = await jws.sign_detached(statement, credential, config)
            kind = JWS
        stored = await store_file_in_unit(
            m,
            document_id,
            signed,
            filename=source.filename,
            content_type=source.content_type,
            role="signed",
            derived_from=source.id,
            field="documentId",
        )
        signature_id = "sig_" + uuid.uuid4().hex
        await repo.create_signature(
            m.tx,
            {
                "id": signature_id,
                "documentId": document_id,
                "fileId": stored.id,
                "sourceFileId": source.id,
                "kind": kind,
                "sha256": stored.sha256,
                "signer": principal.subject,
                "signerName": signer_name,
                "actingFor": principal.acting_for,
                "actingForName": acting_name,
                "signedAt": signed_at,
                "regNumber": number,
                "verificationCode": code,
                "certificateSerial": format(credential.certificate.serial_number, "x"),
                "jws": token,
                "statement": statement,
            },
        )
        await involve(m.tx, document_id, [principal.subject])
        await record_step(
            m.tx,
            document_id,
            "sign",
            principal,
            {
                "number": number,
                "journal": journal,
                "signature": signature_id,
                "kind": kind,
                "file": stored.id,
                "actingForName": acting_name,
            },
        )
        m.changed("Document", document_id, "status_changed", ("status", "regNumber", "regDate"))
        m.changed("Signature", signature_id, "created", ("documentId", "fileId", "kind"))
        m.detail(
            regNumber=number, signature=signature_id, kind=kind, actingFor=principal.acting_for
        )
        return {
            "documentId": document_id,
            "signatureId": signature_id,
            "fileId": stored.id,
            "registrationNumber": number,
            "verificationCode": code,
        }

    return await run_mutation(
        platform,
        principal,
        SIGN,
        sign_target(principal, document_id),
        work,
        client_mutation_id=client_mutation_id,
    )
