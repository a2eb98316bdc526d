"""Registering an appeal from a form: ``use_cases.register_appeal`` (GraphQL's
``registerAppeal``) through the audited pipeline, with the client mutation id rendered into the
form (sent twice, registered once). Refused input comes back next to its field in the page's
language, the typed values kept; on success the appeal's page, which shows the earlier appeals
the domain found it repeats.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Final

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.core.errors import DomainError, Forbidden, ValidationFailed
from asan.edms.appeals import reads, use_cases
from asan.edms.appeals.models import APPEAL_CHANNELS, APPEAL_TYPES, Appeal, Applicant, NewAppeal
from asan.registry.catalog import queries
from asan.web.appeals.common import field_errors
from asan.web.forms import Caller, in_lang, posted, signed_in
from asan.web.i18n import translate
from asan.web.rendering import render
from asan.web.session.csrf import csrf_token

MAX_CENTRES: Final = 500  # the country has a few dozen: one select holds them all
FIELDS: Final = (
    "type",
    "channel",
    "centre",
    "unit",
    "name",
    "address",
    "contact",
    "subject",
    "summary",
)
# the domain's field names -> the form's
DOMAIN_FIELDS: Final = {
    "appealType": "type",
    "channel": "channel",
    "centre": "centre",
    "unit": "unit",
    "applicant.name": "name",
    "applicant.address": "address",
    "applicant.contact": "contact",
    "subject": "subject",
    "summary": "summary",
}


async def form_page(
    request: Request,
    caller: Caller,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    status_code: int = 200,
    repeats: list[Appeal] | None = None,
) -> Response:
    centres = await queries.list_asan_centres(
        request.app.state.platform, after=None, limit=MAX_CENTRES
    )
    return render(
        request,
        caller.lang,
        "appeals/new.html",
        {
            "principal": caller.principal,
            "csrf_token": csrf_token(request),
            "values": dict(values),
            "errors": dict(errors),
            "types": APPEAL_TYPES,
            "channels": APPEAL_CHANNELS,
            "centres": [(c.code, f"{c.name} ({c.code})") for c in centres.rows],
            "repeats": repeats,  # None: not checked yet
            # a new id for every rendering: a refused attempt must not answer the corrected one
            "mutation_id": uuid.uuid4().hex,
        },
        status_code=status_code,
    )


async def new_appeal(request: Request) -> Response:
    caller = signed_in(request)
    if isinstance(caller, Response):
        return caller
    return await form_page(request, caller, {"type": "application", "channel": "reception"}, {})


async def register(request: Request) -> Response:
    sent = await posted(request)
    if isinstance(sent, Response):
        return sent
    caller = Caller(sent.lang, sent.principal)
    values = {name: sent.text(name) for name in FIELDS}
    values["extra_study"] = "1" if sent.form.get("extra_study") else ""
    lang = sent.lang
    if values["type"] not in APPEAL_TYPES or values["channel"] not in APPEAL_CHANNELS:
        wrong = "type" if values["type"] not in APPEAL_TYPES else "channel"
        return await form_page(
            request, caller, values, {wrong: translate(lang, "appeals.error.choice")}, 400
        )
    appeal = NewAppeal(
        appeal_type=values["type"],
        channel=values["channel"],
        applicant=Applicant(values["name"], values["address"] or None, values["contact"] or None),
        subject=values["subject"],
        unit=values["unit"] or None,
        summary=values["summary"] or None,
        centre=values["centre"] or None,
        extra_study=bool(values["extra_study"]),
    )
    if sent.form.get("check"):  # "Check for repeats": show them, register nothing
        return await _checked(request, caller, values, appeal)
    try:
        document_id = await use_cases.register_appeal(
            request.app.state.platform,
            sent.principal,
            appeal,
            client_mutation_id=sent.mutation_id,
        )
    except ValidationFailed as exc:
        return await form_page(
            request, caller, values, field_errors(lang, exc, DOMAIN_FIELDS, "subject"), 400
        )
    except Forbidden:
        message = translate(lang, "appeals.error.forbidden")
        return await form_page(request, caller, values, {"form": message}, 403)
    except DomainError as exc:
        field = DOMAIN_FIELDS.get(exc.field or "", "form")
        return await form_page(request, caller, values, {field: in_lang(lang, exc.message)}, 400)
    return RedirectResponse(f"/{lang}/appeals/{document_id}", status_code=303)


async def _checked(
    request: Request, caller: Caller, values: Mapping[str, str], appeal: NewAppeal
) -> Response:
    """The form again with the earlier appeals the registration would link (the name and a
    contact or an address are what the check needs; without them it is said next to them)."""
    if not appeal.applicant.name.strip() or not (
        appeal.applicant.address or appeal.applicant.contact
    ):
        field = "name" if not appeal.applicant.name.strip() else "contact"
        message = translate(caller.lang, "appeals.new.check_needs")
        return await form_page(request, caller, values, {field: message}, 400)
    found = await reads.possible_repeats(
        request.app.state.platform, caller.principal, appeal.applicant, appeal.subject
    )
    return await form_page(request, caller, values, {}, repeats=found)
