"""Mutations of drafts: create, route, send to visa, visa, new version, form check, return.

Each is one audited unit (``run_mutation``) that locks the draft before reading its route,
so two visas racing on one draft are judged one after the other: both recorded, or the
second refused (its step already decided, or the draft no longer on visa); never lost.
Every step is written to the document's timeline; results are plain dicts so a repeated
request with the same ``clientMutationId`` can be answered from the first one.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from asan.archive.filing.auto import check_index
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.errors import FieldError, ValidationFailed
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.documents import flows as doc_flows
from asan.edms.documents.access import document_target, involve
from asan.edms.documents.models import DocumentCard
from asan.edms.documents.timeline import record_step
from asan.edms.documents.use_cases import create_document_in_unit
from asan.edms.drafts import checks, flows, form, policy
from asan.edms.drafts import repository as repo
from asan.edms.drafts.models import (
    FORM_ACCEPTED,
    FORM_REJECTED,
    STEP_WAITING,
    Addressee,
    DraftInput,
    FormCheck,
    RouteSpec,
)


@dataclass(frozen=True)
class DraftFile:
    """A draft's file as sent (a version of the text to be signed); stored by the files part."""

    data: bytes
    filename: str
    content_type: str | None = None


@dataclass(frozen=True)
class NewVersion:
    """What a new version changes: the file, and optionally the card and the addressees."""

    file: DraftFile | None = None
    subject: str | None = None
    attachments: int | None = None
    attachment_titles: tuple[str, ...] | None = None
    addressees: tuple[Addressee, ...] | None = None
    comment: str = ""


def now() -> datetime:
    return datetime.now(UTC)


async def _store(m: Mutation, document_id: str, file: DraftFile) -> str:
    from asan.edms.files.use_cases import store_file_in_unit  # the files part

    stored = await store_file_in_unit(
        m,
        document_id,
        file.data,
        filename=file.filename,
        content_type=file.content_type,
        role="draft",
    )
    return stored.id


async def _set_route(
    m: Mutation, document_id: str, kind: str, version: int, route: RouteSpec, classification: str
) -> None:
    rows, signatory, signatory_position = await checks.resolve_route(
        m.tx, kind, route, today_in_baku(), classification=classification
    )
    for row in rows:
        row["round"] = version
    await repo.replace_route(
        m.tx, document_id, rows, signatory=signatory, signatory_position=signatory_position
    )
    await involve(m.tx, document_id, [*(r["user"] for r in rows), signatory])
    await record_step(
        m.tx,
        document_id,
        "set_visa_route",
        m.principal,
        {"stages": max(r["stage"] for r in rows), "steps": len(rows), "signatory": signatory},
    )


async def create_draft(
    platform: Platform,
    principal: Principal,
    draft: DraftInput,
    *,
    file: DraftFile | None = None,
    client_mutation_id: str | None = None,
) -> str:
    """A new draft in its executing unit (status ``draft``, version 1); returns its id."""
    resource = Resource(
        "Document",
        org_unit=draft.unit,
        classification=None if draft.classification == "public" else draft.classification,
    )

    async def work(m: Mutation) -> str:
        cleaned = checks.check_draft(draft)
        if cleaned.case_index:  # filed when signed; an index outside the approved plan: now
            await check_index(m, cleaned.case_index)
        card = DocumentCard(
            kind=cleaned.kind,
            subject=cleaned.subject,
            unit=cleaned.unit,
            summary=cleaned.summary or None,
            attachments=cleaned.attachments,
            language=cleaned.language,
            classification=cleaned.classification,
            case_index=cleaned.case_index,
        )
        document_id = await create_document_in_unit(m, card, status="draft")
        await repo.set_draft_fields(
            m.tx,
            document_id,
            version=1,
            attachment_titles=cleaned.attachment_titles,
            at=now(),
        )
        await repo.replace_addressees(m.tx, document_id, cleaned.addressees)
        if cleaned.route is not None:
            await _set_route(m, document_id, cleaned.kind, 1, cleaned.route, cleaned.classification)
        file_id = await _store(m, document_id, file) if file is not None else None
        await record_step(
            m.tx,
            document_id,
            "create_draft",
            m.principal,
            {"version": 1, "addressees": len(cleaned.addressees), "file": file_id},
        )
        return document_id

    return await run_mutation(
        platform,
        principal,
        policy.CREATE,
        resource,
        work,
        client_mutation_id=client_mutation_id,
    )


async def set_visa_route(
    platform: Platform,
    principal: Principal,
    document_id: str,
    route: RouteSpec,
    *,
    client_mutation_id: str | None = None,
) -> dict[str, Any]:
    """Set (or replace) the route while the draft is with its unit (draft or returned)."""

    async def work(m: Mutation) -> dict[str, Any]:
        row = await repo.lock_draft(m.tx, document_id)
        if row["status"] not in ("draft", "returned"):
            raise doc_flows.invalid(row["kind"], row["status"], "set_visa_route")
        await _set_route(
            m,
            document_id,
            row["kind"],
            row["version"],
            route,
            row["classification"] or "public",
        )
        m.changed("Document", document_id, "updated", ["visaRoute", "signatory", "involved"])
        return {"documentId": document_id, "status": row["status"]}

    return await run_mutation(
        platform,
        principal,
        policy.EDIT,
        document_target(document_id),
        work,
        client_mutation_id=client_mutation_id,
    )


async def advance_step(
    m: Mutation, document_id: str, step: str, details: dict[str, Any] | None = None
) -> str:
    _, new = await doc_flows.advance(m.tx, document_id, step)
    await record_step(m.tx, document_id, step, m.principal, details)
    return new


