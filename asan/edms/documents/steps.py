"""The documents part's own steps of the state table: filing an incoming document without
action (registered -> closed: it needs no execution, it goes to its case) and archiving a
closed or dispatched document. Each is one audited unit: lock, check, move, timeline, log."""

from __future__ import annotations

from asan.archive.filing.auto import file_at_completion
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.principal import Principal
from asan.core.errors import FieldError, ValidationFailed
from asan.core.platform import Platform
from asan.core.text import clean
from asan.edms.documents import flows
from asan.edms.documents import repository as repo
from asan.edms.documents.access import document_target
from asan.edms.documents.timeline import record_step

MAX_REASON = 1000


async def file_without_action(
    platform: Platform,
    principal: Principal,
    document_id: str,
    *,
    reason: str,
    case_index: str | None = None,
    client_mutation_id: str | None = None,
) -> str:
    """registered -> closed, with the reason (e.g. "for information") and the case it goes to."""
    text, error = clean(reason, "reason", max_length=MAX_REASON, multiline=True)
    errors = [error] if error is not None else []
    index = None
    if case_index is not None:
        index, bad = clean(case_index, "caseIndex", max_length=100)
        if bad is not None:
            errors.append(bad)
    if errors:
        raise ValidationFailed(errors)

    async def work(m: Mutation) -> str:
        old, new = await flows.advance(m.tx, document_id, "file_without_action")
        fields = ["status"]
        if index:
            await repo.update_card(m.tx, document_id, {"caseIndex": index})
            fields.append("caseIndex")
        else:
            row = await repo.document_row(m.tx, document_id)
            if row is None or not row.get("caseIndex"):
                raise ValidationFailed(
                    [
                        FieldError(
                            "caseIndex",
                            "sənəd hansı işə tikilir? / which case is the document filed into?",
                        )
                    ]
                )
        await record_step(
            m.tx,
            document_id,
            "file_without_action",
            m.principal,
            {"reason": text, "caseIndex": index, "from": old, "to": new},
        )
        await file_at_completion(m, document_id, refuse=True)  # the registrar names the case
        m.changed("Document", document_id, "status_changed", fields)
        return document_id

    return await run_mutation(
        platform,
        principal,
        "edms.document.file_without_action",
        document_target(document_id),
        work,
        client_mutation_id=client_mutation_id,
    )


async def archive_document(
    platform: Platform,
    principal: Principal,
    document_id: str,
    *,
    client_mutation_id: str | None = None,
) -> str:
    """closed or dispatched -> archived (the archive issue adds retention and transfer)."""

    async def work(m: Mutation) -> str:
        old, new = await flows.advance(m.tx, document_id, "archive")
        await record_step(m.tx, document_id, "archive", m.principal, {"from": old, "to": new})
        m.changed("Document", document_id, "status_changed", ["status"])
        return document_id

    return await run_mutation(
        platform,
        principal,
        "edms.document.archive",
        document_target(document_id),
        work,
        client_mutation_id=client_mutation_id,
    )
