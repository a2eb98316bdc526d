"""The agency's side of dispatch: the mailing list, the dispatch step, the register's outcomes.

Each is one audited unit through ``run_mutation`` (idempotent by client mutation id). The
dispatch step is the document's explicit transition ``signed -dispatch-> dispatched``
(``distribute`` for internal documents and orders): it turns the mailing list into the
dispatch register (every line ``sent`` with its date and the signed file's SHA-256) and, for
lines to a state body's system, reports a ``DocumentDelivery`` change that the integrators'
webhooks carry to that body (asan/integration/delivery.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.core.text import clean
from asan.core.workdays import BAKU, today_in_baku
from asan.edms.dispatch import models as md
from asan.edms.dispatch import repository as repo
from asan.edms.dispatch import validation
from asan.edms.dispatch.policy import PLAN, RECORD, SEND
from asan.edms.documents import flows
from asan.edms.documents.access import document_resource, document_target, involve
from asan.edms.documents.timeline import record_step
from asan.edms.files.reads import current_file

# the statuses in which the mailing list may still change (before it becomes the register)
OPEN = frozenset({"draft", "on_visa", "returned", "form_check", "to_sign", "signed"})
DISPATCH_STEP = {"outgoing": "dispatch", "internal": "distribute", "order": "distribute"}
# which version travels: the signed one; a document signed with a detached JWS keeps its draft
SENT_ROLES = ("signed", "draft", "original")


async def _locked(m: Mutation, document_id: str) -> dict[str, Any]:
    row = await repo.lock_document(m.tx, document_id)
    if row is None:
        raise NotFound(f"Document {document_id} tapılmadı / not found", field="documentId")
    if row["kind"] not in DISPATCH_STEP:
        raise ValidationFailed(
            [
                FieldError(
                    "documentId",
                    f"'{row['kind']}' sənədi göndərilmir / a {row['kind']} document is not "
                    "dispatched (outgoing, internal and order documents are)",
                )
            ]
        )
    return dict(row)


async def set_mailing_list(
    platform: Platform,
    principal: Principal,
    document_id: str,
    addressees: Sequence[md.AddresseeInput],
    *,
    client_mutation_id: str | None = None,
) -> str:
    """Replace the document's mailing list (every planned line) until it is dispatched."""

    async def work(m: Mutation) -> str:
        doc = await _locked(m, document_id)
        if doc["status"] not in OPEN:
            raise flows.invalid(doc["kind"], doc["status"], "set_mailing_list")
        secret = (doc["classification"] or "public") != "public"
        rows = await validation.clean_list(m.tx, addressees, secret=secret)
        await repo.replace_planned(m.tx, document_id, rows, datetime.now(UTC), principal.subject)
        await record_step(
            m.tx, document_id, "set_mailing_list", principal, {"addressees": len(rows)}
        )
        m.changed("Document", document_id, "updated", ("mailingList",))
        m.detail(addressees=len(rows))
        return document_id

    return await run_mutation(
        platform,
        principal,
        PLAN,
        document_target(document_id),
        work,
        client_mutation_id=client_mutation_id,
    )


async def _from_draft(m: Mutation, document_id: str, secret: bool) -> None:
    """No mailing list was written: start it from the draft's addressees."""
    found = [dict(r) for r in await repo.draft_addressees(m.tx, document_id)]
    if not found:
        return
    bodies = sorted({r["stateBody"] for r in found if r["kind"] == md.STATE_BODY})
    endpoints = (
        await repo.document_endpoints(m.tx, bodies, validation.DELIVERY_KIND_NAME)
        if bodies
        else set()
    )
    lines = [
        md.AddresseeInput(
            kind=r["kind"],
            method=validation.default_method(r, endpoints, secret),
            state_body=r["stateBody"],
            org_unit=r["orgUnit"],
            name=r["name"] or None,
            address=r["address"] or None,
            email=r["email"] or None,
        )
        for r in found
    ]
    rows = await validation.clean_list(m.tx, lines, secret=secret)
    await repo.replace_planned(m.tx, document_id, rows, datetime.now(UTC), m.principal.subject)


