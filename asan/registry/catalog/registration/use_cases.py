"""The registration procedure: a body submits, the agency registers or returns with defects.

The steps (``submit_step``, ``decide_step``) run inside a caller's ``run_mutation`` unit, so
``transitionService`` performs a review step in the same one transaction as its own check.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.registry.catalog import flows, validation
from asan.registry.catalog.common import current_time
from asan.registry.catalog.models import (
    AGENCY_REVIEWER,
    RegistrationRequest,
    ServiceInput,
    ServicePatch,
    StoredService,
)
from asan.registry.catalog.registration import content as codec
from asan.registry.catalog.registration import repository as requests_repo
from asan.registry.catalog.services import repository as services_repo
from asan.registry.catalog.services.use_cases import load_visible, write_services
from asan.registry.catalog.workdays import FIX_DAYS, REVIEW_DAYS, add_working_days, today_in_baku

# ------------------------------------------------------------------- registration procedure

SUBMIT_ACTION = "registry.service.submit"
SERVICE_FIELDS = tuple(f.name for f in fields(ServiceInput))
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


@dataclass(frozen=True)
class Proposal:
    """A change request's checked content: the fields it sets and the ones it clears."""

    patch: ServicePatch
    clear: tuple[str, ...] = ()


async def submit_step(
    m: Mutation,
    stored: StoredService,
    summary: str,
    at: datetime,
    proposal: Proposal | None = None,
) -> str:
    """Submit (or resubmit) inside the caller's unit; returns the request's id.

    Every required review is due 7 working days after the submission date (Baku calendar, AZ
    public holidays). A returned request is resubmitted (same id, new deadlines, every review
    pending again; a change request's content and base are replaced by this submission's).
    """
    code = stored.content.code
    review_due = add_working_days(today_in_baku(at), REVIEW_DAYS)
    open_request = await requests_repo.open_request_for_service(m.tx, code)
    if open_request is not None and open_request.status == flows.REQUEST_SUBMITTED:
        raise Conflict(
            "müraciət artıq baxılır / a request for this service is already under review",
            field="serviceCode",
        )
    if proposal is not None and stored.status != flows.PUBLISHED:
        raise ValidationFailed(
            [
                FieldError(
                    "changes.code",
                    f"yalnız dərc olunmuş xidmət dəyişdirilə bilər (indi '{stored.status}') / "
                    f"only a published service takes a change request (it is '{stored.status}')",
                    "INVALID_STATE",
                )
            ]
        )
    if open_request is not None:
        flows.request_transition(open_request.status, flows.REQUEST_SUBMITTED)
        kind = open_request.kind
        request_id = open_request.id
        if proposal is None and open_request.proposal is not None:
            # resubmitted as it was: the same content, now against the service as it is
            proposal = Proposal(open_request.proposal, open_request.clear)
    else:
        if stored.status == flows.DRAFT:
            kind = "registration"
        elif stored.status == flows.PUBLISHED:
            kind = "change"
            if not summary and proposal is None:
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
    target = (
        codec.proposed(stored.content, proposal.patch, proposal.clear)
        if proposal is not None
        else stored.content
    )
    acts = [a.act_code for a in target.legal_basis]
    record = RegistrationRequest(
        id=request_id,
        kind=kind,
        status=flows.REQUEST_SUBMITTED,
        service=code,
        state_body=stored.content.provider,
        submitted_at=at,
        review_due=review_due,
        service_version=version,
        summary=summary,
        proposal=proposal.patch if proposal is not None else None,
        clear=proposal.clear if proposal is not None else (),
        base=stored.content if proposal is not None else None,
    )
    if open_request is None:
        await requests_repo.create_request(m.tx, record, acts)
        m.changed("RegistrationRequest", request_id, "created", _REQUEST_FIELDS)
    else:
        await requests_repo.update_request(
            m.tx,
            request_id,
            status=flows.REQUEST_SUBMITTED,
            at=at,
            review_due=review_due,
            version=version,
            resubmitted=record,
            acts=acts,
        )
        m.changed(
            "RegistrationRequest",
            request_id,
            "status_changed",
            ("status", "reviewDue", "resubmissions", "reviews", "changes"),
        )
    m.detail(
        request=request_id,
        kind=kind,
        reviewDue=review_due.isoformat(),
        resubmission=open_request is not None,
    )
    return request_id


