"""A body's service form: a new draft, editing a draft, proposing a change of a published one.

The form posts to the use cases GraphQL's ``createService``, ``updateService``,
``submitServiceForReview`` and ``submitChangeRequest`` call, through ``run_mutation``, with a
client mutation id rendered into the form (sent twice, done once). The policy decides who may
edit: a body's editor their own body's drafts and change requests, nobody another body's
(403). The form carries the service's version: a form rendered before the service changed is
answered 409 "changed meanwhile" instead of overwriting. A returned request's defects are
shown next to the fields they name, the proposal it returned already in the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.auth import policy
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.errors import (
    Conflict,
    DomainError,
    FieldError,
    Forbidden,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from asan.core.platform import Platform
from asan.registry.catalog import flows, queries
from asan.registry.catalog.models import (
    CHANNELS,
    RegistrationRequest,
    ServiceInput,
    ServicePatch,
)
from asan.registry.catalog.registration import content as codec
from asan.registry.catalog.registration.change_requests import submit_change
from asan.registry.catalog.registration.use_cases import submit_service
from asan.registry.catalog.services import reads as service_reads
from asan.registry.catalog.services.use_cases import (
    create_service,
    may_read_requests,
    update_service,
)
from asan.web import forms
from asan.web.i18n import Lang, translate
from asan.web.registry import common
from asan.web.registry.fields import (
    FORM_FIELDS,
    Posted,
    form_field,
    label,
    parse,
    placed,
    read_posted,
    values_of,
)
from asan.web.rendering import render

OPEN: Final = (flows.REQUEST_SUBMITTED, flows.REQUEST_RETURNED)
MAX_SUMMARY: Final = 2000


@dataclass(frozen=True)
class Loaded:
    """A service as the form starts from: stored content, status, version, its open request."""

    content: ServiceInput
    status: str
    version: int
    request: RegistrationRequest | None

    @property
    def mode(self) -> str:
        """One of: draft (saved as it is), change (a change request), locked (under review)."""
        if self.request is not None and self.request.status == flows.REQUEST_SUBMITTED:
            return "locked"
        if self.status == flows.DRAFT:
            return "draft"
        return "change" if self.status == flows.PUBLISHED else "locked"

    @property
    def shown(self) -> ServiceInput:
        """A returned change request's proposal (being fixed), else the stored content."""
        r = self.request
        if r is not None and r.status == flows.REQUEST_RETURNED and r.proposal is not None:
            return codec.proposed(self.content, r.proposal, r.clear)
        return self.content


async def load(platform: Platform, principal: Principal, code: str) -> Loaded | None:
    """The service if the caller may see it (the catalog's visibility), else None."""
    visible, _ = await queries.services_by_codes(platform, principal, [code])
    stored = (await service_reads.stored_services(platform.db, [code])).get(code)
    if code not in visible or stored is None:
        return None
    request = None
    if may_read_requests(principal, stored.content.provider):
        rows = (await queries.requests_by_service(platform, [code])).get(code, [])
        request = next((r for r in rows if r.status in OPEN), None)
    return Loaded(stored.content, stored.status, stored.version, request)


def may_edit(principal: Principal, loaded: Loaded) -> bool:
    action = "registry.service.update" if loaded.status == flows.DRAFT else SUBMIT
    resource = Resource(
        "Service", loaded.content.code, state_body=loaded.content.provider, status=loaded.status
    )
    return policy.can(principal, action, resource)


SUBMIT: Final = "registry.service.submit"


def defects_by_field(lang: Lang, request: RegistrationRequest | None) -> dict[str, list[str]]:
    """A returned request's defects by the form field they name ("" for the rest)."""
    out: dict[str, list[str]] = {}
    if request is None or request.status != flows.REQUEST_RETURNED:
        return out
    names = list(request.defect_fields) + [""] * (len(request.defects) - len(request.defect_fields))
    for text, name in zip(request.defects, names, strict=False):
        field = form_field(name) if name else None
        out.setdefault(field or "", []).append(
            text if field or not name else f"{label(lang, name)}: {text}"
        )
    return out


