"""A registration request's page: the field-by-field diff and the reviewer's decision.

The request and its diff are the reads GraphQL's ``RegistrationRequest`` node and its
``diff`` field call (``requests_by_ids``: the body's own or, for reviewers, any; then
``request_diff``); approving and returning are ``registerService`` and
``returnRegistrationRequest`` (``register_request``, ``return_request``) through
``run_mutation`` with the form's client mutation id. A request decided meanwhile, or whose
service changed since it was made, is refused by the use case (CONFLICT / INVALID_TRANSITION)
and answered 409 with the page and the reason, never applied over the newer state.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.auth import policy
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.registry.catalog import flows, queries
from asan.registry.catalog.models import RegistrationRequest
from asan.registry.catalog.registration import reads
from asan.registry.catalog.registration.change_requests import review_request
from asan.registry.catalog.registration.content import camel
from asan.registry.catalog.registration.use_cases import (
    SERVICE_FIELDS,
    register_request,
    return_request,
)
from asan.web import forms
from asan.web.forms import in_lang
from asan.web.i18n import Lang, translate
from asan.web.registry import common
from asan.web.registry.fields import label, show
from asan.web.rendering import render
from asan.web.session.csrf import page_principal

DEFECT_ROWS: Final = 3  # defect lines in the return form (a field and a text each)
MAX_DEFECT: Final = 2000


@dataclass(frozen=True)
class DiffRow:
    field: str
    label: str
    current: str
    proposed: str
    added: list[str]
    removed: list[str]


@dataclass(frozen=True)
class DefectRow:
    label: str
    text: str


def reviews_for(principal: Principal, request: RegistrationRequest) -> bool:
    """Whether the caller's body still owes its review (responsible for a legal basis)."""
    return (
        request.status == flows.REQUEST_SUBMITTED
        and principal.state_body is not None
        and any(
            v.reviewer == principal.state_body and v.decision == "pending" for v in request.reviews
        )
    )


def may_decide(principal: Principal, request: RegistrationRequest) -> bool:
    resource = Resource("Service", request.service, state_body=request.state_body)
    return policy.can(principal, "registry.service.register", resource)


