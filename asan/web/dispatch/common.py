"""What every dispatch page shares: a signed-in, CSRF-checked form, a domain message in the
page's language, the client mutation id a form carries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from asan.auth.principal import Principal
from asan.web.i18n import Lang
from asan.web.session.csrf import page_principal, posted_form
from asan.web.session.pages import page_lang
from asan.web.workspace.document import not_found
from asan.web.workspace.inbox import sign_in_redirect

MAX_ID_CHARS: Final = 128
MAX_MUTATION_ID: Final = 64


@dataclass(frozen=True)
class Posted:
    lang: Lang
    principal: Principal
    form: FormData
    mutation_id: str | None

    def text(self, name: str) -> str:
        return str(self.form.get(name) or "")


async def posted(request: Request, *ids: str) -> Posted | Response:
    """The first steps of every dispatch form, or the page to answer with instead: sign-in,
    the CSRF refusal, 404 for path ids no document or line could have."""
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    form = await posted_form(request, lang)
    if isinstance(form, Response):
        return form
    if any(not value or len(value) > MAX_ID_CHARS for value in ids):
        return not_found(request, lang)
    mutation_id = str(form.get("client_mutation_id") or "")[:MAX_MUTATION_ID] or None
    return Posted(lang, principal, form, mutation_id)


def in_lang(message: str, lang: Lang) -> str:
    """The half of a domain message ("az / en") in the page's language (Russian pages get the
    English half: the domain speaks Azerbaijani and English)."""
    az, sep, en = message.partition(" / ")
    if not sep:
        return message
    return az if lang == "az" else en
