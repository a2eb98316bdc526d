"""The other body's side: acknowledging a delivery, sending a document to the agency.

A state body's system (a service account of the body whose scopes cover ``edms.delivery``)
receives a ``DOCUMENT_DELIVERY`` event through its webhook, fetches the file, and answers
through the API: ``acknowledge_delivery`` marks the register line delivered (or returned, with
the reason its system refused it); ``send_document_to_agency`` brings a document in, as an
incoming Document in status ``received`` in the receiving unit, waiting for a registrar
to register it (E's ``registerDocument`` with its id).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.core.text import clean
from asan.edms.dispatch import models as md
from asan.edms.dispatch import repository as repo
from asan.edms.dispatch.policy import ACKNOWLEDGE, RECEIVE
from asan.edms.dispatch.settings import dispatch_settings
from asan.edms.documents.models import LANGUAGES, DocumentCard
from asan.edms.documents.timeline import record_step
from asan.edms.documents.use_cases import create_document_in_unit
from asan.edms.files.use_cases import NOT_MULTIPART, store_file_in_unit


def delivery_target(entry_id: str) -> Callable[[Tx], Awaitable[Resource]]:
    """A register line as the addressee body sees it: only what was sent to its system
    exists for it (anything else, or another body's line, is NOT_FOUND)."""

    async def resolve(tx: Tx) -> Resource:
        row = await repo.entry(tx, entry_id)
        body = None
        if row is not None and row["method"] == md.SYSTEM and row["status"] != md.PLANNED:
            body = row["stateBody"]
        return Resource("DocumentDelivery", entry_id, state_body=body, hidden_if_denied=True)

    return resolve


async def acknowledge_delivery(
    platform: Platform,
    principal: Principal,
    entry_id: str,
    *,
    accepted: bool = True,
    reason: str | None = None,
    client_mutation_id: str | None = None,
) -> str:
    """The addressee's system received the document (delivered) or refused it (returned)."""
    text = None
    if reason is not None:
        text, error = clean(reason, "reason", max_length=1000, multiline=True)
        if error is not None:
            raise ValidationFailed([error])
    if not accepted and not text:
        raise ValidationFailed([FieldError("reason", "imtina səbəbi / why it is refused")])

    async def work(m: Mutation) -> str:
        row = await repo.lock_entry(m.tx, entry_id)
        if row is None:
            raise NotFound(f"DocumentDelivery {entry_id} tapılmadı / not found", field="id")
        line = md.DispatchEntry.of(row)
        status = md.DELIVERED if accepted else md.RETURNED
        if line.status != md.SENT:
            raise Conflict(
                f"çatdırılma artıq '{line.status}' vəziyyətindədir / the delivery is already "
                f"'{line.status}'",
                field="id",
            )
        at = datetime.now(UTC)
        values: dict[str, object] = {"status": status, "acknowledgedBy": principal.subject}
        values["deliveredAt" if accepted else "returnedAt"] = at
        if not accepted:
            values["reason"] = text
        await repo.set_entry(m.tx, entry_id, values)
        await record_step(
            m.tx,
            line.document_id,
            f"dispatch_{status}",
            principal,
            {"entry": entry_id, "addressee": line.state_body, "reason": text},
        )
        m.changed(md.DELIVERY_KIND, entry_id, "status_changed", sorted(values))
        return entry_id

    return await run_mutation(
        platform,
        principal,
        ACKNOWLEDGE,
        delivery_target(entry_id),
        work,
        client_mutation_id=client_mutation_id,
    )


def _clean_incoming(raw: md.IncomingFromAgency) -> tuple[str, str, date, str | None]:
    errors: list[FieldError] = []
    subject, error = clean(raw.subject, "subject", max_length=500)
    if error is not None:
        errors.append(error)
    number, error = clean(raw.number, "number", max_length=100)
    if error is not None:
        errors.append(error)
    on = date.today()
    try:
        on = date.fromisoformat(raw.date)
    except ValueError:
        errors.append(FieldError("date", "tarix YYYY-MM-DD / a date YYYY-MM-DD"))
    summary = None
    if raw.summary is not None and raw.summary.strip():
        summary, error = clean(raw.summary, "summary", max_length=4000, multiline=True)
        if error is not None:
            errors.append(error)
    if raw.language is not None and raw.language not in LANGUAGES:
        errors.append(FieldError("language", f"mümkün / allowed: {', '.join(LANGUAGES)}"))
    if raw.pages is not None and not 0 <= raw.pages <= 100_000:
        errors.append(FieldError("pages", "0-100000"))
    limit = dispatch_settings().max_incoming_bytes
    if raw.data is not None and len(raw.data) > limit:
        errors.append(FieldError("file", f"{limit} baytdan böyük / larger than {limit} bytes"))
    if errors:
        raise ValidationFailed(errors)
    return subject, number, on, summary


async def send_document_to_agency(
    platform: Platform,
    principal: Principal,
    raw: md.IncomingFromAgency,
    *,
    client_mutation_id: str | None = None,
) -> str:
    """A body's system sends a document in: an incoming document awaiting registration."""
    subject, number, on, summary = _clean_incoming(raw)
    body = principal.state_body
    unit = dispatch_settings().receiving_unit

    async def work(m: Mutation) -> str:
        if body is None:  # an administrator passes the rule but speaks for no body
            raise ValidationFailed(
                [
                    FieldError(
                        "input",
                        "yalnız dövlət orqanının sistemi göndərir / only a state body's system "
                        "sends documents in",
                    )
                ]
            )
        if raw.data is None:
            raise ValidationFailed([FieldError("file", NOT_MULTIPART)])
        reply_to = None
        if raw.in_reply_to is not None:
            found = await repo.entry(m.tx, raw.in_reply_to)
            if found is None or found["stateBody"] != body or found["status"] == md.PLANNED:
                raise NotFound(
                    f"çatdırılma {raw.in_reply_to[:60]} tapılmadı / delivery not found",
                    field="inReplyTo",
                )
            reply_to = str(found["id"])
        card = DocumentCard(
            kind="incoming",
            subject=subject,
            unit=unit,
            summary=summary,
            pages=raw.pages,
            channel="electronic",
            language=raw.language or "az",
            correspondent_kind="state_body",
            correspondent_body=body,
            correspondent_number=number,
            correspondent_date=on,
        )
        document_id = await create_document_in_unit(m, card, status="received")
        stored = await store_file_in_unit(
            m,
            document_id,
            raw.data,
            filename=raw.filename,
            content_type=raw.content_type,
            role="original",
        )
        if reply_to is not None:
            await repo.link_reply(m.tx, reply_to, document_id)
            m.changed(md.DELIVERY_KIND, reply_to, "updated", ("replyDocumentId",))
        await record_step(
            m.tx,
            document_id,
            "receive",
            principal,
            {"from": body, "number": number, "sha256": stored.sha256, "inReplyTo": reply_to},
        )
        m.detail(document=document_id, stateBody=body, sha256=stored.sha256)
        return document_id

    return await run_mutation(
        platform,
        principal,
        RECEIVE,
        Resource("DocumentDelivery", None, state_body=body),
        work,
        client_mutation_id=client_mutation_id,
    )
