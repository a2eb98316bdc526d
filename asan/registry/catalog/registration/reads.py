"""Reads of registration requests: pages by body and status, the overdue ones.

A body's editor sees their own body's requests; the registry's reviewers see every body's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from asan.auth import policy
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.platform import Platform
from asan.registry.catalog.common import authorize, current_time
from asan.registry.catalog.models import AGENCY_REVIEWER, Page, RegistrationRequest
from asan.registry.catalog.registration import content as codec
from asan.registry.catalog.registration import repository as requests_repo
from asan.registry.catalog.registration.content import FieldDiff
from asan.registry.catalog.registration.repository import sort_key

__all__ = [
    "list_requests",
    "overdue_requests",
    "request_diff",
    "requests_by_ids",
    "requests_page",
    "sort_key",
]
from asan.registry.catalog.services import reads as service_reads
from asan.registry.catalog.workdays import today_in_baku


def _readable_body(principal: Principal, body: str | None) -> str | None:
    """A body's editor who names no body sees their own body's requests."""
    if body is None and not policy.can(
        principal, "registry.request.read", Resource("RegistrationRequest")
    ):
        return principal.state_body
    return body


async def requests_page(
    platform: Platform,
    principal: Principal,
    *,
    body: str | None = None,
    status: str | None = None,
    overdue: bool = False,
    reviewer: str | None = None,
    after: Sequence[Any] | None = None,
    limit: int | None = None,
    now: datetime | None = None,
) -> Page[RegistrationRequest]:
    """A page of registration requests, nearest deadline first, with the total matching.

    ``overdue``: only those past their review (agency) or fix (body) deadline, as of today in
    Baku. ``reviewer``: only those this reviewer (a body's code, or ``agency``) reviews; a
    reviewing body's editor lists them whichever body submitted them.
    """
    if reviewer is not None and body is None:
        reviewing = None if reviewer == AGENCY_REVIEWER else reviewer
        resource = Resource("RegistrationRequest", state_body=reviewing)
    else:
        body = _readable_body(principal, body)
        resource = Resource("RegistrationRequest", state_body=body)
    await authorize(platform, principal, "registry.request.read", resource)
    rows, total = await requests_repo.list_requests(
        platform.db,
        body=body,
        status=status,
        overdue_on=today_in_baku(current_time(now)) if overdue else None,
        reviewer=reviewer,
        after=after,
        limit=limit,
    )
    return Page(rows, total)


async def list_requests(
    platform: Platform,
    principal: Principal,
    *,
    body: str | None = None,
    status: str | None = None,
) -> list[RegistrationRequest]:
    """Registration requests (a body's editor sees their own body's when naming none)."""
    return (await requests_page(platform, principal, body=body, status=status)).rows


async def overdue_requests(
    platform: Platform,
    principal: Principal,
    *,
    body: str | None = None,
    now: datetime | None = None,
) -> list[RegistrationRequest]:
    """Requests past their review (agency) or fix (body) deadline, as of today in Baku."""
    page = await requests_page(platform, principal, body=body, overdue=True, now=now)
    return page.rows


async def requests_by_ids(
    platform: Platform, principal: Principal, ids: Sequence[str]
) -> dict[str, RegistrationRequest]:
    """Requests by id that the caller may read (their body's, or any for reviewers)."""
    found = await requests_repo.requests_by_ids(platform.db, ids)
    return {
        key: r
        for key, r in found.items()
        if policy.can(
            principal,
            "registry.request.read",
            Resource("RegistrationRequest", key, state_body=r.state_body),
        )
        or (
            principal.has_role("state_body_editor")
            and any(v.reviewer == principal.state_body for v in r.reviews)
        )
    }


async def request_diff(platform: Platform, request: RegistrationRequest) -> list[FieldDiff]:
    """Field by field, the published value and the proposed one (callers check who reads).

    An open request compares with the service as it is now; a registered one shows what it
    changed (the content it was made against, and that content with the proposal applied).
    """
    if request.proposal is None:
        return []
    if request.status == "registered" and request.base is not None:
        before = request.base
    else:
        stored = (await service_reads.stored_services(platform.db, [request.service])).get(
            request.service
        )
        if stored is None:
            return []
        before = stored.content
    return codec.field_diff(before, codec.proposed(before, request.proposal, request.clear))
