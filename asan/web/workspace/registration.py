"""Registering an incoming document from a page: the card, the scanned original, the number.

The form posts to ``documents.use_cases.register_document`` (GraphQL's ``registerDocument``)
through the audited ``run_mutation``, with a client mutation id rendered into the form (sent
twice, registered once: the same document both times). The card is checked by the use case;
what a page must parse itself (whole numbers, dates) is checked here first, and then the card
through the same ``clean_card`` so every problem shows at once, next to its field, in the
page's language. The file goes with the form (multipart, read at most the files limit, see
``upload.py``); the page's script sends it with a progress bar and the browser refuses a file
over the limit before sending.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.auth.policy import Resource, can
from asan.core.errors import (
    DomainError,
    FieldError,
    Forbidden,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from asan.edms.documents import reads as documents
from asan.edms.documents.models import (
    CHANNELS,
    CLASSIFICATIONS,
    CORRESPONDENT_KINDS,
    LANGUAGES,
    DocumentCard,
)
from asan.edms.documents.use_cases import NewFile, register_document
from asan.edms.documents.validation import clean_card
from asan.edms.files.settings import files_settings
from asan.web.forms import MAX_ID_CHARS, mutation_id_of, not_found, sign_in_redirect
from asan.web.i18n import Lang, translate
from asan.web.rendering import render
from asan.web.session.csrf import csrf_token, page_principal
from asan.web.session.pages import page_lang
from asan.web.workspace.errors import FORM, field_errors
from asan.web.workspace.inbox import REGISTER
from asan.web.workspace.upload import file_form, posted_file, size_label

RECEIVED: Final = "received"
TEXTS: Final = (
    "subject",
    "summary",
    "unit",
    "caseIndex",
    "correspondentBody",
    "correspondentName",
    "correspondentNumber",
)
CHOICES: Final[dict[str, tuple[str, ...]]] = {
    "channel": CHANNELS,
    "language": LANGUAGES,
    "classification": CLASSIFICATIONS,
    "correspondentKind": CORRESPONDENT_KINDS,
}
NUMBERS: Final = ("pages", "attachments")
FIELDS: Final = (*TEXTS, *CHOICES, *NUMBERS, "correspondentDate", "file")


@dataclass(frozen=True)
class Parsed:
    card: DocumentCard
    errors: dict[str, str]


def _optional(value: str) -> str | None:
    return value if value.strip() else None


def parse_card(lang: Lang, values: dict[str, str]) -> Parsed:
    """The card from the form's texts; what only a page can get wrong (a number, a date,
    a missing subject) as messages in the page's language."""
    errors: dict[str, str] = {}
    numbers: dict[str, int | None] = {}
    for name in NUMBERS:
        text = values[name].strip()
        numbers[name] = int(text) if text.isdigit() and len(text) < 10 else None
        if text and numbers[name] is None:
            errors[name] = translate(lang, "documents.error.number")
    when: date | None = None
    if values["correspondentDate"].strip():
        try:
            when = date.fromisoformat(values["correspondentDate"].strip())
        except ValueError:
            errors["correspondentDate"] = translate(lang, "documents.error.date")
    if not values["subject"].strip():
        errors["subject"] = translate(lang, "documents.error.required")
    card = DocumentCard(
        kind="incoming",
        subject=values["subject"],
        summary=_optional(values["summary"]),
        unit=_optional(values["unit"]),
        pages=numbers["pages"],
        attachments=numbers["attachments"],
        channel=_optional(values["channel"]),
        language=values["language"] or "az",
        classification=values["classification"] or "public",
        case_index=_optional(values["caseIndex"]),
        correspondent_kind=_optional(values["correspondentKind"]),
        correspondent_body=_optional(values["correspondentBody"]),
        correspondent_name=_optional(values["correspondentName"]),
        correspondent_number=_optional(values["correspondentNumber"]),
        correspondent_date=when,
    )
    return Parsed(card, errors)


def _page(
    request: Request,
    lang: Lang,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    mutation_id: str | None = None,
    document_id: str | None = None,
    status_code: int = 200,
) -> Response:
    principal = page_principal(request)
    return render(
        request,
        lang,
        "workspace/new_document.html",
        {
            "csrf_token": csrf_token(request),
            "may_register": can(principal, REGISTER, Resource("Document")),
            "values": values or {},
            "errors": errors or {},
            "choices": CHOICES,
            "mutation_id": mutation_id or uuid.uuid4().hex,
            "document_id": document_id or "",
            "max_bytes": files_settings().max_bytes,
            "max_label": size_label(files_settings().max_bytes),
        },
        status_code=status_code,
    )


async def new_document_form(request: Request) -> Response:
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    received = request.query_params.get("document")
    if not received:
        return _page(request, lang)
    # a document that arrived electronically: its card as delivered, to complete
    row = None
    if len(received) <= MAX_ID_CHARS:
        row = await documents.document(request.app.state.platform, principal, received)
    if row is None:
        return not_found(request, lang)
    if row.get("status") != RECEIVED:  # registered meanwhile: its page
        return RedirectResponse(f"/{lang}/documents/{received}", status_code=303)
    values = {name: _text_of(row.get(name)) for name in (*TEXTS, *CHOICES, *NUMBERS)}
    values["correspondentDate"] = _text_of(row.get("correspondentDate"))
    return _page(request, lang, values=values, document_id=received)


def _text_of(value: object) -> str:
    if value is None:
        return ""
    isoformat = getattr(value, "isoformat", None)
    return str(isoformat()) if callable(isoformat) else str(value)


def _values(form: FormData) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in (*TEXTS, *CHOICES, *NUMBERS, "correspondentDate"):
        value = form.get(name)
        out[name] = value if isinstance(value, str) else ""
    return out


async def register(request: Request) -> Response:
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    form = await file_form(request, lang)
    if isinstance(form, Response):
        return form
    values = _values(form)
    sent_document = form.get("document_id")
    received = sent_document if isinstance(sent_document, str) and sent_document else None
    if received is not None and len(received) > MAX_ID_CHARS:
        return not_found(request, lang)
    mutation_id = mutation_id_of(form)
    upload = await posted_file(form)
    await form.close()
    parsed = parse_card(lang, values)

    def refused(errors: dict[str, str], status: int) -> Response:
        # a refused attempt committed nothing: the corrected form is a new attempt
        return _page(
            request,
            lang,
            values=values,
            errors=errors,
            document_id=received,
            status_code=status,
        )

    if parsed.errors:
        try:  # the card's other problems too, at once
            clean_card(parsed.card, principal)
        except ValidationFailed as exc:
            return refused({**field_errors(lang, exc.errors, FIELDS), **parsed.errors}, 400)
        return refused(parsed.errors, 400)
    file = NewFile(upload.data, upload.filename, upload.content_type) if upload else None
    try:
        document_id = await register_document(
            request.app.state.platform,
            principal,
            parsed.card,
            document_id=received,
            file=file,
            client_mutation_id=mutation_id,
        )
    except NotFound:
        return not_found(request, lang)
    except InvalidTransition:  # registered by someone else meanwhile
        return refused({FORM: translate(lang, "documents.error.stale")}, 409)
    except ValidationFailed as exc:
        return refused(field_errors(lang, exc.errors, FIELDS), 400)
    except Forbidden:
        return refused({FORM: translate(lang, "documents.new.forbidden")}, 403)
    except DomainError as exc:  # a reference the card names does not exist, ...
        return refused(
            field_errors(lang, [FieldError(exc.field or FORM, exc.message)], FIELDS), 400
        )
    return RedirectResponse(f"/{lang}/documents/{document_id}", status_code=303)
