"""The registration procedure: a body submits, the agency registers or returns with defects."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from asan.auth import audit, policy
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.registry.catalog import flows, validation
from asan.registry.catalog.common import authorize, current_time
from asan.registry.catalog.models import (
    RegistrationRequest,
)
from asan.registry.catalog.registration import repository as requests_repo
from asan.registry.catalog.services import repository as services_repo
from asan.registry.catalog.services.use_cases import load_visible
from asan.registry.catalog.workdays import FIX_DAYS, REVIEW_DAYS, add_working_days, today_in_baku

# ------------------------------------------------------------------- registration procedure


async def submit_service(
    platform: Platform,
    principal: Principal,
    code: str,
    *,
    summary: str = "",
    now: datetime | None = None,
) -> RegistrationRequest:
    """A body submits its service's reglament (a draft) or a change of a published service.

    A returned request is resubmitted (same id, new review deadline). The agency's review is
    due 7 working days after the submission date (Baku calendar, AZ public holidays).
    """
    at = current_time(now)
    checker = validation.Checker()
    summary = checker.text(
        summary, "summary", max_length=validation.TEXT_MAX, required=False, multiline=True
    )
    checker.done()
    review_due = add_working_days(today_in_baku(at), REVIEW_DAYS)
    async with platform.unit_of_work() as uow:
        stored = await load_visible(platform, uow.tx, principal, code, "serviceCode")
        resource = Resource(
            "Service", code, state_body=stored.content.provider, status=stored.status
        )
        await authorize(platform, principal, "registry.service.submit", resource)
        open_request = await requests_repo.open_request_for_service(uow.tx, code)
        if open_request is not None and open_request.status == flows.REQUEST_SUBMITTED:
            raise Conflict(
                "müraciət artıq baxılır / a request for this service is already under review",
                field="serviceCode",
            )
        if open_request is not None:
            flows.request_transition(open_request.status, flows.REQUEST_SUBMITTED)
            kind = open_request.kind
            request_id = open_request.id
        else:
            if stored.status == flows.DRAFT:
                kind = "registration"
            elif stored.status == flows.PUBLISHED:
                kind = "change"
                if not summary:
                    raise ValidationFailed(
                        [FieldError("summary", "dəyişikliyi təsvir edin / describe the change")]
                    )
            else:
                flows.service_transition(stored.status, flows.UNDER_REVIEW)  # raises, names options
                kind = "registration"
            request_id = uuid.uuid4().hex
        if kind == "registration":
            flows.service_transition(stored.status, flows.UNDER_REVIEW)
            await services_repo.set_service_status(
                uow.tx,
                code,
                status_from=stored.status,
                status_to=flows.UNDER_REVIEW,
                version=stored.version + 1,
                actor=principal.subject,
                at=at,
            )
        version = stored.version + (1 if kind == "registration" else 0)
        if open_request is None:
            await requests_repo.create_request(
                uow.tx,
                RegistrationRequest(
                    id=request_id,
                    kind=kind,
                    status=flows.REQUEST_SUBMITTED,
                    service=code,
                    state_body=stored.content.provider,
                    submitted_at=at,
                    review_due=review_due,
                    service_version=version,
                    summary=summary,
                ),
            )
        else:
            await requests_repo.update_request(
                uow.tx,
                request_id,
                status=flows.REQUEST_SUBMITTED,
                at=at,
                review_due=review_due,
                version=version,
            )
        await audit.record(
            uow.tx,
            principal,
            "registry.service.submit",
            resource,
            details={
                "request": request_id,
                "kind": kind,
                "reviewDue": review_due.isoformat(),
                "resubmission": open_request is not None,
            },
        )
        request = await requests_repo.request_by_id(uow.tx, request_id)
    assert request is not None
    return request


async def _decide(
    platform: Platform,
    principal: Principal,
    request_id: str,
    target: str,
    *,
    defects: Sequence[str] = (),
    now: datetime | None = None,
) -> RegistrationRequest:
    at = current_time(now)
    async with platform.unit_of_work() as uow:
        request = await requests_repo.request_by_id(uow.tx, request_id)
        if request is None:
            raise NotFound(
                f"müraciət tapılmadı / request not found: {request_id}", field="requestId"
            )
        stored = await load_visible(platform, uow.tx, principal, request.service, "requestId")
        action = flows.request_transition(request.status, target)
        resource = Resource(
            "Service", request.service, state_body=request.state_body, status=stored.status
        )
        await authorize(platform, principal, action, resource)
        fix_due = None
        if request.kind == "registration":
            service_target = flows.PUBLISHED if target == flows.REQUEST_REGISTERED else flows.DRAFT
            flows.service_transition(stored.status, service_target)
            await services_repo.set_service_status(
                uow.tx,
                request.service,
                status_from=stored.status,
                status_to=service_target,
                version=stored.version + 1,
                actor=principal.subject,
                at=at,
            )
        if target == flows.REQUEST_RETURNED:
            fix_due = add_working_days(today_in_baku(at), FIX_DAYS)
        await requests_repo.update_request(
            uow.tx, request_id, status=target, at=at, defects=defects, fix_due=fix_due
        )
        await audit.record(
            uow.tx,
            principal,
            action,
            resource,
            details={"request": request_id, "defects": list(defects)},
        )
        decided = await requests_repo.request_by_id(uow.tx, request_id)
    assert decided is not None
    return decided


async def register_request(
    platform: Platform, principal: Principal, request_id: str, *, now: datetime | None = None
) -> RegistrationRequest:
    """The agency registers the submission: a new service is published."""
    return await _decide(platform, principal, request_id, flows.REQUEST_REGISTERED, now=now)


async def return_request(
    platform: Platform,
    principal: Principal,
    request_id: str,
    defects: Sequence[str],
    *,
    now: datetime | None = None,
) -> RegistrationRequest:
    """The agency returns the submission with its defects; the body has 7 working days."""
    cleaned = validation.defects(defects)
    return await _decide(
        platform, principal, request_id, flows.REQUEST_RETURNED, defects=cleaned, now=now
    )


async def list_requests(
    platform: Platform,
    principal: Principal,
    *,
    body: str | None = None,
    status: str | None = None,
) -> list[RegistrationRequest]:
    """Registration requests (a body's editor sees their own body's when naming none)."""
    if body is None and not policy.can(
        principal, "registry.request.read", Resource("RegistrationRequest")
    ):
        body = principal.state_body
    await authorize(
        platform,
        principal,
        "registry.request.read",
        Resource("RegistrationRequest", state_body=body),
    )
    return await requests_repo.list_requests(platform.db, body=body, status=status)


async def overdue_requests(
    platform: Platform,
    principal: Principal,
    *,
    body: str | None = None,
    now: datetime | None = None,
) -> list[RegistrationRequest]:
    """Requests past their review (agency) or fix (body) deadline, as of today in Baku.

    A body's editor who names no body sees their own body's requests.
    """
    if body is None and not policy.can(
        principal, "registry.request.read", Resource("RegistrationRequest")
    ):
        body = principal.state_body
    resource = Resource("RegistrationRequest", state_body=body)
    await authorize(platform, principal, "registry.request.read", resource)
    return await requests_repo.list_requests(
        platform.db, body=body, overdue_on=today_in_baku(current_time(now))
    )