async def _apply_change(
    platform: Platform,
    m: Mutation,
    request: RegistrationRequest,
    stored: StoredService,
    at: datetime,
) -> None:
    """Write a change request's content to its service, refusing when it went stale."""
    assert request.proposal is not None
    if stored.status not in flows.EDITABLE_STATUSES:
        raise Conflict(
            f"xidmət '{stored.status}' statusundadır, dəyişdirilə bilməz / the service is "
            f"'{stored.status}' and cannot be changed",
            field="requestId",
        )
    if request.base is not None:
        meanwhile = codec.changed_fields(request.base, stored.content)
        if meanwhile:
            raise Conflict(
                "xidmət müraciətdən sonra dəyişib: " + ", ".join(meanwhile) + " / "
                "the service changed after the request was made: " + ", ".join(meanwhile),
                field="requestId",
            )
    content = validation.service(codec.proposed(stored.content, request.proposal, request.clear))
    results = await write_services(
        platform, m, [content], mode="update", initial_status=flows.DRAFT, at=at
    )
    if results[0].changed:
        await requests_repo.link_version(m.tx, request.service, results[0].version, request.id)


async def decide_step(
    m: Mutation,
    request: RegistrationRequest,
    stored: StoredService,
    target: str,
    defects: Sequence[str],
    at: datetime,
    *,
    platform: Platform | None = None,
    defect_fields: Sequence[str] = (),
    reviewer: str = AGENCY_REVIEWER,
) -> None:
    """Register or return a submitted request inside the caller's unit.

    ``reviewer`` is the review deciding: the agency registers (only once every other
    required reviewer approved) or returns; a body responsible for a legal basis may return.
    Registering a change request applies its content (``platform`` required then).
    """
    flows.request_transition(request.status, target)
    fix_due = None
    if target == flows.REQUEST_REGISTERED:
        waiting = [
            v.reviewer
            for v in request.reviews
            if v.reviewer != AGENCY_REVIEWER and v.decision != "approved"
        ]
        if waiting:
            names = ", ".join(waiting)
            raise Conflict(
                f"digər rəylər gözlənilir: {names} / awaiting the reviews of: {names}",
                field="requestId",
            )
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
    elif target == flows.REQUEST_REGISTERED and request.proposal is not None:
        assert platform is not None
        await _apply_change(platform, m, request, stored, at)
    if target == flows.REQUEST_RETURNED:
        fix_due = add_working_days(today_in_baku(at), FIX_DAYS)
    await requests_repo.update_request(
        m.tx,
        request.id,
        status=target,
        at=at,
        defects=defects,
        defect_fields=list(defect_fields) or [""] * len(defects),
        fix_due=fix_due,
        review=(reviewer, "approved" if target == flows.REQUEST_REGISTERED else "returned"),
    )
    fields = ("status", "decidedAt", "reviews") + (("defects", "fixDue") if fix_due else ())
    m.changed("RegistrationRequest", request.id, "status_changed", fields)
    m.detail(request=request.id, defects=list(defects), reviewer=reviewer)


async def request_after(platform: Platform, request_id: str) -> RegistrationRequest:
    """The request as committed: a unit returns only its id, so a repeated client mutation id
    (whose stored result is that JSON string) reads the same request back."""
    request = await requests_repo.request_by_id(platform.db, request_id)
    assert request is not None  # written by the unit that returned its id
    return request


