"""A document's dispatch page: the mailing list editor (göndəriş siyahısı), the dispatch button,
then the register's lines with an outcome form for each letter on paper or by e-mail.

The page reads what GraphQL's ``document`` and ``dispatchRegister`` read and posts to the use
cases ``setMailingList`` calls (``dispatch.use_cases.set_mailing_list`` through the audited
``run_mutation``), so the policy and the list's validation are the API's. Every problem the use
case names (``addressees.<i>.<field>``) is shown next to that line's field. The form carries a
stamp of the list it was rendered from: a list that changed meanwhile (another registrar, the
dispatch itself) is answered 409 instead of being overwritten.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.core.errors import DomainError, Forbidden, InvalidTransition, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.edms.dispatch import models as md
from asan.edms.dispatch import reads, use_cases
from asan.edms.documents import reads as documents
from asan.web.forms import MAX_ID_CHARS, in_lang, not_found, posted, sign_in_redirect
from asan.web.i18n import Lang, translate
from asan.web.rendering import render
from asan.web.session.csrf import csrf_token, page_principal
from asan.web.session.pages import page_lang

FIELDS: Final = ("kind", "addressee", "method", "address", "email")
MAX_FORM_LINES: Final = 200  # the use case's own limit refuses a longer list with a message
BLANK_LINES: Final = 2  # empty lines under the list, to add addressees without script
# the use case's field of a line -> the form's field it is shown next to
FIELD_OF: Final = {
    "kind": "kind",
    "method": "method",
    "stateBody": "addressee",
    "orgUnit": "addressee",
    "name": "addressee",
    "note": "addressee",
    "address": "address",
    "email": "email",
}


@dataclass
class Line:
    """One line of the editor as the form has it."""

    kind: str = ""
    addressee: str = ""
    method: str = ""
    address: str = ""
    email: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def value(self, name: str) -> str:
        return str(getattr(self, name))

    @property
    def blank(self) -> bool:
        return not any(self.value(n).strip() for n in FIELDS)

    @classmethod
    def of(cls, entry: md.DispatchEntry) -> Line:
        who = entry.state_body or entry.org_unit or entry.name or ""
        return cls(entry.kind, who, entry.method, entry.address or "", entry.email or "")

    def addressee_input(self) -> md.AddresseeInput:
        who = self.addressee.strip() or None
        return md.AddresseeInput(
            kind=self.kind,
            method=self.method,
            state_body=who if self.kind == md.STATE_BODY else None,
            org_unit=who if self.kind == md.ORG_UNIT else None,
            name=who if self.kind in (md.PERSON, md.ORGANISATION) else None,
            address=self.address.strip() or None,
            email=self.email.strip() or None,
        )


def stamp(entries: Sequence[md.DispatchEntry]) -> str:
    """What the form was rendered from: the lines' ids and statuses (a rewrite of the list
    gives new ids, a dispatch new statuses)."""
    text = "|".join(f"{e.id}:{e.status}" for e in entries)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def posted_lines(form: FormData) -> list[Line]:
    """The form's non-blank lines, in order (their index is the use case's ``addressees.<i>``)."""
    lines: list[Line] = []
    for i in range(MAX_FORM_LINES + BLANK_LINES):
        if f"kind-{i}" not in form:
            break
        kind, who, method, address, email = (
            str(form.get(f"{name}-{i}") or "")[:1000] for name in FIELDS
        )
        line = Line(kind, who, method, address, email)
        if not line.blank:
            lines.append(line)
    return lines


def place_errors(lang: Lang, lines: list[Line], exc: ValidationFailed) -> list[str]:
    """Each error next to its line's field; what belongs to no line is returned."""
    general: list[str] = []
    for error in exc.errors:
        parts = error.field.split(".")
        message = in_lang(lang, error.message)
        if parts[0] == "addressees" and len(parts) >= 2 and parts[1].isdigit():
            i = int(parts[1])
            name = FIELD_OF.get(parts[2], "addressee") if len(parts) > 2 else "addressee"
            if i < len(lines):
                lines[i].errors.setdefault(name, message)
                continue
        general.append(message)
    return general


