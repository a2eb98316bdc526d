"""The first steps shared by the approval pages' forms: who posts, the CSRF check (also for
multipart forms carrying a file), the client mutation id, and reading the typed rows of a
visa route and of addressees into the domain's input shapes.

Multipart forms (a draft's file) go through the workspace's ``file_form``: the same CSRF
check as the url-encoded ones, 413 from the declared length before anything is read and a
chunked body cut off as it passes the files part's limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from asan.auth.principal import Principal
from asan.web.forms import MAX_ID_CHARS, mutation_id_of, not_found, sign_in_redirect
from asan.web.i18n import Lang
from asan.web.session.csrf import page_principal, posted_form
from asan.web.session.pages import page_lang
from asan.web.workspace.upload import file_form

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


async def draft_form(request: Request, *, multipart: bool = False) -> Posted | Response:
    """The shared first steps of a draft's form, or the page to answer with instead
    (sign-in, CSRF refusal, 404 for an id no document could have)."""
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    form = await (file_form(request, lang) if multipart else posted_form(request, lang))
    if isinstance(form, Response):
        return form
    document_id = request.path_params["document_id"]
    if len(document_id) > MAX_ID_CHARS:
        return not_found(request, lang)
    return Posted(lang, principal, form, document_id, mutation_id_of(form))


def lines(text: str) -> list[str]:
    """Reasons typed one per line (blank lines dropped)."""
    return [line.strip() for line in text.splitlines() if line.strip()]
