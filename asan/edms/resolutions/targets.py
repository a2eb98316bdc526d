"""The policy's view of a task, a resolution or an extension request, read in the mutation's
own transaction.

Each carries the document's classification (the clearance guard applies) and, as
``involved``, the people its rule names: a task's executor; a resolution's or an extension's
author and the head the author acted for. A caller who may not read the document is refused
with NOT_FOUND; one who may read it but is not the right person, with FORBIDDEN. An unknown id
resolves to a hidden resource, so the refusal is audited like any other and reveals nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace

from asan.auth.policy import Resource, can
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import NotFound
from asan.edms.documents.access import document_resource

Target = Callable[[Tx], Awaitable[Resource]]
READ = "edms.document.read"


async def _on_document(
    tx: Tx,
    principal: Principal,
    kind: str,
    entity_id: str,
    document_id: str,
    *,
    unit: str | None,
    status: str | None,
    involved: Iterable[str | None],
) -> Resource:
    try:
        document = await document_resource(tx, document_id)
    except NotFound:
        return Resource(kind, entity_id, hidden_if_denied=True)
    return Resource(
        kind,
        entity_id,
        org_unit=unit,
        status=status,
        classification=document.classification,
        involved=frozenset(s for s in involved if s),
        hidden_if_denied=not can(principal, READ, document),
    )


def document_or_hidden(principal: Principal, document_id: str) -> Target:
    """The document itself (a resolution is written on it); unknown ids stay hidden, and a
    caller who may read the document but not write on it is told FORBIDDEN."""

    async def resolve(tx: Tx) -> Resource:
        try:
            document = await document_resource(tx, document_id)
        except NotFound:
            return Resource("Document", document_id, hidden_if_denied=True)
        return replace(document, hidden_if_denied=not can(principal, READ, document))

    return resolve


def task_target(principal: Principal, task_id: str) -> Target:
    async def resolve(tx: Tx) -> Resource:
        rows = await tx.run(
            "MATCH (t:ExecutionTask {id: $id}) "
            "RETURN t.documentId AS documentId, t.unit AS unit, t.status AS status, "
            "t.executor AS executor",
            {"id": task_id},
        )
        if not rows:
            return Resource("ExecutionTask", task_id, hidden_if_denied=True)
        row = rows[0]
        return await _on_document(
            tx,
            principal,
            "ExecutionTask",
            task_id,
            row["documentId"],
            unit=row["unit"],
            status=row["status"],
            involved=[row["executor"]],
        )

    return resolve


def resolution_target(principal: Principal, resolution_id: str) -> Target:
    async def resolve(tx: Tx) -> Resource:
        rows = await tx.run(
            "MATCH (r:Resolution {id: $id}) "
            "RETURN r.documentId AS documentId, r.unit AS unit, r.status AS status, "
            "r.author AS author, r.actingFor AS actingFor",
            {"id": resolution_id},
        )
        if not rows:
            return Resource("Resolution", resolution_id, hidden_if_denied=True)
        row = rows[0]
        return await _on_document(
            tx,
            principal,
            "Resolution",
            resolution_id,
            row["documentId"],
            unit=row["unit"],
            status=row["status"],
            involved=[row["author"], row["actingFor"]],
        )

    return resolve


def extension_target(principal: Principal, extension_id: str) -> Target:
    async def resolve(tx: Tx) -> Resource:
        rows = await tx.run(
            "MATCH (x:DeadlineExtension {id: $id}), (r:Resolution {id: x.resolutionId}) "
            "RETURN x.documentId AS documentId, r.unit AS unit, x.status AS status, "
            "r.author AS author, r.actingFor AS actingFor",
            {"id": extension_id},
        )
        if not rows:
            return Resource("DeadlineExtension", extension_id, hidden_if_denied=True)
        row = rows[0]
        return await _on_document(
            tx,
            principal,
            "DeadlineExtension",
            extension_id,
            row["documentId"],
            unit=row["unit"],
            status=row["status"],
            involved=[row["author"], row["actingFor"]],
        )

    return resolve
