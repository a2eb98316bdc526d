"""Mutations of documents and journals: each one audited unit through ``run_mutation``.

``create_document_in_unit`` is the contract's building block for other parts (a draft, a
delivered incoming document awaiting registration): it runs inside THEIR mutation.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from asan.archive.filing.auto import file_at_registration
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.errors import FieldError, ValidationFailed
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.documents import flows, numbering, validation
from asan.edms.documents import repository as repo
from asan.edms.documents.access import document_target, involve, not_found
from asan.edms.documents.models import CARD_FIELDS, DEFAULT_JOURNAL, DocumentCard
from asan.edms.documents.timeline import record_step

# A card may be corrected until the document is signed, closed or archived.
EDITABLE_STATUSES = frozenset(
    {
        "received",
        "registered",
        "in_execution",
        "executed",
        "draft",
        "returned",
        "on_visa",
        "form_check",
        "to_sign",
    }
)


@dataclass(frozen=True)
class NewFile:
    """A file sent with a registration (the scanned original); stored by the files part."""

    data: bytes
    filename: str
    content_type: str | None = None


async def create_document_in_unit(m: Mutation, card: DocumentCard, *, status: str) -> str:
    """Create a Document node in ``status`` inside the caller's mutation; returns its id."""
    card = validation.clean_card(card, m.principal)
    await validation.check_references(m.tx, card)
    if status not in flows.TRANSITIONS.get(card.kind, {}):
        raise ValueError(f"{status} is not a state of {card.kind} documents")
    document_id = str(uuid.uuid4())
    await repo.create_document(m.tx, document_id, card, status, m.principal.subject)
    await record_step(m.tx, document_id, "create", m.principal, {"status": status})
    m.changed("Document", document_id, "created", [api for api, _ in CARD_FIELDS])
    return document_id


async def _register(m: Mutation, document_id: str, journal: str, card: DocumentCard) -> str:
    on = today_in_baku()
    await flows.advance(m.tx, document_id, "register")
    # everything that does not need the number first: from assign_number to the commit this
    # registration holds the journal's counter, and every other one in the journal waits
    await involve(m.tx, document_id, [m.principal.subject])
    number = await numbering.assign_number(
        m.tx, journal, on, unit=card.unit, case_index=card.case_index
    )
    await repo.set_registration(m.tx, document_id, journal, number, on)
    await record_step(
        m.tx, document_id, "register", m.principal, {"journal": journal, "number": number.number}
    )
    m.changed("Document", document_id, "status_changed", ["status", "regNumber", "regDate"])
    m.detail(journal=journal, regNumber=number.number)
    return number.number


async def register_document(
    platform: Platform,
    principal: Principal,
    card: DocumentCard,
    *,
    document_id: str | None = None,
    file: NewFile | None = None,
    client_mutation_id: str | None = None,
) -> str:
    """Register an incoming document: a new one from ``card``, or (``document_id``) one that
    arrived electronically and awaits registration, its card completed from ``card``.
    Returns the document's id; the number is assigned in the same transaction."""
    journal = card.journal_code or DEFAULT_JOURNAL.get(card.kind, "INC")
    if card.kind != "incoming":
        raise ValidationFailed(
            [FieldError("kind", "yalnız daxil olan sənəd / only an incoming document")]
        )
    card = replace(card, journal_code=journal)
    secrecy = None if card.classification == "public" else card.classification
    resource: Any = (
        document_target(document_id)
        if document_id is not None
        else Resource("Document", org_unit=card.unit, classification=secrecy)
    )

    async def work(m: Mutation) -> str:
        if document_id is None:
            doc_id = await create_document_in_unit(m, card, status="received")
        else:
            doc_id = document_id
            row = await repo.document_row(m.tx, doc_id)
            if row is None or row["kind"] != "incoming":
                raise not_found(doc_id)
            cleaned = validation.clean_card(card, m.principal)
            await validation.check_references(m.tx, cleaned)
            await repo.update_card(m.tx, doc_id, repo.card_properties(cleaned))
        if file is not None:
            from asan.edms.files.use_cases import store_file_in_unit  # the files part

            await store_file_in_unit(
                m,
                doc_id,
                file.data,
                filename=file.filename,
                content_type=file.content_type,
                role="original",
            )
        await _register(m, doc_id, journal, card)
        if card.case_index:  # into the open case of the year with that index (archive)
            await file_at_registration(m, doc_id)
        return doc_id

    return await run_mutation(
        platform,
        principal,
        "edms.document.register",
        resource,
        work,
        client_mutation_id=client_mutation_id,
        # the audit trail names the registered document, not "a new one"
        audit_resource=lambda doc_id: Resource(
            "Document", doc_id, org_unit=card.unit, classification=secrecy
        ),
    )


def _card_of(row: Mapping[str, Any]) -> DocumentCard:
    values: dict[str, Any] = {attr: row.get(api) for api, attr in CARD_FIELDS}
    when = values.get("correspondent_date")
    if isinstance(when, str):
        values["correspondent_date"] = date.fromisoformat(when)
    elif when is not None and hasattr(when, "to_native"):
        values["correspondent_date"] = when.to_native()
    values["language"] = values.get("language") or "az"
    values["classification"] = values.get("classification") or "public"
    return DocumentCard(
        kind=row["kind"],
        journal_code=row.get("journalCode"),
        sample=bool(row.get("sample")),
        involved=tuple(row.get("involved") or ()),
        **values,
    )


CARD_ATTRS = frozenset(f.name for f in fields(DocumentCard)) & {a for _, a in CARD_FIELDS}


async def update_document_card(
    platform: Platform,
    principal: Principal,
    document_id: str,
    changes: Mapping[str, Any],
    *,
    client_mutation_id: str | None = None,
) -> str:
    """Correct card fields (``changes`` by DocumentCard attribute; None clears a field)."""
    unknown = set(changes) - CARD_ATTRS
    if unknown:
        raise ValueError(f"not card fields: {sorted(unknown)}")

    async def work(m: Mutation) -> str:
        row = await repo.document_row(m.tx, document_id)
        if row is None:
            raise not_found(document_id)
        if row["status"] not in EDITABLE_STATUSES:
            raise flows.not_in_state(
                row["kind"], row["status"], "kartı dəyişmək olmaz", "the card cannot be changed"
            )
        old = _card_of(row)
        new = validation.clean_card(replace(old, **dict(changes)), m.principal)
        await validation.check_references(m.tx, replace(new, journal_code=None))
        changed = [
            (api, attr) for api, attr in CARD_FIELDS if getattr(old, attr) != getattr(new, attr)
        ]
        if changed:
            props = repo.card_properties(new)
            patch = {api: props[api] for api, _ in changed}
            if "subject" in patch:
                patch["subjectFold"] = props["subjectFold"]
            await repo.update_card(m.tx, document_id, patch)
            await record_step(
                m.tx,
                document_id,
                "update_card",
                m.principal,
                {"fields": [api for api, _ in changed]},
            )
            m.changed("Document", document_id, "updated", [api for api, _ in changed])
        return document_id

    return await run_mutation(
        platform,
        principal,
        "edms.document.update",
        document_target(document_id),
        work,
        client_mutation_id=client_mutation_id,
    )
