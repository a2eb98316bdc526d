"""The first steps every page shares: who is asking, the CSRF-checked form with its client
mutation id, the answers for a caller who must sign in or may not see the thing, and a domain
message in the page's language.

Every form of every part starts the same way (docs/web.md, "One shape for every form"), so
the steps live here once; a part adds only what is its own (the ids in its path, its pages).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.auth.principal import Principal
from asan.web.i18n import Lang
from asan.web.rendering import render
from asan.web.session.csrf import csrf_token, page_principal, posted_form
from asan.web.session.pages import page_lang

MAX_ID_CHARS: Final = 128  # longer than any id a document, task or case could have
MAX_MUTATION_ID: Final = 64


@dataclass(frozen=True)
class Caller:
    """A signed-in caller of a page, in the page's language."""

    lang: Lang
    principal: Principal


@dataclass(frozen=True)
class Posted:
    """A signed-in, CSRF-checked POST with its client mutation id (a form sent twice acts
    once: the use case's pipeline replays the first result)."""

    lang: Lang
    principal: Principal
    form: FormData
    mutation_id: str | None

    def text(self, name: str) -> str:
        value = self.form.get(name)
        return value if isinstance(value, str) else ""


def sign_in_redirect(request: Request, lang: Lang) -> Response:
    target = quote(request.url.path, safe="/")
    return RedirectResponse(f"/{lang}/signin?next={target}", status_code=303)


def not_found(request: Request, lang: Lang) -> Response:
    """The 404 page: also what a caller gets for a thing the policy hides from them."""
    return render(
        request,
        lang,
        "workspace/not_found.html",
        {"csrf_token": csrf_token(request)},
        status_code=404,
    )


def page_context(request: Request, **values: Any) -> dict[str, Any]:
    """What a signed-in page's template needs besides its own values."""
    return {
        "csrf_token": csrf_token(request),
        "principal": page_principal(request),
        "new_id": lambda: uuid.uuid4().hex,
        **values,
    }


def signed_in(request: Request) -> Caller | Response:
    """The page's language and a signed-in principal, or the sign-in redirect."""
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    return Caller(lang, principal)


def mutation_id_of(form: FormData) -> str | None:
    value = form.get("client_mutation_id")
    return (value[:MAX_MUTATION_ID] or None) if isinstance(value, str) else None


async def posted(request: Request, *ids: str) -> Posted | Response:
    """Signed in, CSRF-checked, with the form's client mutation id; or the page to answer
    with instead (sign-in, the CSRF refusal, 404 for path ids nothing could have)."""
    caller = signed_in(request)
    if isinstance(caller, Response):
        return caller
    form = await posted_form(request, caller.lang)
    if isinstance(form, Response):
        return form
    if any(not value or len(value) > MAX_ID_CHARS for value in ids):
        return not_found(request, caller.lang)
    return Posted(caller.lang, caller.principal, form, mutation_id_of(form))


def in_lang(lang: Lang, message: str) -> str:
    """The page's half of a domain message ("Azerbaijani / English"; Russian pages get the
    English half: the domain speaks two languages); a message without halves as it is."""
    az, sep, en = message.partition(" / ")
    if not sep:
        return message
    return az.strip() if lang == "az" else en.strip()