async def dispatch_document(
    platform: Platform,
    principal: Principal,
    document_id: str,
    *,
    client_mutation_id: str | None = None,
) -> str:
    """signed -> dispatched: every line of the mailing list is sent now."""

    async def work(m: Mutation) -> str:
        doc = await _locked(m, document_id)
        step = DISPATCH_STEP[doc["kind"]]
        flows.next_status(doc["kind"], doc["status"], step)  # wrong state: nothing else runs
        secret = (doc["classification"] or "public") != "public"
        if not await repo.entries(m.tx, document_id):
            await _from_draft(m, document_id, secret)
        lines = [md.DispatchEntry.of(r) for r in await repo.entries(m.tx, document_id)]
        if not lines:
            raise ValidationFailed(
                [FieldError("documentId", "göndəriş siyahısı boşdur / the mailing list is empty")]
            )
        # a body may have removed its endpoint since the list was written
        await validation.check_references(m.tx, [_row(line) for line in lines])
        sent = None
        for role in SENT_ROLES:
            sent = await current_file(m.tx, document_id, role)
            if sent is not None:
                break
        if sent is None and any(line.method in md.ELECTRONIC for line in lines):
            raise ValidationFailed(
                [FieldError("documentId", "göndəriləcək fayl yoxdur / no file to send")]
            )
        at = datetime.now(UTC)
        await flows.advance(m.tx, document_id, step)
        ids = await repo.mark_sent(
            m.tx, document_id, at, sent.id if sent else None, sent.sha256 if sent else None
        )
        internal = [ln for ln in lines if ln.kind == md.ORG_UNIT and ln.method == md.SYSTEM]
        units = [ln.org_unit for ln in internal]
        # inside the agency's own system the document is there the moment it is sent
        await repo.set_entries(
            m.tx, [ln.id for ln in internal], {"status": md.DELIVERED, "deliveredAt": at}
        )
        # ... and everyone in those units may read it from now on
        recipients = await repo.people_in_units(m.tx, [u for u in units if u], today_in_baku())
        await involve(m.tx, document_id, recipients)
        for entry_id in ids:
            m.changed(md.DELIVERY_KIND, entry_id, "created", ("status", "sentAt", "sha256"))
        await record_step(
            m.tx,
            document_id,
            step,
            principal,
            {
                "addressees": len(ids),
                "bySystem": sum(1 for line in lines if line.method == md.SYSTEM),
                "readers": len(recipients),
                "file": sent.id if sent else None,
                "sha256": sent.sha256 if sent else None,
            },
        )
        m.changed("Document", document_id, "status_changed", ("status",))
        m.detail(step=step, addressees=len(ids))
        return document_id

    return await run_mutation(
        platform,
        principal,
        SEND,
        document_target(document_id),
        work,
        client_mutation_id=client_mutation_id,
    )


def _row(line: md.DispatchEntry) -> dict[str, Any]:
    return {
        "position": line.position,
        "kind": line.kind,
        "method": line.method,
        "stateBody": line.state_body,
        "orgUnit": line.org_unit,
    }


def _entry_target(entry_id: str) -> Callable[[Tx], Awaitable[Resource]]:
    """run_mutation's resource for a register line: the document it belongs to (an unknown
    line is a hidden resource: refused, and audited, like a line one may not see)."""

    async def resolve(tx: Tx) -> Resource:
        document_id = await repo.document_of_entry(tx, entry_id)
        if document_id is None:
            return Resource("DispatchEntry", entry_id, hidden_if_denied=True)
        return await document_resource(tx, document_id)

    return resolve


async def record_outcome(
    platform: Platform,
    principal: Principal,
    outcome: md.Outcome,
    *,
    client_mutation_id: str | None = None,
) -> str:
    """The registrar records what became of a letter: delivered, or returned with a reason.

    Lines sent to a body's system are acknowledged by that system, not recorded here."""
    errors: list[FieldError] = []
    reason = tracking = None
    if outcome.status not in (md.DELIVERED, md.RETURNED):
        errors.append(FieldError("status", "delivered / returned"))
    if outcome.reason is not None:
        reason, error = clean(outcome.reason, "reason", max_length=1000, multiline=True)
        if error is not None:
            errors.append(error)
    if outcome.status == md.RETURNED and not reason:
        errors.append(FieldError("reason", "qaytarılma səbəbi / why it came back"))
    if outcome.tracking is not None:
        tracking, error = clean(outcome.tracking, "tracking", max_length=100)
        if error is not None:
            errors.append(error)
    if errors:
        raise ValidationFailed(errors)

    async def work(m: Mutation) -> str:
        row = await repo.lock_entry(m.tx, outcome.entry_id)
        if row is None:
            raise NotFound(f"göndəriş {outcome.entry_id[:60]} tapılmadı / not found", field="id")
        line = md.DispatchEntry.of(row)
        if line.method == md.SYSTEM:
            raise Conflict(
                "sistemlə göndərilən sənədi alan sistem təsdiqləyir / a delivery to a system is "
                "acknowledged by that system",
                field="id",
            )
        if line.status != md.SENT:
            raise Conflict(
                f"göndəriş '{line.status}' vəziyyətindədir / the entry is '{line.status}', "
                "only a sent one has an outcome",
                field="id",
            )
        at = outcome.at or datetime.now(UTC)
        if at.tzinfo is None:  # a time without an offset is the registrar's: Baku time
            at = at.replace(tzinfo=BAKU)
        if line.sent_at is not None and at < line.sent_at:
            raise ValidationFailed([FieldError("at", "göndərişdən əvvəl / before it was sent")])
        if at > datetime.now(UTC) + timedelta(minutes=5):  # a clock's skew, not the future
            raise ValidationFailed([FieldError("at", "gələcək tarix / in the future")])
        values: dict[str, Any] = {"status": outcome.status, "tracking": tracking}
        values["deliveredAt" if outcome.status == md.DELIVERED else "returnedAt"] = at
        if outcome.status == md.RETURNED:
            values["reason"] = reason
        await repo.set_entry(m.tx, line.id, values)
        await record_step(
            m.tx,
            line.document_id,
            f"dispatch_{outcome.status}",
            principal,
            {"entry": line.id, "addressee": line.state_body or line.org_unit or line.name},
        )
        m.changed(md.DELIVERY_KIND, line.id, "status_changed", sorted(values))
        return line.id

    return await run_mutation(
        platform,
        principal,
        RECORD,
        _entry_target(outcome.entry_id),
        work,
        client_mutation_id=client_mutation_id,
    )
