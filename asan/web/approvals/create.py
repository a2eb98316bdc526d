"""A new draft (an outgoing answer, an internal document or an order): subject, addressees,
the draft's file and its visa route, in one form posted to ``create_draft``, the use case
GraphQL's ``createDraft`` calls (one audited unit: the card, the addressees, the route and
the file together, or nothing).

``?answer_to=<documentId>`` starts the form from a document the caller may read: its subject,
its correspondent as the addressee and a summary naming its number (the drafts part keeps no
link between the two documents; docs/web-approvals.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.auth.principal import Principal
from asan.core.errors import DomainError, Forbidden, NotFound, ValidationFailed
from asan.edms.documents import reads as documents
from asan.edms.drafts.models import ADDRESSEE_KINDS, DRAFT_KINDS, STEP_ROLES, DraftInput
from asan.edms.drafts.use_cases import DraftFile, create_draft
from asan.web.approvals.forms import ADDRESSEE_ROWS, ROUTE_ROWS
from asan.web.approvals.inputs import FORM, addressees_of, field_errors, route_of
from asan.web.forms import MAX_ID_CHARS, mutation_id_of, sign_in_redirect
from asan.web.i18n import Lang, translate
from asan.web.rendering import render
from asan.web.session.csrf import csrf_token, page_principal
from asan.web.session.pages import page_lang
from asan.web.workspace.upload import file_form, posted_file


def _units(principal: Principal) -> list[str]:
    return sorted(principal.org_units | principal.led_units)


def _form(
    request: Request,
    lang: Lang,
    values: Mapping[str, str],
    errors: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        lang,
        "approvals/new.html",
        {
            "csrf_token": csrf_token(request),
            "units": _units(page_principal(request)),
            "kinds": DRAFT_KINDS,
            "roles": STEP_ROLES,
            "addressee_kinds": ADDRESSEE_KINDS,
            "route_rows": range(ROUTE_ROWS),
            "addressee_rows": range(ADDRESSEE_ROWS),
            "values": dict(values),
            "errors": dict(errors or {}),
            "mutation_id": uuid.uuid4().hex,
        },
        status_code=status_code,
    )


async def _answer_values(request: Request, lang: Lang, answer_to: str) -> dict[str, str]:
    """The form's starting values for an answer to a document the caller may read."""
    if not answer_to or len(answer_to) > MAX_ID_CHARS:
        return {}
    card = await documents.document(request.app.state.platform, page_principal(request), answer_to)
    if card is None:
        return {}
    values = {
        "answer_to": answer_to,
        "kind": "outgoing",
        "subject": str(card.get("subject") or ""),
        "summary": translate(
            lang, "approvals.new.answer_summary", number=card.get("regNumber") or answer_to
        ),
    }
    if card.get("correspondentBody"):
        values |= {"addressee_kind_0": "state_body", "addressee_code_0": card["correspondentBody"]}
    elif card.get("correspondentName"):
        values |= {
            "addressee_kind_0": "organisation",
            "addressee_name_0": card["correspondentName"],
        }
    return values


async def new_draft_form(request: Request) -> Response:
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    values = await _answer_values(request, lang, request.query_params.get("answer_to", ""))
    units = _units(principal)
    values.setdefault("unit", units[0] if units else "")
    return _form(request, lang, values)


async def create(request: Request) -> Response:
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    form = await file_form(request, lang)
    if isinstance(form, Response):
        return form
    try:
        file = await posted_file(form)
        values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    finally:
        await form.close()

    def get(name: str) -> str:
        return values.get(name, "")

    required = translate(lang, "approvals.error.required")
    typed = route_of(get, required, translate(lang, "approvals.error.stage"))
    addressees, addressee_rows = addressees_of(get)
    errors: dict[str, Any] = dict(typed.errors)
    if file is None:
        errors["file"] = translate(lang, "approvals.error.file")
    if errors:
        return _form(request, lang, values, errors, 400)
    assert file is not None
    draft = DraftInput(
        kind=get("kind"),
        subject=get("subject"),
        unit=get("unit"),
        addressees=addressees,
        summary=get("summary"),
        route=typed.route,
    )
    try:
        document_id = await create_draft(
            request.app.state.platform,
            principal,
            draft,
            file=DraftFile(file.data, file.filename, file.content_type),
            client_mutation_id=mutation_id_of(form),
        )
    except ValidationFailed as exc:

        def wrap(message: str) -> str:
            return translate(lang, "approvals.error", problem=message)

        found = field_errors(exc.errors, wrap, typed.rows, addressee_rows)
        return _form(request, lang, values, found, 400)
    except (Forbidden, NotFound):
        refused = {FORM: translate(lang, "approvals.error.unit")}
        return _form(request, lang, values, refused, 403)
    except DomainError as exc:
        problem = {FORM: translate(lang, "approvals.error", problem=exc.message)}
        return _form(request, lang, values, problem, 400)
    return RedirectResponse(f"/{lang}/drafts/{document_id}", status_code=303)
