"""The registration procedure: a body submits, the agency registers or returns with defects.

The steps (``submit_step``, ``decide_step``) run inside a caller's ``run_mutation`` unit, so
``transitionService`` performs a review step in the same one transaction as its own check.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from asan.auth import policy
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.registry.catalog import flows, validation
from asan.registry.catalog.common import authorize, current_time
from asan.registry.catalog.models import RegistrationRequest, StoredService
from asan.registry.catalog.registration import repository as requests_repo
from asan.registry.catalog.services import repository as services_repo
from asan.registry.catalog.services.use_cases import load_visible
from asan.registry.catalog.workdays import FIX_DAYS, REVIEW_DAYS, add_working_days, today_in_baku

# ------------------------------------------------------------------- registration procedure

SUBMIT_ACTION = "registry.service.submit"
_STATUS_FIELDS = ("status", "version")
_REQUEST_FIELDS = (
    "id",
    "kind",
    "status",
    "serviceCode",
    "stateBodyCode",
    "submittedAt",
    "reviewDue",
    "summary",
)


def clean_summary(summary: str) -> str:
    checker = validation.Checker()
    cleaned = checker.text(
        summary, "summary", max_length=validation.TEXT_MAX, required=False, multiline=True
    )
    checker.done()
    return cleaned


def service_target_resource(stored: StoredService) -> Resource:
    """The service a step acts on, as read in the step's own transaction."""
    return Resource(
        "Service", stored.content.code, state_body=stored.content.provider, status=stored.status
    )


async def submit_step(m: Mutation, stored: StoredService, summary: str, at: datetime) -> str:
    """Submit (or resubmit) inside the caller's unit; returns the request's id.

    The agency's review is due 7 working days after the submission date (Baku calendar, AZ
    public holidays). A returned request is resubmitted (same id, new review deadline).
    """
    code = stored.content.code
    review_due = add_working_days(today_in_baku(at), REVIEW_DAYS)
    open_request = await requests_repo.open_request_for_service(m.tx, code)
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
            m.tx,
            code,
            status_from=stored.status,
            status_to=flows.UNDER_REVIEW,
            version=stored.version + 1,
            actor=m.principal.subject,
            at=at,
        )
        m.changed("Service", code, "status_changed", _STATUS_FIELDS)
    version = stored.version + (1 if kind == "registration" else 0)
    if open_request is None:
        await requests_repo.create_request(
            m.tx,
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
        m.changed("RegistrationRequest", request_id, "created", _REQUEST_FIELDS)
    else:
        await requests_repo.update_request(
            m.tx,
            request_id,
            status=flows.REQUEST_SUBMITTED,
            at=at,
            review_due=review_due,
            version=version,
        )
        m.changed(
            "RegistrationRequest",
            request_id,
            "status_changed",
            ("status", "reviewDue", "resubmissions"),
        )
    m.detail(
        request=request_id,
        kind=kind,
        reviewDue=review_due.isoformat(),
        resubmission=open_request is not None,
    )
    return request_id


async def decide_step(
    m: Mutation,
    request: RegistrationRequest,
    stored: StoredService,
    target: str,
    defects: Sequence[str],
    at: datetime,
) -> None:
    """Register or return a submitted request inside the caller's unit."""
    flows.request_transition(request.status, target)
    fix_due = None
    if request.kind == "registration":
        service_target = flows.PUBLISHED if target == flows.REQUEST_REGISTERED else flows.DRAFT
        flows.service_transition(stored.status, service_target)
        await services_repo.set_service_status(
            m.tx,
            request.service,
            status_from=stored.status,
            status_to=service_target,
            version=stored.version + 1,
            actor=m.principal.subject,
            at=at,
        )
        m.changed("Service", request.service, "status_changed", _STATUS_FIELDS)
    if target == flows.REQUEST_RETURNED:
        fix_due = add_working_days(today_in_baku(at), FIX_DAYS)
    await requests_repo.update_request(
        m.tx, request.id, status=target, at=at, defects=defects, fix_due=fix_due
    )
    fields = ("status", "decidedAt") + (("defects", "fixDue") if fix_due else ())
    m.changed("RegistrationRequest", request.id, "status_changed", fields)
    m.detail(request=request.id, defects=list(defects))


async def _read_request(m: Mutation, request_id: str) -> RegistrationRequest:
    request = await requests_repo.request_by_id(m.tx, request_id)
    assert request is not None  # written in this transaction
    return request


async def submit_service(
    platform: Platform,
    principal: Principal,
    code: str,
    *,
    summary: str = "",
    now: datetime | None = None,
) -> RegistrationRequest:
    """A body submits its service's reglament (a draft) or a change of a published service."""
    at = current_time(now)
    summary = clean_summary(summary)
    loaded: dict[str, StoredService] = {}

    async def resolve(tx: Tx) -> Resource:
        loaded["stored"] = await load_visible(platform, tx, principal, code, "serviceCode")
        return service_target_resource(loaded["stored"])

    async def work(m: Mutation) -> RegistrationRequest:
        request_id = await submit_step(m, loaded["stored"], summary, at)
        return await _read_request(m, request_id)

    return await run_mutation(platform, principal, SUBMIT_ACTION, resolve, work)


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
    loaded: dict[str, Any] = {}

    async def resolve(tx: Tx) -> Resource:
        request = await requests_repo.request_by_id(tx, request_id)
        if request is None:
            raise NotFound(
                f"müraciət tapılmadı / request not found: {request_id}", field="requestId"
            )
        stored = await load_visible(platform, tx, principal, request.service, "requestId")
        loaded.update(request=request, stored=stored)
        return Resource(
            "Service", request.service, state_body=request.state_body, status=stored.status
        )

    async def work(m: Mutation) -> RegistrationRequest:
        await decide_step(m, loaded["request"], loaded["stored"], target, defects, at)
        return await _read_request(m, request_id)

    # each decision has one action whatever the request's state (REQUEST_TRANSITIONS): the
    # caller is authorised before learning whether the request can still be decided
    action = (
        "registry.service.register"
        if target == flows.REQUEST_REGISTERED
        else "registry.service.return"
    )
    return await run_mutation(platform, principal, action, resolve, work)


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