async def submit_service(
    platform: Platform,
    principal: Principal,
    code: str,
    *,
    summary: str = "",
    now: datetime | None = None,
    client_mutation_id: str | None = None,
) -> RegistrationRequest:
    """A body submits its service's reglament (a draft) or a change of a published service."""
    at = current_time(now)
    summary = clean_summary(summary)
    loaded: dict[str, StoredService] = {}

    async def resolve(tx: Tx) -> Resource:
        loaded["stored"] = await load_visible(platform, tx, principal, code, "serviceCode")
        return service_target_resource(loaded["stored"])

    async def work(m: Mutation) -> str:
        return await submit_step(m, loaded["stored"], summary, at)

    request_id = await run_mutation(
        platform, principal, SUBMIT_ACTION, resolve, work, client_mutation_id=client_mutation_id
    )
    return await request_after(platform, request_id)


async def _decide(
    platform: Platform,
    principal: Principal,
    request_id: str,
    target: str,
    *,
    defects: Sequence[str] = (),
    defect_fields: Sequence[str] = (),
    now: datetime | None = None,
    client_mutation_id: str | None = None,
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

    async def work(m: Mutation) -> str:
        await decide_step(
            m,
            loaded["request"],
            loaded["stored"],
            target,
            defects,
            at,
            platform=platform,
            defect_fields=defect_fields,
        )
        return request_id

    # each decision has one action whatever the request's state (REQUEST_TRANSITIONS): the
    # caller is authorised before learning whether the request can still be decided
    action = (
        "registry.service.register"
        if target == flows.REQUEST_REGISTERED
        else "registry.service.return"
    )
    await run_mutation(
        platform, principal, action, resolve, work, client_mutation_id=client_mutation_id
    )
    return await request_after(platform, request_id)


async def register_request(
    platform: Platform,
    principal: Principal,
    request_id: str,
    *,
    now: datetime | None = None,
    client_mutation_id: str | None = None,
) -> RegistrationRequest:
    """The agency registers the submission: a new service is published, or a change applied.

    The agency's decision comes last: it is refused (CONFLICT) while another required reviewer
    has not approved, and a change request whose service changed since it was made is refused
    naming the fields changed meanwhile.
    """
    return await _decide(
        platform,
        principal,
        request_id,
        flows.REQUEST_REGISTERED,
        now=now,
        client_mutation_id=client_mutation_id,
    )


async def return_request(
    platform: Platform,
    principal: Principal,
    request_id: str,
    defects: Sequence[str],
    *,
    field_defects: Sequence[tuple[str, str]] = (),
    now: datetime | None = None,
    client_mutation_id: str | None = None,
) -> RegistrationRequest:
    """The agency returns the submission with its defects; the body has 7 working days.

    ``field_defects`` are (field, text) pairs: defects that point at one field of the content.
    """
    texts, names = clean_defects(defects, field_defects)
    return await _decide(
        platform,
        principal,
        request_id,
        flows.REQUEST_RETURNED,
        defects=texts,
        defect_fields=names,
        now=now,
        client_mutation_id=client_mutation_id,
    )


def clean_defects(
    defects: Sequence[str], field_defects: Sequence[tuple[str, str]]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Defect texts and, parallel to them, the content field each names ("" for none)."""
    checker = validation.Checker()
    texts = [
        checker.text(v, f"defects[{i}]", max_length=validation.TEXT_MAX, multiline=True)
        for i, v in enumerate(defects)
    ]
    names = [""] * len(texts)
    known = {codec.camel(f) for f in SERVICE_FIELDS}
    for i, (name, text) in enumerate(field_defects):
        texts.append(
            checker.text(
                text, f"fieldDefects[{i}].text", max_length=validation.TEXT_MAX, multiline=True
            )
        )
        if name not in known:
            checker.add(
                f"fieldDefects[{i}].field",
                f"xidmətin belə sahəsi yoxdur / the service has no field '{name[:80]}'",
            )
        names.append(name)
    if not texts:
        checker.add("defects", "ən azı bir qüsur göstərilməlidir / list at least one defect")
    checker.done()
    return tuple(texts), tuple(names)
