"""Destruction acts: drawn up by the archive, signed by the agency's head.

An act lists cases with an approved destruction decision whose disposal date has passed and
no active hold; each row keeps a snapshot (counts, size, a SHA-256 digest over the records),
so the PDF the head signs names exactly the files that will go. Signing renders that PDF,
signs it with the EDMS signatures (PAdES, the signer's credential) and keeps it as the signed
version of an EDMS internal document made for the act, with a ``Signature`` node: the
document's verification (``verifyDocumentSignature``, the verification code, ``pdfsig``)
works on the act as on any signed document. A case whose records changed since the act was
drawn up makes signing refuse: a new act must be drawn up.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from asan.archive.disposition import repository as repo
from asan.archive.disposition.models import (
    DESTROY,
    DISPOSABLE_STATUSES,
    DRAFT,
    SIGNED,
    ActCase,
    DestructionAct,
    act_number,
)
from asan.archive.disposition.policy import ACT_CREATE, ACT_SIGN
from asan.archive.disposition.reads import load_act
from asan.archive.disposition.render import act_digest, act_pdf, records_digest
from asan.archive.disposition.settings import disposition_settings
from asan.archive.holds.reads import active_holds
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import BadInput, Conflict, InvalidTransition, NotFound
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.documents.access import involve
from asan.edms.documents.models import DocumentCard
from asan.edms.documents.timeline import record_step
from asan.edms.documents.use_cases import create_document_in_unit
from asan.edms.files.use_cases import store_file_in_unit
from asan.edms.signatures import pades
from asan.edms.signatures import repository as signatures_repo
from asan.edms.signatures.credentials import credential_for, signature_settings
from asan.edms.signatures.models import PADES
from asan.edms.signatures.use_cases import block_lines, verification_code

ACT_KIND = "DestructionAct"
MAX_CASES = 500
PDF = "application/pdf"


def act_target(act_id: str) -> Callable[[Tx], Awaitable[Resource]]:
    async def resolve(tx: Tx) -> Resource:
        row = await repo.act_row(tx, act_id)
        if row is None:
            return Resource(ACT_KIND, id=act_id, hidden_if_denied=True)
        return Resource(ACT_KIND, id=row["id"], status=row["status"])

    return resolve


def act_not_found(act_id: str) -> NotFound:
    return NotFound(f"akt {act_id[:60]} tapılmadı / destruction act not found", field="actId")


def _refusal(row: Any, today: Any) -> Exception | None:
    index = row["index"]
    if row["status"] not in DISPOSABLE_STATUSES or row["permanent"]:
        what = "daimi / permanent" if row["permanent"] else row["status"]
        return InvalidTransition(
            f"{index} işi '{what}' vəziyyətindədir, məhv edilmir / case {index} is '{what}' "
            "and cannot be destroyed",
            field="caseIds",
        )
    if row["decision"] != DESTROY:
        return InvalidTransition(
            f"{index} işinin məhvinə ekspert komissiyasının razılığı yoxdur / case {index} has "
            "no destruction approved by the expert commission",
            field="caseIds",
        )
    due = row["disposalDate"].to_native() if row["disposalDate"] is not None else None
    if due is None or due > today:
        until = due.isoformat() if due else "-"
        return InvalidTransition(
            f"{index} işinin saxlama müddəti {until} bitir / case {index} is kept until {until}",
            field="caseIds",
        )
    if row["actNumber"] is not None:
        return Conflict(
            f"{index} işi artıq {row['actNumber']} aktındadır / case {index} is already listed "
            f"in act {row['actNumber']}",
            field="caseIds",
        )
    return None


def _ids(case_ids: Sequence[str]) -> list[str]:
    ids = list(dict.fromkeys(str(c) for c in case_ids))
    if not ids or len(ids) > MAX_CASES:
        raise BadInput(f"1..{MAX_CASES} iş olmalıdır / list 1..{MAX_CASES} cases", field="caseIds")
    return ids


async def _snapshot(m: Mutation, ids: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    today = today_in_baku()
    snapshot: list[dict[str, Any]] = []
    commission: list[str] = []
    holds = await active_holds(m.tx, ids)
    for case_id in ids:
        row = await repo.case_for_disposal(m.tx, case_id)
        if row is None:
            raise NotFound(f"iş {case_id[:60]} tapılmadı / case not found", field="caseIds")
        refused = _refusal(row, today)
        if refused is not None:
            raise refused
        if case_id in holds:
            who = "; ".join(h.describe() for h in holds[case_id])
            raise Conflict(
                f"{row['index']} işinə saxlama qadağası qoyulub, məhv edilmir: {who} / case "
                f"{row['index']} is under a hold and cannot be destroyed: {who}",
                field="caseIds",
            )
        records = await repo.live_records(m.tx, case_id)
        snapshot.append(
            {
                "caseId": case_id,
                "index": row["index"],
                "title": row["title"],
                "year": row["year"],
                "retentionYears": row["retentionYears"],
                "disposalDate": row["disposalDate"],
                "documents": row["documents"],
                "records": len(records),
                "bytes": sum(int(r["size"]) for r in records),
                "digest": records_digest(records),
            }
        )
        if row["decidedByName"] and row["decidedByName"] not in commission:
            commission.append(row["decidedByName"])
    return snapshot, commission


async def create_act(
    platform: Platform,
    principal: Principal,
    case_ids: Sequence[str],
    *,
    client_mutation_id: str | None = None,
) -> str:
    """Draw up a destruction act (status draft) for the cases; returns its id."""
    ids = _ids(case_ids)

    async def work(m: Mutation) -> str:
        snapshot, commission = await _snapshot(m, ids)
        names = await signatures_repo.user_names(m.tx, [principal.subject])
        today = today_in_baku()
        number = act_number(today.year, await repo.next_act_seq(m.tx, today.year))
        act_id = "da_" + uuid.uuid4().hex
        await repo.create_act(
            m.tx,
            {
                "id": act_id,
                "number": number,
                "year": today.year,
                "status": DRAFT,
                "createdBy": principal.subject,
                "createdByName": names.get(principal.subject) or principal.subject,
                "createdAt": datetime.now(UTC),
                "records": sum(s["records"] for s in snapshot),
                "bytes": sum(s["bytes"] for s in snapshot),
                "destroyedRecords": 0,
                "commission": commission,
                "digest": act_digest((s["caseId"], s["digest"]) for s in snapshot),
            },
            snapshot,
        )
        m.changed(ACT_KIND, act_id, "created", ("number", "status", "cases"))
        m.detail(number=number, cases=[s["index"] for s in snapshot])
        return act_id

    return await run_mutation(
        platform,
        principal,
        ACT_CREATE,
        Resource(ACT_KIND),
        work,
        client_mutation_id=client_mutation_id,
        audit_resource=lambda act_id: Resource(ACT_KIND, id=act_id),
    )


async def _check_unchanged(m: Mutation, act: DestructionAct) -> None:
    for case in act.cases:
        records = await repo.live_records(m.tx, case.case_id)
        if len(records) != case.records or records_digest(records) != case.digest:
            raise Conflict(
                f"{case.index} işinin faylları akt tərtib ediləndən sonra dəyişib, yeni akt "
                f"lazımdır / the files of case {case.index} changed after the act was drawn "
                "up: draw up a new act",
                field="actId",
            )


async def _store_signed(m: Mutation, platform: Platform, act: DestructionAct) -> dict[str, Any]:
    config = signature_settings()
    names = await signatures_repo.user_names(m.tx, [m.principal.subject])
    signer_name = names.get(m.principal.subject) or m.principal.name or m.principal.subject
    credential = await credential_for(platform.settings, config, m.principal.subject, signer_name)
    pdf = await asyncio.to_thread(act_pdf, act)
    code = verification_code()
    today = today_in_baku()
    signed = await pades.sign_pdf(
        pdf,
        credential,
        block=block_lines(act.number, today, signer_name, None, code),
        reason=f"Məhv etmə aktı / Destruction act: {act.number}",
        config=config,
    )
    card = DocumentCard(
        kind="internal",
        subject=f"Məhv etmə aktı / Destruction act {act.number}",
        unit=disposition_settings().document_unit,
        summary=f"{len(act.cases)} iş / cases, {act.records} fayl / files",
    )
    document_id = await create_document_in_unit(m, card, status="signed")
    filename = f"{act.number}.pdf"
    draft = await store_file_in_unit(
        m, document_id, pdf, filename=filename, content_type=PDF, role="draft", field="actId"
    )
    stored = await store_file_in_unit(
        m,
        document_id,
        signed,
        filename=filename,
        content_type=PDF,
        role="signed",
        derived_from=draft.id,
        field="actId",
    )
    signature_id = "sig_" + uuid.uuid4().hex
    signed_at = datetime.now(UTC)
    await signatures_repo.create_signature(
        m.tx,
        {
            "id": signature_id,
            "documentId": document_id,
            "fileId": stored.id,
            "sourceFileId": draft.id,
            "kind": PADES,
            "sha256": stored.sha256,
            "signer": m.principal.subject,
            "signerName": signer_name,
            "actingFor": m.principal.acting_for,
            "actingForName": None,
            "signedAt": signed_at,
            "regNumber": act.number,
            "verificationCode": code,
            "certificateSerial": format(credential.certificate.serial_number, "x"),
            "jws": None,
            "statement": None,
        },
    )
    await involve(m.tx, document_id, [act.created_by, m.principal.subject])
    await record_step(
        m.tx,
        document_id,
        "sign",
        m.principal,
        {"number": act.number, "signature": signature_id, "kind": PADES, "file": stored.id},
    )
    m.changed("Signature", signature_id, "created", ("documentId", "fileId", "kind"))
    return {
        "signedBy": m.principal.subject,
        "signedByName": signer_name,
        "signedAt": signed_at,
        "documentId": document_id,
        "signatureId": signature_id,
        "signedFileId": stored.id,
        "draftFileId": draft.id,
        "verificationCode": code,
        "certificateSerial": format(credential.certificate.serial_number, "x"),
    }


async def sign_act(
    platform: Platform,
    principal: Principal,
    act_id: str,
    *,
    client_mutation_id: str | None = None,
) -> str:
    """Sign the drafted act (draft -> signed); returns its id."""

    async def work(m: Mutation) -> str:
        row = await repo.act_row(m.tx, act_id, lock=True)
        if row is None:
            raise act_not_found(act_id)
        act = await load_act(m.tx, row["id"])
        assert act is not None
        if act.status != DRAFT:
            raise InvalidTransition(
                f"akt {act.number} '{act.status}' vəziyyətindədir, imzalanmır / act "
                f"{act.number} is '{act.status}' and cannot be signed",
                field="actId",
            )
        await _check_unchanged(m, act)
        props = await _store_signed(m, platform, act)
        await repo.set_act(m.tx, act.id, {**props, "status": SIGNED})
        m.changed(ACT_KIND, act.id, "status_changed", ("status", "signedBy", "signedAt"))
        m.detail(number=act.number, signature=props["signatureId"], document=props["documentId"])
        return act.id

    return await run_mutation(
        platform,
        principal,
        ACT_SIGN,
        act_target(act_id),
        work,
        client_mutation_id=client_mutation_id,
    )


async def act_pdf_bytes(platform: Platform, act: DestructionAct) -> bytes:
    """The signed PDF as stored (checked against its SHA-256), or the draft rendered now."""
    if act.signed_file_id is None:
        return await asyncio.to_thread(act_pdf, act)
    from asan.edms.files.reads import file_by_id, read_bytes

    stored = await file_by_id(platform.db, act.signed_file_id)
    if stored is None:
        raise act_not_found(act.id)
    return await read_bytes(platform, stored)


__all__ = ["ActCase", "act_pdf_bytes", "act_target", "create_act", "sign_act"]
