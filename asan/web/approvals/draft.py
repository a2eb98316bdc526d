"""A draft's page: its card, versions (files), visa route with each step's status, visas
with remarks and reasons, form checks, the signature and its verification, and the forms
the draft's state allows the caller.

Everything is read through the functions GraphQL's ``draft``, ``document``,
``verifyDocumentSignature`` and the files part use, with the page principal; a draft the
caller may not read is the workspace's 404 page. Which forms show is a hint computed with
the same policy (``can``); the use cases decide again when a form is sent.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from asan.auth.policy import can
from asan.core.errors import DomainError, NotFound
from asan.core.platform import Platform
from asan.edms.documents import reads as documents
from asan.edms.documents.access import to_resource
from asan.edms.drafts import policy
from asan.edms.drafts.models import DECISIONS, STEP_PENDING, STEP_ROLES, DraftView
from asan.edms.drafts.reads import draft_view
from asan.edms.files.models import DOWNLOAD_PREFIX
from asan.edms.files.reads import readable_files
from asan.edms.signatures.models import Verification
from asan.edms.signatures.verification import verify_document_signature
from asan.web.approvals.forms import ADDRESSEE_ROWS, ROUTE_ROWS
from asan.web.forms import MAX_ID_CHARS, not_found, sign_in_redirect
from asan.web.i18n import Lang
from asan.web.rendering import render
from asan.web.session.csrf import csrf_token, page_principal
from asan.web.session.pages import page_lang

SIGNED = frozenset({"signed", "dispatched", "archived"})


async def draft_page(request: Request) -> Response:
    lang = page_lang(request)
    if not page_principal(request).is_authenticated:
        return sign_in_redirect(request, lang)
    return await render_draft(request, lang, request.path_params["document_id"])


async def current_draft(platform: Platform, request: Request, document_id: str) -> DraftView | None:
    """The draft as the caller may see it; None when it is not a draft or hidden."""
    try:
        return await draft_view(platform, page_principal(request), document_id)
    except NotFound:
        return None


async def _verification(platform: Platform, request: Request, draft: DraftView) -> Any:
    if draft.status not in SIGNED:
        return None
    try:
        found: Verification = await verify_document_signature(
            platform, page_principal(request), draft.document_id
        )
    except DomainError:
        return None
    return found


async def render_draft(
    request: Request,
    lang: Lang,
    document_id: str,
    *,
    errors: Mapping[str, Mapping[str, str]] | None = None,
    values: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The page; ``errors`` maps a form (``visa``, ``form_check``, ``sign``, ...) to its
    messages by field, ``values`` keeps what was typed into the refused form."""
    principal = page_principal(request)
    if len(document_id) > MAX_ID_CHARS:
        return not_found(request, lang)
    platform: Platform = request.app.state.platform
    card = await documents.document(platform, principal, document_id)
    draft = await current_draft(platform, request, document_id) if card else None
    if card is None or draft is None:
        return not_found(request, lang)
    resource = to_resource(card)
    me = {principal.subject, *([principal.acting_for] if principal.acting_for else [])}
    mine = [s for s in draft.steps if s.status == STEP_PENDING and s.user in me]
    files = await readable_files(platform, principal, document_id)
    return render(
        request,
        lang,
        "approvals/draft.html",
        {
            "csrf_token": csrf_token(request),
            "doc": card,
            "draft": draft,
            "files": sorted(files, key=lambda f: (f.role, f.version)),
            "download": lambda file_id: f"{DOWNLOAD_PREFIX}{file_id}/content",
            "my_steps": mine if draft.status == "on_visa" else [],
            "can_edit": draft.status in ("draft", "returned")
            and can(principal, policy.EDIT, resource),
            "can_check": draft.status == "form_check"
            and can(principal, policy.FORM_CHECK, resource),
            "can_sign": draft.status == "to_sign" and draft.signatory in me,
            "verification": await _verification(platform, request, draft),
            "decisions": DECISIONS,
            "roles": STEP_ROLES,
            "route_rows": range(ROUTE_ROWS),
            "addressee_rows": range(ADDRESSEE_ROWS),
            "errors": {k: dict(v) for k, v in (errors or {}).items()},
            "values": dict(values or {}),
            "new_id": lambda: uuid.uuid4().hex,
        },
        status_code=status_code,
    )
