"""A document's page: its card, files, timeline, resolutions (with their parts) and visas.

Read through the functions GraphQL's ``document`` field and its children use; a document the
policy hides from the caller is the same 404 page as one that does not exist (no hint that it
does). Files link to the existing download route (``/edms/files/{id}/content``), which takes
the page session as well as a bearer token. The forms that change it (a file, a resolution, a
forward, an extension's decision) are shown to those the policy allows, asked with the same
``can`` the use cases' ``run_mutation`` checks; the POSTs still rely on the use cases.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from asan.auth.policy import can
from asan.core.errors import NotFound
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.documents import reads as documents
from asan.edms.documents.access import to_resource
from asan.edms.documents.models import DocumentEvent
from asan.edms.drafts.models import DraftView
from asan.edms.drafts.reads import draft_view
from asan.edms.files.models import DOWNLOAD_PREFIX
from asan.edms.files.policy import FILE_UPLOAD
from asan.edms.files.reads import readable_files
from asan.edms.files.settings import files_settings
from asan.edms.resolutions import reads as resolutions
from asan.edms.resolutions.flows import EXTENSION_REQUESTED
from asan.edms.resolutions.models import DeadlineExtension, Resolution
from asan.edms.resolutions.policy import DECIDE_EXTENSION, ISSUE
from asan.edms.resolutions.reads import ResolutionRow, TaskRow
from asan.web.forms import MAX_ID_CHARS, not_found, sign_in_redirect
from asan.web.i18n import Lang
from asan.web.rendering import render
from asan.web.session.csrf import csrf_token, page_principal
from asan.web.session.pages import page_lang
from asan.web.workspace.deadlines import Urgency, urgency
from asan.web.workspace.inbox import REGISTER
from asan.web.workspace.upload import size_label


@dataclass(frozen=True)
class ResolutionItem:
    row: ResolutionRow
    urgency: Urgency
    tasks: list[TaskRow]


@dataclass(frozen=True)
class RefusedForm:
    """A refused form to show again: which (``kind`` and the id it is about), its messages by
    field (``form`` for the whole form) and the typed values."""

    kind: str  # "resolution", "forward", "decide", "upload"
    target: str
    errors: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, str] = field(default_factory=dict)

    def on(self, kind: str, target: str) -> bool:
        return self.kind == kind and self.target == target


@dataclass(frozen=True)
class Step:
    event: DocumentEvent
    details: dict[str, Any]


def _details(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


async def document_page(request: Request) -> Response:
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    return await render_document(request, lang, request.path_params["document_id"])


async def render_document(
    request: Request,
    lang: Lang,
    document_id: str,
    *,
    report_errors: Mapping[str, str] | None = None,
    report_text: str = "",
    extension_errors: Mapping[str, Mapping[str, str]] | None = None,
    extension_values: Mapping[str, str] | None = None,
    refused: RefusedForm | None = None,
    status_code: int = 200,
) -> Response:
    """The page, with a refused report form's messages (keyed by task id) when there are."""
    principal = page_principal(request)
    if len(document_id) > MAX_ID_CHARS:
        return not_found(request, lang)
    platform: Platform = request.app.state.platform
    card = await documents.document(platform, principal, document_id)
    if card is None:
        return not_found(request, lang)
    files = await readable_files(platform, principal, document_id)
    events = await documents.timeline(platform, principal, document_id) or []
    rows = (await resolutions.resolutions_of_documents(platform, principal, [document_id]))[
        document_id
    ]
    parts = await resolutions.tasks_of_resolutions(
        platform, principal, [r.resolution.id for r in rows]
    )
    extensions = await resolutions.extensions_of_tasks(
        platform, principal, [t.task.id for rows_ in parts.values() for t in rows_]
    )
    today = today_in_baku()
    resource = to_resource(card)

    def may_decide(resolution: Resolution, request_: DeadlineExtension) -> bool:
        """The rule of ``decideDeadlineExtension`` on the resource its target resolves."""
        involved = frozenset(s for s in (resolution.author, resolution.acting_for) if s)
        target = replace(resource, kind="DeadlineExtension", id=request_.id, involved=involved)
        return request_.status == EXTENSION_REQUESTED and can(principal, DECIDE_EXTENSION, target)

    draft: DraftView | None
    try:
        draft = await draft_view(platform, principal, document_id)
    except NotFound:  # not a draft: no visa route
        draft = None
    return render(
        request,
        lang,
        "workspace/document.html",
        {
            "principal": principal,
            "csrf_token": csrf_token(request),
            "doc": card,
            "files": files,
            "download": lambda file_id: f"{DOWNLOAD_PREFIX}{file_id}/content",
            "steps": [Step(e, _details(e.details)) for e in events],
            "resolutions": [
                ResolutionItem(
                    r, urgency(lang, r.resolution.deadline, today), parts.get(r.resolution.id, [])
                )
                for r in rows
            ],
            "draft": draft,
            "report_errors": dict(report_errors or {}),
            "report_text": report_text,
            "extension_errors": dict(extension_errors or {}),
            "extension_values": dict(extension_values or {}),
            "extensions": extensions,
            "new_id": lambda: uuid.uuid4().hex,
            "may_resolve": card.get("status") == "registered" and can(principal, ISSUE, resource),
            "may_upload": can(principal, FILE_UPLOAD, resource),
            "may_register_received": card.get("status") == "received"
            and can(principal, REGISTER, resource),
            "may_decide": may_decide,
            "refused": refused or RefusedForm("", ""),
            "max_bytes": files_settings().max_bytes,
            "max_label": size_label(files_settings().max_bytes),
        },
        status_code=status_code,
    )