async def _open_route(m: Mutation, document_id: str) -> str:
    """Make the current stage's steps pending; a route already approved throughout (no step
    restarts on a new version) goes straight on to the form check."""
    route = await repo.steps(m.tx, document_id)
    if flows.current_stage(route) is None:
        return await advance_step(m, document_id, "visas_complete")
    await repo.set_step_statuses(m.tx, flows.arrange(route))
    return "on_visa"


async def send_to_visa(
    platform: Platform,
    principal: Principal,
    document_id: str,
    *,
    client_mutation_id: str | None = None,
) -> dict[str, Any]:
    async def work(m: Mutation) -> dict[str, Any]:
        await repo.lock_draft(m.tx, document_id)
        if not await repo.steps(m.tx, document_id):
            raise ValidationFailed(
                [
                    FieldError(
                        "documentId",
                        "əvvəlcə viza marşrutunu təyin edin / set a visa route first",
                        "NO_VISA_ROUTE",
                    )
                ]
            )
        await advance_step(m, document_id, "send_to_visa")
        status = await _open_route(m, document_id)
        m.changed("Document", document_id, "status_changed", ["status", "visaRoute"])
        return {"documentId": document_id, "status": status}

    return await run_mutation(
        platform,
        principal,
        policy.EDIT,
        document_target(document_id),
        work,
        client_mutation_id=client_mutation_id,
    )


async def new_draft_version(
    platform: Platform,
    principal: Principal,
    document_id: str,
    change: NewVersion,
    *,
    client_mutation_id: str | None = None,
) -> dict[str, Any]:
    """A new version: a returned draft comes back to ``draft`` (a draft stays one); the steps
    the route says restart are pending again after the next send, the others keep their
    approval; every visa given stays in the history with the version it was given on."""

    async def work(m: Mutation) -> dict[str, Any]:
        row = await repo.lock_draft(m.tx, document_id)
        e = checks.Errors()
        comment = e.text(
            change.comment, "comment", checks.REASON_MAX, required=False, multiline=True
        )
        fields: dict[str, Any] = {}
        if change.subject is not None:
            fields["subject"] = e.text(change.subject, "subject", checks.SUBJECT_MAX)
        titles: tuple[str, ...] | None = None
        if change.attachments is not None or change.attachment_titles is not None:
            count, titles = checks.check_attachments(
                e,
                change.attachments if change.attachments is not None else row["attachments"],
                change.attachment_titles or (),
            )
            fields["attachments"] = count
        addressees = (
            checks.check_addressees(e, change.addressees) if change.addressees is not None else None
        )
        e.done()
        await doc_flows.advance(m.tx, document_id, "new_version")
        version = row["version"] + 1
        route = await repo.steps(m.tx, document_id)
        restart = flows.to_restart(route)
        await repo.set_step_statuses(m.tx, {i: STEP_WAITING for i in restart}, round=version)
        if titles is not None:
            await repo.set_draft_fields(
                m.tx, document_id, version=version, attachment_titles=titles, at=now()
            )
        else:
            await repo.update_card(m.tx, document_id, {"draftVersion": version}, now())
        if fields:
            await repo.update_card(m.tx, document_id, fields, now())
        if addressees is not None:
            await repo.replace_addressees(m.tx, document_id, addressees)
        file_id = await _store(m, document_id, change.file) if change.file else None
        kept = [s.role for s in route if s.id not in restart]
        await record_step(
            m.tx,
            document_id,
            "new_version",
            m.principal,
            {
                "version": version,
                "file": file_id,
                "comment": comment,
                "restarted": len(restart),
                "kept": kept,
            },
        )
        m.changed(
            "Document",
            document_id,
            "status_changed" if row["status"] != "draft" else "updated",
            ["status", "draftVersion", *fields, *(["addressees"] if addressees else [])],
        )
        return {"documentId": document_id, "status": "draft", "version": version}

    return await run_mutation(
        platform,
        principal,
        policy.EDIT,
        document_target(document_id),
        work,
        client_mutation_id=client_mutation_id,
    )


async def check_form(
    platform: Platform,
    principal: Principal,
    document_id: str,
    *,
    reasons: Sequence[str] = (),
    client_mutation_id: str | None = None,
) -> dict[str, Any]:
    """The registrar's check: accepted -> to sign; otherwise back to the unit with every
    reason (the system's findings first, then the registrar's own)."""

    async def work(m: Mutation) -> dict[str, Any]:
        row = await repo.lock_draft(m.tx, document_id)
        own = checks.check_reasons(reasons, "reasons", required=False)
        if row["status"] != "form_check":
            raise doc_flows.invalid(row["kind"], row["status"], "form_check")
        found = [*await form.problems(m.tx, document_id, row["kind"], row["attachments"]), *own]
        outcome = FORM_REJECTED if found else FORM_ACCEPTED
        check = FormCheck(
            uuid.uuid4().hex, row["version"], outcome, tuple(found), m.principal.subject, now()
        )
        await repo.record_form_check(m.tx, document_id, check)
        step = "form_rejected" if found else "form_accepted"
        status = await advance_step(
            m, document_id, step, {"reasons": found, "version": row["version"]}
        )
        await involve(m.tx, document_id, [m.principal.subject])
        m.changed("Document", document_id, "status_changed", ["status", "formChecks"])
        m.detail(outcome=outcome, reasons=len(found))
        return {"documentId": document_id, "status": status, "outcome": outcome, "reasons": found}

    return await run_mutation(
        platform,
        principal,
        policy.FORM_CHECK,
        document_target(document_id),
        work,
        client_mutation_id=client_mutation_id,
    )
