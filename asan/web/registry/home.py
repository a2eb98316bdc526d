"""``/{lang}/registry``: a state body's services and drafts, its requests in progress with
their deadlines, the returned ones with their defects; the reviewers' queue.

The lists are GraphQL's ``services`` (filtered by the caller's body, the catalog's visibility
deciding which drafts show) and ``registrationRequests`` (``requests_page``: a body's editor
gets their body's, a reviewer every body's; a caller the policy refuses gets no list).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from typing import Final

from starlette.requests import Request
from starlette.responses import Response

from asan.auth.principal import Principal
from asan.core.errors import Forbidden
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.registry.catalog import flows, queries
from asan.registry.catalog.models import Page, RegistrationRequest, Service, ServiceFilter
from asan.registry.catalog.registration import reads
from asan.web import forms
from asan.web.i18n import Lang
from asan.web.registry import common
from asan.web.registry.fields import label
from asan.web.rendering import render
from asan.web.workspace.deadlines import Urgency

LIST_LIMIT: Final = 100


@dataclass(frozen=True)
class RequestItem:
    request: RegistrationRequest
    service_name: str
    due: date | None
    urgency: Urgency | None
    defects: list[tuple[str, str]]  # (field label or "", text)


async def _requests(
    platform: Platform, principal: Principal, status: str
) -> Page[RegistrationRequest] | None:
    try:
        return await reads.requests_page(platform, principal, status=status, limit=LIST_LIMIT)
    except Forbidden:  # neither an editor nor a reviewer: no list
        return None


async def _reviewing(platform: Platform, principal: Principal) -> Page[RegistrationRequest] | None:
    """Requests the caller's body reviews (responsible for a legal basis they rest on)."""
    if principal.state_body is None:
        return None
    try:
        return await reads.requests_page(
            platform,
            principal,
            reviewer=principal.state_body,
            status=flows.REQUEST_SUBMITTED,
            limit=LIST_LIMIT,
        )
    except Forbidden:
        return None


async def _services(platform: Platform, principal: Principal) -> list[Service]:
    if principal.state_body is None:
        return []
    page, _ = await queries.list_services(
        platform, principal, ServiceFilter(body=principal.state_body), after=None, limit=LIST_LIMIT
    )
    return page.rows


def _item(lang: Lang, r: RegistrationRequest, names: dict[str, str], today: date) -> RequestItem:
    fields = list(r.defect_fields) + [""] * (len(r.defects) - len(r.defect_fields))
    return RequestItem(
        r,
        names.get(r.service, r.service),
        common.deadline_of(r),
        common.deadline_words(lang, r, today),
        [(label(lang, f) if f else "", text) for text, f in zip(r.defects, fields, strict=False)],
    )


def _name(lang: Lang, s: Service) -> str:
    return (s.name_en if lang == "en" else s.name_ru if lang == "ru" else "") or s.name_az


async def registry_home(request: Request) -> Response:
    page = forms.signed_in(request)
    if isinstance(page, Response):
        return page
    platform: Platform = request.app.state.platform
    lang, principal = page.lang, page.principal
    services, submitted, returned, reviewing = await asyncio.gather(
        _services(platform, principal),
        _requests(platform, principal, flows.REQUEST_SUBMITTED),
        _requests(platform, principal, flows.REQUEST_RETURNED),
        _reviewing(platform, principal),
    )
    review_rows = reviewing.rows if reviewing else []
    rows = [
        *(submitted.rows if submitted else []),
        *(returned.rows if returned else []),
        *review_rows,
    ]
    known = {s.code: _name(lang, s) for s in services}
    missing = sorted({r.service for r in rows} - known.keys())
    if missing:
        extra, _ = await queries.services_by_codes(platform, principal, missing)
        known.update({code: _name(lang, s) for code, s in extra.items()})
    today = today_in_baku()
    return render(
        request,
        lang,
        "registry/home.html",
        forms.page_context(
            request,
            principal=principal,
            services=[(s, _name(lang, s)) for s in services],
            submitted=[_item(lang, r, known, today) for r in (submitted.rows if submitted else [])],
            returned=[_item(lang, r, known, today) for r in (returned.rows if returned else [])],
            reviewing=[_item(lang, r, known, today) for r in review_rows],
            may_list=submitted is not None,
        ),
    )
