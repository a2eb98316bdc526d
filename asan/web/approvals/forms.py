"""The first steps shared by the approval pages' forms: who posts, the CSRF check (also for
multipart forms carrying a file), the client mutation id, and reading the typed rows of a
visa route and of addressees into the domain's input shapes.

Multipart forms (a draft's file) are checked against the same CSRF cookie as the
url-encoded ones; their size is refused from the declared length before anything is read
beyond it, at the files part's upload limit.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Final

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from asan.auth.principal import Principal
from asan.web.i18n import Lang
from asan.web.session.cookies import CSRF_FIELD
from asan.web.session.csrf import csrf_token, page_principal, posted_form, refusal
from asan.web.session.pages import page_lang
from asan.web.workspace.document import not_found
from asan.web.workspace.inbox import sign_in_redirect

MAX_ID_CHARS: Final = 128
MAX_MUTATION_ID: Final = 64
MAX_MULTIPART_FIELDS: Final = 60
ROUTE_ROWS: Final = 5  # visa steps a page form offers (GraphQL takes up to 10 stages of 10)
ADDRESSEE_ROWS: Final = 3


@dataclass(frozen=True)
class Posted:
    """A signed-in, CSRF-checked POST about one draft."""

    lang: Lang
    principal: Principal
    form: FormData
    document_id: str
    mutation_id: str | None

    def text(self, name: str) -> str:
        value = self.form.get(name)
        return value if isinstance(value, str) else ""


def mutation_id(form: FormData) -> str | None:
    value = form.get("client_mutation_id")
    return value[:MAX_MUTATION_ID] or None if isinstance(value, str) else None


def _csrf_ok(request: Request, form: FormData) -> bool:
    sent, expected = form.get(CSRF_FIELD), csrf_token(request)
    return (
        isinstance(sent, str)
        and bool(expected)
        and hmac.compare_digest(sent.encode(), expected.encode())
    )


async def multipart_form(request: Request, lang: Lang) -> FormData | Response:
    """A multipart form (one file at most) once its CSRF token checks out; 413 beyond the
    upload limit (declared length), 403 for a wrong token."""
    limit = request.app.state.platform.settings.max_upload_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + 64 * 1024:
        return refusal(request, lang, too_large=True)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return await posted_form(request, lang)
    form = await request.form(max_files=1, max_fields=MAX_MULTIPART_FIELDS, max_part_size=64 * 1024)
    if not _csrf_ok(request, form):
        await form.close()
        return refusal(request, lang)
    return form


async def draft_form(request: Request, *, multipart: bool = False) -> Posted | Response:
    """The shared first steps of a draft's form, or the page to answer with instead
    (sign-in, CSRF refusal, 404 for an id no document could have)."""
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    form = await (multipart_form(request, lang) if multipart else posted_form(request, lang))
    if isinstance(form, Response):
        return form
    document_id = request.path_params["document_id"]
    if len(document_id) > MAX_ID_CHARS:
        return not_found(request, lang)
    return Posted(lang, principal, form, document_id, mutation_id(form))


def lines(text: str) -> list[str]:
    """Reasons typed one per line (blank lines dropped)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


async def uploaded(form: FormData, name: str = "file") -> tuple[bytes, str, str | None] | None:
    """The file field's bytes, name and type; None when no file was chosen."""
    value = form.get(name)
    if not isinstance(value, UploadFile) or not value.filename:
        return None
    data = await value.read()
    if not data:
        return None
    return data, value.filename, value.content_type
