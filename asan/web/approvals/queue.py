"""The visa and signature queue: visa steps waiting for me (my own and those of the head I
act for), drafts waiting for my signature, and, for registrars, drafts waiting for the form
check; and my own drafts waiting with their unit (returned, not yet sent).

The lists are the reads GraphQL's ``myPendingVisas`` and ``documents`` call, with the page
principal (``visible_where`` and the policy decide what they hold); the signature list keeps
the documents in ``to_sign`` whose route names me (or the head I act for) to sign, the form
check list appears only to whom the policy grants the check. Drafts carry no deadline of
their own: each row says since when it waits, in working days (docs/web-approvals.md).
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response

from asan.auth.policy import Resource, can
from asan.auth.principal import Principal
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku, working_days_between
from asan.edms.documents import reads as documents
from asan.edms.documents.reads import DocumentFilter
from asan.edms.drafts import policy
from asan.edms.drafts.models import DECISIONS, VisaStep
from asan.edms.drafts.reads import pending_visas, route_signatories
from asan.web.forms import sign_in_redirect
from asan.web.rendering import render
from asan.web.session.csrf import csrf_token, page_principal
from asan.web.session.pages import page_lang

LIST_LIMIT: Final = 50  # rows shown per list
SIGN_SCAN: Final = 200  # documents in to_sign involving me looked at for my signature


@dataclass(frozen=True)
class Waiting:
    """Since when a row waits (the document's last change), in working days."""

    since: date | None
    days: int


@dataclass(frozen=True)
class Row:
    document: dict[str, Any]
    waiting: Waiting
    step: VisaStep | None = None


def waiting(row: dict[str, Any], today: date) -> Waiting:
    at = row.get("updatedAt") or row.get("createdAt")
    since = at.date() if isinstance(at, datetime) else None
    return Waiting(since, working_days_between(since, today) if since else 0)


async def _visa_rows(platform: Platform, principal: Principal, today: date) -> list[Row]:
    pending = (await pending_visas(platform, principal))[:LIST_LIMIT]
    found = await documents.documents_by_ids(platform, principal, [p.document_id for p in pending])
    return [
        Row(doc, waiting(doc, today), p.step)
        for p, doc in zip(pending, found, strict=True)
        if doc is not None
    ]


async def _to_sign(platform: Platform, principal: Principal, today: date) -> list[Row]:
    rows, _ = await documents.list_documents(
        platform,
        principal,
        # a deputy acting for the signatory looks past their own documents (the head's are
        # involved with the head, not with them); everyone else only at those involving them
        DocumentFilter(status="to_sign", involving_me=principal.acting_for is None),
        after=None,
        limit=SIGN_SCAN,
    )
    me = {principal.subject, *([principal.acting_for] if principal.acting_for else [])}
    async with platform.db.read_transaction() as tx:
        signatory = await route_signatories(tx, [row["id"] for row in rows])
    mine = [Row(row, waiting(row, today)) for row in rows if signatory.get(row["id"]) in me]
    return mine[:LIST_LIMIT]


async def _form_checks(platform: Platform, principal: Principal, today: date) -> list[Row]:
    if not can(principal, policy.FORM_CHECK, Resource("Document")):
        return []
    rows, _ = await documents.list_documents(
        platform, principal, DocumentFilter(status="form_check"), after=None, limit=LIST_LIMIT
    )
    return [Row(row, waiting(row, today)) for row in rows]


async def _my_drafts(platform: Platform, principal: Principal, today: date) -> list[Row]:
    """Drafts with their unit that involve me: returned ones first (they wait for a new
    version), then those not yet sent."""
    found = await asyncio.gather(
        *(
            documents.list_documents(
                platform,
                principal,
                DocumentFilter(status=status, involving_me=True),
                after=None,
                limit=LIST_LIMIT,
            )
            for status in ("returned", "draft")
        )
    )
    return [Row(row, waiting(row, today)) for rows, _ in found for row in rows][:LIST_LIMIT]


async def queue(request: Request) -> Response:
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    platform: Platform = request.app.state.platform
    today = today_in_baku()
    # the lists are independent reads: one round of waiting instead of five (as the inbox)
    visas, to_sign, form_checks, my_drafts = await asyncio.gather(
        _visa_rows(platform, principal, today),
        _to_sign(platform, principal, today),
        _form_checks(platform, principal, today),
        _my_drafts(platform, principal, today),
    )
    return render(
        request,
        lang,
        "approvals/queue.html",
        {
            "csrf_token": csrf_token(request),
            "visas": visas,
            "to_sign": to_sign,
            "form_checks": form_checks,
            "my_drafts": my_drafts,
            "registrar": can(principal, policy.FORM_CHECK, Resource("Document")),
            "decisions": DECISIONS,
            "new_id": lambda: uuid.uuid4().hex,
        },
    )
