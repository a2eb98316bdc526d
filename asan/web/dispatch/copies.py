"""Certified copies (əslinə uyğun surətlər): find a document by its number or subject, see its
copies (with the code printed on each, and the copy to download), certify a copy of one of
its PDF versions.

The page reads what GraphQL's ``documents``, ``documentFiles`` and ``certifiedCopies`` read
and posts to ``certifyCopy``'s use case (``copies.use_cases.certify_copy`` through the audited
``run_mutation``, the form's client mutation id making a resend certify once); the copy is
downloaded through the file route every document page uses.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.core.errors import DomainError, Forbidden, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.edms.copies.models import CertifiedCopy
from asan.edms.copies.reads import copies_of
from asan.edms.copies.use_cases import NOT_CERTIFIABLE, certify_copy
from asan.edms.documents import reads as documents
from asan.edms.documents.reads import DocumentFilter, list_documents
from asan.edms.files.models import DOWNLOAD_PREFIX, StoredFile
from asan.edms.files.reads import readable_files
from asan.web.dispatch.mailing import refused_page
from asan.web.forms import MAX_ID_CHARS, in_lang, not_found, posted, sign_in_redirect
from asan.web.i18n import Lang
from asan.web.rendering import render
from asan.web.session.csrf import csrf_token, page_principal
from asan.web.session.pages import page_lang

FOUND_LIMIT: Final = 10
MAX_QUERY: Final = 200


@dataclass(frozen=True)
class Found:
    doc: dict[str, Any]
    originals: list[StoredFile]  # the PDF versions a copy can be made of
    copies: list[CertifiedCopy]


async def _found(platform: Platform, request: Request, doc: dict[str, Any]) -> Found:
    principal = page_principal(request)
    files = await readable_files(platform, principal, doc["id"])
    originals = [
        f for f in files if f.content_type == "application/pdf" and f.role not in NOT_CERTIFIABLE
    ]
    return Found(doc, originals, await copies_of(platform, principal, doc["id"]))


async def copies_page(request: Request) -> Response:
    lang = page_lang(request)
    if not page_principal(request).is_authenticated:
        return sign_in_redirect(request, lang)
    return await render_copies(request, lang)


async def render_copies(
    request: Request,
    lang: Lang,
    *,
    document_id: str | None = None,
    errors: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The search form and, for the documents found, their PDFs and copies; a refused
    certification's message next to the file it was for (``errors`` by file id)."""
    platform: Platform = request.app.state.platform
    principal = page_principal(request)
    query = request.query_params.get("q", "")[:MAX_QUERY].strip()
    wanted = document_id or request.query_params.get("document", "")[:MAX_ID_CHARS]
    docs: list[dict[str, Any]] = []
    if wanted:
        card = await documents.document(platform, principal, wanted)
        docs = [card] if card is not None else []
    elif query:
        docs, _ = await list_documents(
            platform, principal, DocumentFilter(text=query), after=None, limit=FOUND_LIMIT
        )
    found = [await _found(platform, request, d) for d in docs if d.get("regNumber")]
    return render(
        request,
        lang,
        "dispatch/copies.html",
        {
            "csrf_token": csrf_token(request),
            "query": query,
            "searched": bool(query or wanted),
            "found": found,
            "made": request.query_params.get("made", "")[:40],
            "errors": dict(errors or {}),
            "download": lambda file_id: f"{DOWNLOAD_PREFIX}{file_id}/content",
            "new_id": lambda: uuid.uuid4().hex,
        },
        status_code=status_code,
    )


async def certify(request: Request) -> Response:
    """``certify_copy``, GraphQL's ``certifyCopy``: the copy's code on success."""
    form = await posted(request)
    if isinstance(form, Response):
        return form
    lang = form.lang
    document_id, file_id = form.text("document_id"), form.text("file_id")
    if not document_id or len(document_id) > MAX_ID_CHARS or len(file_id) > MAX_ID_CHARS:
        return not_found(request, lang)

    async def refused(message: str, status: int) -> Response:
        return await render_copies(
            request,
            lang,
            document_id=document_id,
            errors={file_id or "document": message},
            status_code=status,
        )

    try:
        code = await certify_copy(
            request.app.state.platform,
            form.principal,
            document_id,
            file_id or None,
            client_mutation_id=form.mutation_id,
        )
    except Forbidden:
        return refused_page(request, lang)
    except NotFound as exc:
        if exc.field == "fileId":
            return await refused(in_lang(lang, exc.message), 409)
        return not_found(request, lang)
    except ValidationFailed as exc:
        return await refused("; ".join(in_lang(lang, e.message) for e in exc.errors), 400)
    except DomainError as exc:
        return await refused(in_lang(lang, exc.message), 400)
    where = urlencode({"document": document_id, "made": code})
    return RedirectResponse(f"/{lang}/copies?{where}#copies", status_code=303)