async def render_request(
    request: Request,
    lang: Lang,
    request_id: str,
    *,
    general: list[str] | None = None,
    defect_values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    platform: Platform = request.app.state.platform
    who = page_principal(request)
    if len(request_id) > common.MAX_CODE:
        return forms.not_found(request, lang)
    found = (await reads.requests_by_ids(platform, who, [request_id])).get(request_id)
    if found is None:
        return forms.not_found(request, lang)
    diff = await reads.request_diff(platform, found)
    services, _ = await queries.services_by_codes(platform, who, [found.service])
    service = services.get(found.service)
    rows = [
        DiffRow(
            d.field,
            label(lang, d.field),
            show(d.current),
            show(d.proposed),
            [show(x) for x in d.added],
            [show(x) for x in d.removed],
        )
        for d in diff
    ]
    names = list(found.defect_fields) + [""] * (len(found.defects) - len(found.defect_fields))
    defects = [
        DefectRow(label(lang, name) if name else "", text)
        for text, name in zip(found.defects, names, strict=False)
    ]
    values: dict[str, Any] = {
        "req": found,
        "service": service,
        "diff": rows,
        "defects": defects,
        "due": common.deadline_of(found),
        "urgency": common.deadline_words(lang, found, today_in_baku()),
        "decide": found.status == flows.REQUEST_SUBMITTED and may_decide(who, found),
        "body_review": reviews_for(who, found),
        "fields": [(camel(f), label(lang, camel(f))) for f in SERVICE_FIELDS],
        "defect_rows": range(1, DEFECT_ROWS + 1),
        "defect_values": defect_values or {},
        "principal_body": who.state_body,
        "general": general or [],
    }
    return render(
        request,
        lang,
        "registry/request.html",
        forms.page_context(request, **values),
        status_code=status_code,
    )


async def request_page(request: Request) -> Response:
    page = forms.signed_in(request)
    if isinstance(page, Response):
        return page
    return await render_request(request, page.lang, request.path_params["request_id"])


def _refusal_status(exc: DomainError) -> int:
    return 409 if isinstance(exc, Conflict | InvalidTransition) else 400


async def _decided(
    request: Request,
    p: forms.Posted,
    request_id: str,
    decide: Callable[[], Awaitable[object]],
    values: dict[str, str] | None = None,
) -> Response:
    """Run one decision's use case; the request's page again with what refused it (400, or
    409 when it moved on meanwhile), the 404/403 page, or back to the request on success."""

    async def again(general: list[str], status: int) -> Response:
        return await render_request(
            request, p.lang, request_id, general=general, defect_values=values, status_code=status
        )

    try:
        await decide()
    except NotFound:
        return forms.not_found(request, p.lang)
    except Forbidden:
        return common.refused(request, p.lang)
    except ValidationFailed as exc:
        return await again([in_lang(p.lang, e.message) for e in exc.errors], 400)
    except DomainError as exc:
        problem = in_lang(p.lang, exc.message)
        message = translate(p.lang, "registry.error.decision", problem=problem)
        return await again([message], _refusal_status(exc))
    return RedirectResponse(f"/{p.lang}/registry/requests/{request_id}", status_code=303)


async def _request_form(request: Request) -> tuple[forms.Posted, str] | Response:
    p = await forms.posted(request)
    if isinstance(p, Response):
        return p
    request_id = request.path_params["request_id"]
    if len(request_id) > common.MAX_CODE:
        return forms.not_found(request, p.lang)
    return p, request_id


async def approve(request: Request) -> Response:
    posted = await _request_form(request)
    if isinstance(posted, Response):
        return posted
    p, request_id = posted
    return await _decided(
        request,
        p,
        request_id,
        lambda: register_request(
            request.app.state.platform, p.principal, request_id, client_mutation_id=p.mutation_id
        ),
    )


@dataclass(frozen=True)
class Defects:
    """The return form's rows: defects of the whole request, (field, text) pairs, as typed."""

    general: list[str]
    by_field: list[tuple[str, str]]
    values: dict[str, str]


def posted_defects(form: FormData) -> Defects:
    found = Defects([], [], {})
    for i in range(1, DEFECT_ROWS + 1):
        field = str(form.get(f"defect_field_{i}") or "")[:100]
        text = str(form.get(f"defect_text_{i}") or "")[:MAX_DEFECT]
        found.values[f"defect_field_{i}"], found.values[f"defect_text_{i}"] = field, text
        if not text.strip():
            continue
        if field:
            found.by_field.append((field, text))
        else:
            found.general.append(text)
    return found


async def _no_defects(request: Request, p: forms.Posted, request_id: str, d: Defects) -> Response:
    message = translate(p.lang, "registry.error.defects")
    return await render_request(
        request, p.lang, request_id, general=[message], defect_values=d.values, status_code=400
    )


async def send_back(request: Request) -> Response:
    """Return with defects: each row a field (or none) and its text."""
    posted = await _request_form(request)
    if isinstance(posted, Response):
        return posted
    p, request_id = posted
    defects = posted_defects(p.form)
    if not defects.general and not defects.by_field:
        return await _no_defects(request, p, request_id, defects)
    return await _decided(
        request,
        p,
        request_id,
        lambda: return_request(
            request.app.state.platform,
            p.principal,
            request_id,
            defects.general,
            field_defects=defects.by_field,
            client_mutation_id=p.mutation_id,
        ),
        defects.values,
    )


async def review(request: Request) -> Response:
    """A responsible body's own review: ``reviewRegistrationRequest`` (approve, or return
    with defects, which returns the whole request to the submitting body)."""
    posted = await _request_form(request)
    if isinstance(posted, Response):
        return posted
    p, request_id = posted
    approve_it = str(p.form.get("decision") or "") == "approve"
    defects = posted_defects(p.form)
    if not approve_it and not defects.general and not defects.by_field:
        return await _no_defects(request, p, request_id, defects)
    return await _decided(
        request,
        p,
        request_id,
        lambda: review_request(
            request.app.state.platform,
            p.principal,
            request_id,
            approve=approve_it,
            defects=defects.general,
            field_defects=defects.by_field,
            client_mutation_id=p.mutation_id,
        ),
        defects.values,
    )