def refused_page(request: Request, lang: Lang) -> Response:
    return render(
        request,
        lang,
        "dispatch/refused.html",
        {"csrf_token": csrf_token(request)},
        status_code=403,
    )


async def dispatch_page(request: Request) -> Response:
    lang = page_lang(request)
    if not page_principal(request).is_authenticated:
        return sign_in_redirect(request, lang)
    return await render_mailing(request, lang, request.path_params["document_id"])


async def render_mailing(
    request: Request,
    lang: Lang,
    document_id: str,
    *,
    lines: list[Line] | None = None,
    list_errors: Sequence[str] = (),
    send_errors: Sequence[str] = (),
    outcome_errors: Mapping[str, Mapping[str, str]] | None = None,
    outcome_values: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The page; a refused form's lines and messages when there are."""
    principal = page_principal(request)
    if len(document_id) > MAX_ID_CHARS:
        return not_found(request, lang)
    platform: Platform = request.app.state.platform
    card = await documents.document(platform, principal, document_id)
    if card is None:
        return not_found(request, lang)
    entries = await reads.dispatch_register(platform, principal, document_id)
    planned = [e for e in entries if e.status == md.PLANNED]
    editable = card["status"] in use_cases.OPEN and card["kind"] in use_cases.DISPATCH_STEP
    shown = lines if lines is not None else [Line.of(e) for e in planned]
    shown = [*shown, *(Line() for _ in range(BLANK_LINES if editable else 0))]
    return render(
        request,
        lang,
        "dispatch/mailing.html",
        {
            "csrf_token": csrf_token(request),
            "doc": card,
            "editable": editable,
            "sendable": card["status"] == "signed" and card["kind"] in use_cases.DISPATCH_STEP,
            "lines": shown,
            "sent": [e for e in entries if e.status != md.PLANNED],
            "stamp": stamp(entries),
            "kinds": md.ADDRESSEE_KINDS,
            "methods": md.METHODS,
            "recordable": lambda e: e.status == md.SENT and e.method != md.SYSTEM,
            "list_errors": list(list_errors),
            "send_errors": list(send_errors),
            "outcome_errors": dict(outcome_errors or {}),
            "outcome_values": dict(outcome_values or {}),
            "new_id": lambda: uuid.uuid4().hex,
        },
        status_code=status_code,
    )


def _same(a: Line, b: Line) -> bool:
    return all(a.value(n).strip() == b.value(n).strip() for n in FIELDS)


async def list_now(request: Request, document_id: str) -> list[md.DispatchEntry]:
    platform: Platform = request.app.state.platform
    return await reads.dispatch_register(platform, page_principal(request), document_id)


async def save_list(request: Request) -> Response:
    """``set_mailing_list``, GraphQL's ``setMailingList``."""
    document_id = request.path_params["document_id"]
    form = await posted(request, document_id)
    if isinstance(form, Response):
        return form
    lang = form.lang
    lines = posted_lines(form.form)
    done = RedirectResponse(f"/{lang}/documents/{document_id}/dispatch#mailing", status_code=303)

    async def refused(messages: Sequence[str], status: int) -> Response:
        return await render_mailing(
            request, lang, document_id, lines=lines, list_errors=messages, status_code=status
        )

    try:
        entries = await list_now(request, document_id)
        if stamp(entries) != form.text("list_stamp"):
            now = [Line.of(e) for e in entries if e.status == md.PLANNED]
            if len(now) == len(lines) and all(map(_same, now, lines)):
                return done  # the same form sent twice: saved once, as asked
            return await refused([translate(lang, "dispatch.error.stale")], 409)
        await use_cases.set_mailing_list(
            request.app.state.platform,
            form.principal,
            document_id,
            [line.addressee_input() for line in lines],
            client_mutation_id=form.mutation_id,
        )
    except NotFound:
        return not_found(request, lang)
    except Forbidden:
        return refused_page(request, lang)
    except ValidationFailed as exc:
        return await refused(place_errors(lang, lines, exc), 400)
    except InvalidTransition:
        return await refused([translate(lang, "dispatch.error.stale")], 409)
    except DomainError as exc:
        return await refused([in_lang(lang, exc.message)], 400)
    return done
