"""Reads of the dispatch register and of deliveries, each behind the policy.

The register of a document is read by whoever may read the document. A delivery is read by
its addressee body only (``edms.delivery.read``): a line sent to another body, by post, or
not sent yet does not exist for the caller (NOT_FOUND, never FORBIDDEN).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from asan.auth.policy import Resource, authorize
from asan.auth.principal import Principal
from asan.core.errors import NotFound
from asan.core.platform import Platform
from asan.edms.dispatch import models as md
from asan.edms.dispatch import repository as repo
from asan.edms.documents.access import document_resource
from asan.edms.files.models import StoredFile
from asan.edms.files.reads import file_by_id, read_bytes
from asan.integration.policy import DELIVERY_READ

MAX_DELIVERIES = 100


@dataclass(frozen=True)
class DeliveredDocument:
    """A delivery as its addressee sees it: the line, and the document's public face."""

    entry: md.DispatchEntry
    document_id: str
    kind: str
    reg_number: str | None
    reg_date: Any
    subject: str | None
    filename: str | None
    content_type: str | None
    size: int | None


async def dispatch_register(
    platform: Platform, principal: Principal, document_id: str
) -> list[md.DispatchEntry]:
    """The mailing list (before dispatch) or the register (after), in list order."""
    async with platform.db.read_transaction() as tx:
        authorize(principal, "edms.document.read", await document_resource(tx, document_id))
        rows = await repo.entries(tx, document_id)
    return [md.DispatchEntry.of(r) for r in rows]


def _hidden(entry_id: str) -> NotFound:
    return NotFound(f"DocumentDelivery {entry_id[:60]} tapılmadı / not found", field="id")


def _check(principal: Principal, row: Any, entry_id: str) -> md.DispatchEntry:
    if row is None or row["method"] != md.SYSTEM or row["status"] == md.PLANNED:
        raise _hidden(entry_id)
    authorize(
        principal,
        DELIVERY_READ,
        Resource("DocumentDelivery", entry_id, state_body=row["stateBody"], hidden_if_denied=True),
    )
    return md.DispatchEntry.of(row)


async def delivery(platform: Platform, principal: Principal, entry_id: str) -> DeliveredDocument:
    entry = _check(principal, await repo.entry_read(platform.db, entry_id), entry_id)
    doc = await repo.delivered_document(platform.db, entry_id)
    if doc is None:
        raise _hidden(entry_id)
    return DeliveredDocument(
        entry=entry,
        document_id=doc["documentId"],
        kind=doc["kind"],
        reg_number=doc["regNumber"],
        reg_date=doc["regDate"],
        subject=doc["subject"],
        filename=doc["filename"],
        content_type=doc["contentType"],
        size=doc["size"],
    )


async def deliveries(
    platform: Platform, principal: Principal, status: str | None, first: int
) -> list[md.DispatchEntry]:
    """The caller's body's deliveries, newest first (a system catching up after downtime)."""
    body = principal.state_body
    authorize(principal, DELIVERY_READ, Resource("DocumentDelivery", None, state_body=body))
    if body is None:  # an administrator passes the rule but has no body's deliveries
        return []
    rows = await repo.body_deliveries(platform.db, body, status, min(first, MAX_DELIVERIES))
    return [md.DispatchEntry.of(r) for r in rows]


async def delivered_file(
    platform: Platform, principal: Principal, entry_id: str
) -> tuple[StoredFile, bytes]:
    """The dispatched version's bytes, checked against the hash the register recorded."""
    entry = _check(principal, await repo.entry_read(platform.db, entry_id), entry_id)
    stored = await file_by_id(platform.db, entry.file_id) if entry.file_id else None
    if stored is None or stored.sha256 != entry.sha256:
        raise _hidden(entry_id)
    return stored, await read_bytes(platform, stored)


async def entry(platform: Platform, principal: Principal, entry_id: str) -> md.DispatchEntry:
    """One register line, for whoever may read its document."""
    async with platform.db.read_transaction() as tx:
        row = await repo.entry(tx, entry_id)
        if row is None:
            raise NotFound(f"göndəriş {entry_id[:60]} tapılmadı / not found", field="id")
        authorize(principal, "edms.document.read", await document_resource(tx, row["documentId"]))
    return md.DispatchEntry.of(row)
