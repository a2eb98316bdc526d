"""Reads of drafts, and the two facts other parts build on.

- ``draft_addressees(tx, document_id)``: the addressees in mailing-list order, for the
  dispatch part's mailing list (a state body by registry code with the registry's name, an
  agency unit by code, an organisation or a person by name and address).
- ``route_signatory(tx, document_id)``: the user id the route names to sign, for the
  signatures part (a deputy acting for them signs as acting-for).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from asan.auth.policy import authorize
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import NotFound
from asan.core.platform import Platform
from asan.edms.documents.access import document_resource, visible_where
from asan.edms.drafts import repository as repo
from asan.edms.drafts.models import Addressee, DraftView, VisaStep

PENDING_VISAS_LIMIT = 200


async def draft_addressees(tx: Tx, document_id: str) -> list[Addressee]:
    return await repo.addressees(tx, document_id)


async def route_signatory(tx: Tx, document_id: str) -> str | None:
    row = await repo.draft_row(tx, document_id)
    return None if row is None else row["signatory"]


async def route_signatories(tx: Tx, document_ids: Sequence[str]) -> dict[str, str | None]:
    """``route_signatory`` of many drafts at once (a queue of documents to sign)."""
    return await repo.signatories(tx, document_ids)


async def draft_view(platform: Platform, principal: Principal, document_id: str) -> DraftView:
    """A draft as its reader may see it (NOT_FOUND for a document they may not read)."""
    async with platform.db.read_transaction() as tx:
        authorize(principal, "edms.document.read", await document_resource(tx, document_id))
        row = await repo.draft_row(tx, document_id)
        if row is None:
            raise NotFound(f"layihə {document_id} tapılmadı / draft not found", field="id")
        return DraftView(
            document_id=document_id,
            kind=row["kind"],
            status=row["status"],
            unit=row["unit"],
            subject=row["subject"],
            version=row["version"],
            attachments=row["attachments"],
            attachment_titles=tuple(row["attachmentTitles"]),
            signatory=row["signatory"],
            addressees=tuple(await repo.addressees(tx, document_id)),
            steps=tuple(await repo.steps(tx, document_id, with_replaced=True)),
            visas=tuple(await repo.visas(tx, document_id)),
            form_checks=tuple(await repo.form_checks(tx, document_id)),
        )


@dataclass(frozen=True)
class PendingVisa:
    document_id: str
    step: VisaStep


async def pending_visas(platform: Platform, principal: Principal) -> list[PendingVisa]:
    """Visa steps waiting for the caller now: their own, and those of the person they act
    for within a delegation (oldest draft first)."""
    if principal.kind != "user":
        return []
    users = [principal.subject, *([principal.acting_for] if principal.acting_for else [])]
    async with platform.db.read_transaction() as tx:
        rows = await repo.pending_steps_of(
            tx, users, PENDING_VISAS_LIMIT, visible_where("d", principal)
        )
    return [PendingVisa(r["documentId"], repo.step_of(r["s"])) for r in rows]