def render_form(
    request: Request,
    lang: Lang,
    *,
    posted: Posted,
    loaded: Loaded | None,
    code: str = "",
    provider: str = "",
    summary: str = "",
    errors: dict[str, str] | None = None,
    general: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    values: dict[str, Any] = {
        "values": posted.values,
        "checked": posted.channels,
        "channels": CHANNELS,
        "form_fields": FORM_FIELDS,
        "loaded": loaded,
        "mode": loaded.mode if loaded is not None else "new",
        "code": loaded.content.code if loaded is not None else code,
        "provider": loaded.content.provider if loaded is not None else provider,
        "summary": summary,
        "errors": errors or {},
        "general": general or [],
        "defects": defects_by_field(lang, loaded.request if loaded else None),
    }
    return render(
        request,
        lang,
        "registry/service_form.html",
        forms.page_context(request, **values),
        status_code=status_code,
    )


async def new_form(request: Request) -> Response:
    page = forms.signed_in(request)
    if isinstance(page, Response):
        return page
    body = page.principal.state_body or ""
    blank = ServiceInput(code="", name_az="", provider=body)
    return render_form(request, page.lang, posted=values_of(blank), loaded=None, provider=body)


def _refused_input(
    lang: Lang, exc: DomainError | ValidationFailed
) -> tuple[dict[str, str], list[str], int]:
    """A use case's refusal as messages by field, messages on top, and the status code."""
    if isinstance(exc, ValidationFailed):
        by_field, general = placed(lang, exc.errors)
        return by_field, general, 400
    status = 409 if isinstance(exc, Conflict | InvalidTransition) else 400
    by_field, general = placed(lang, [FieldError(exc.field or "", exc.message)])
    return by_field, general, status


async def create(request: Request) -> Response:
    p = await forms.posted(request)
    if isinstance(p, Response):
        return p
    code = str(p.form.get("code") or "").strip()[: common.MAX_CODE]
    provider = str(p.form.get("provider") or p.principal.state_body or "").strip()
    posted = read_posted(p.form)
    content, errors = parse(p.lang, posted, ServiceInput(code=code, name_az="", provider=provider))

    def again(errors: dict[str, str], general: list[str], status: int) -> Response:
        return render_form(
            request,
            p.lang,
            posted=posted,
            loaded=None,
            code=code,
            provider=provider,
            errors=errors,
            general=general,
            status_code=status,
        )

    if content is None:
        return again(errors, [], 400)
    try:
        await create_service(
            request.app.state.platform, p.principal, content, client_mutation_id=p.mutation_id
        )
    except Forbidden:
        return common.refused(request, p.lang)
    except (DomainError, ValidationFailed) as exc:
        return again(*_refused_input(p.lang, exc))
    return RedirectResponse(f"/{p.lang}/registry/services/{code}/edit", status_code=303)


async def edit_form(request: Request) -> Response:
    page = forms.signed_in(request)
    if isinstance(page, Response):
        return page
    code = request.path_params["code"]
    if len(code) > common.MAX_CODE:
        return forms.not_found(request, page.lang)
    loaded = await load(request.app.state.platform, page.principal, code)
    if loaded is None:
        return forms.not_found(request, page.lang)
    if not may_edit(page.principal, loaded):
        return common.refused(request, page.lang)
    return render_form(request, page.lang, posted=values_of(loaded.shown), loaded=loaded)


def _patch(current: ServiceInput, wanted: ServiceInput) -> tuple[ServicePatch, tuple[str, ...]]:
    """Only the fields the form changed (a change request names what it changes)."""
    given: dict[str, Any] = {}
    clear: list[str] = []
    for name in (
        "name_az",
        "name_en",
        "name_ru",
        "description_az",
        "description_en",
        "description_ru",
        "processing_days",
        "fee_amount",
        "fee_exemptions",
        "online_url",
        "channels",
        "legal_basis",
        "requirements",
    ):
        new = getattr(wanted, name)
        if new == getattr(current, name):
            continue
        if new is None and name in codec.CLEARABLE:
            clear.append(name)
        else:
            given[name] = new
    return ServicePatch(code=current.code, **given), tuple(clear)


async def _posted_service(request: Request) -> tuple[forms.Posted, Loaded] | Response:
    """The checked form and the service of the path as the caller may see it (else 404)."""
    p = await forms.posted(request)
    if isinstance(p, Response):
        return p
    code = request.path_params["code"]
    if len(code) > common.MAX_CODE:
        return forms.not_found(request, p.lang)
    loaded = await load(request.app.state.platform, p.principal, code)
    if loaded is None:
        return forms.not_found(request, p.lang)
    return p, loaded


async def save(request: Request) -> Response:
    """A draft saved (``updateService``) or a published service's change proposed."""
    found = await _posted_service(request)
    if isinstance(found, Response):
        return found
    p, loaded = found
    platform: Platform = request.app.state.platform
    code = request.path_params["code"]
    if not may_edit(p.principal, loaded):
        return common.refused(request, p.lang)
    posted = read_posted(p.form)
    summary = str(p.form.get("summary") or "")[:MAX_SUMMARY]

    def again(errors: dict[str, str], general: list[str], status: int) -> Response:
        return render_form(
            request,
            p.lang,
            posted=posted,
            loaded=loaded,
            summary=summary,
            errors=errors,
            general=general,
            status_code=status,
        )

    if str(p.form.get("version") or "") != str(loaded.version) or loaded.mode == "locked":
        return again({}, [translate(p.lang, "registry.error.stale")], 409)
    content, errors = parse(p.lang, posted, loaded.content)
    if content is None:
        return again(errors, [], 400)
    patch, clear = _patch(loaded.content, content)
    try:
        if loaded.mode == "draft":
            await update_service(
                platform,
                p.principal,
                patch,
                clear_online_url="online_url" in clear,
                clear_processing_days="processing_days" in clear,
                client_mutation_id=p.mutation_id,
            )
            return RedirectResponse(f"/{p.lang}/registry/services/{code}/edit", status_code=303)
        done = await submit_change(
            platform,
            p.principal,
            patch,
            summary=summary,
            clear=clear,
            client_mutation_id=p.mutation_id,
        )
    except (Forbidden, NotFound):
        return common.refused(request, p.lang)
    except (DomainError, ValidationFailed) as exc:
        return again(*_refused_input(p.lang, exc))
    return RedirectResponse(f"/{p.lang}/registry/requests/{done.id}", status_code=303)


async def submit(request: Request) -> Response:
    """A draft (or a returned registration) submitted for registration: ``submitService``."""
    found = await _posted_service(request)
    if isinstance(found, Response):
        return found
    p, loaded = found
    platform: Platform = request.app.state.platform
    code = request.path_params["code"]
    stale = [translate(p.lang, "registry.error.stale")]
    if str(p.form.get("version") or "") != str(loaded.version) or loaded.mode != "draft":
        return render_form(
            request,
            p.lang,
            posted=values_of(loaded.shown),
            loaded=loaded,
            general=stale,
            status_code=409,
        )
    try:
        done = await submit_service(platform, p.principal, code, client_mutation_id=p.mutation_id)
    except (Forbidden, NotFound):
        return common.refused(request, p.lang)
    except (DomainError, ValidationFailed) as exc:
        errors, general, status = _refused_input(p.lang, exc)
        return render_form(
            request,
            p.lang,
            posted=values_of(loaded.shown),
            loaded=loaded,
            errors=errors,
            general=general,
            status_code=status,
        )
    return RedirectResponse(f"/{p.lang}/registry/requests/{done.id}", status_code=303)
