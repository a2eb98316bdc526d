"""What the appeal pages share: the signed-in first step, a domain message in the page's
language, and a form's client mutation id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from asan.auth.principal import Principal
from asan.core.errors import ValidationFailed
from asan.web.i18n import Lang, translate
from asan.web.session.csrf import page_principal, posted_form
from asan.web.session.pages import page_lang
from asan.web.workspace.inbox import sign_in_redirect

MAX_ID_CHARS: Final = 128
MAX_MUTATION_ID: Final = 64


@dataclass(frozen=True)
class Caller:
    lang: Lang
    principal: Principal


@dataclass(frozen=True)
class Posted:
    lang: Lang
    principal: Principal
    form: FormData
    mutation_id: str | None

    def value(self, name: str) -> str:
        return str(self.form.get(name) or "")


def signed_in(request: Request) -> Caller | Response:
    """The page's language and principal, or the sign-in redirect."""
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    return Caller(lang, principal)


async def posted(request: Request) -> Posted | Response:
    """A signed-in, CSRF-checked form with its client mutation id, or the page to answer."""
    caller = signed_in(request)
    if isinstance(caller, Response):
        return caller
    form = await posted_form(request, caller.lang)
    if isinstance(form, Response):
        return form
    mutation_id = str(form.get("client_mutation_id") or "")[:MAX_MUTATION_ID] or None
    return Posted(caller.lang, caller.principal, form, mutation_id)


def in_lang(lang: Lang, message: str) -> str:
    """The half of a domain message ("Azerbaijani / English") in the page's language; Russian
    pages get the English half (the domain speaks two languages)."""
    az, sep, en = message.partition(" / ")
    if not sep:
        return message
    return az.strip() if lang == "az" else en.strip()


def field_errors(
    lang: Lang, exc: ValidationFailed, fields: dict[str, str], fallback: str
) -> dict[str, str]:
    """The use case's field errors keyed by the form's field names (``fields`` maps the domain's
    names to the form's); an unknown field's message goes next to ``fallback``."""
    errors: dict[str, str] = {}
    for error in exc.errors:
        name = fields.get(error.field or "", fallback)
        text = in_lang(lang, error.message)
        if not text.strip() or "boş ola bilməz" in error.message:
            text = translate(lang, "appeals.error.required")
        errors.setdefault(name, text)
    return errors
