"""Change requests with content, the other reviewers' decisions, and the overdue sweep.

A state body proposes a revision of its published service as data: a partial ``ServicePatch``
(only the fields being changed; a given list replaces the whole list; ``clear`` names optional
fields set to null). It is checked at submission as the service itself would be (the same
validation, references and shared-entry rules), with ``userErrors`` under ``changes.<field>``.
Besides the agency, each body recorded as responsible for one of the service's legal acts
reviews the request (``LegalAct.responsibleBody``); their approvals come before the agency's
registration, and a return by any reviewer returns the request.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import fields, replace
from datetime import datetime
from typing import Any

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import SYSTEM, Principal
from asan.core.db import Tx
from asan.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.registry.catalog import flows, reference, validation
from asan.registry.catalog import repo_common as common_repo
from asan.registry.catalog.common import current_time, unknown
from asan.registry.catalog.models import (
    RegistrationRequest,
    ServicePatch,
    StoredService,
)
from asan.registry.catalog.registration import content as codec
from asan.registry.catalog.registration import repository as requests_repo
from asan.registry.catalog.registration.use_cases import (
    SUBMIT_ACTION,
    Proposal,
    clean_defects,
    clean_summary,
    decide_step,
    request_after,
    service_target_resource,
    submit_step,
)
from asan.registry.catalog.services.use_cases import load_visible
from asan.registry.catalog.workdays import today_in_baku

log = logging.getLogger(__name__)

SWEEP_INTERVAL_SECONDS = 900.0  # deadlines are dates: a quarter of an hour is timely enough
REVIEW_ACTION = "registry.request.review"
SWEEP_ACTION = "registry.request.sweep"
RESPONSIBLE_ACTION = "registry.reference.responsible"

_REFERENCE_LISTS = (("systems", "systems"), ("centres", "centres"), ("buses", "buses"))


def _prefixed(errors: Sequence[FieldError]) -> list[FieldError]:
    return [replace(e, field=f"changes.{e.field}") for e in errors]


async def check_proposal(
    tx: Tx, stored: StoredService, patch: ServicePatch, clear: Sequence[str]
) -> Proposal:
    """The proposal with cleaned values, or ``ValidationFailed`` naming ``changes.<field>``."""
    if patch.provider is not None and patch.provider != stored.content.provider:
        raise ValidationFailed(
            [
                FieldError(
                    "changes.provider",
                    "xidmətin təminatçısı dəyişiklik müraciəti ilə dəyişdirilmir / "
                    "a change request cannot move a service to another body",
                )
            ]
        )
    clear = tuple(dict.fromkeys(clear))
    try:
        content = validation.service(codec.proposed(stored.content, patch, clear))
    except ValidationFailed as exc:
        raise ValidationFailed(_prefixed(exc.errors)) from exc
    missing = await common_repo.missing_references(
        tx,
        common_repo.References(
            bodies=[],
            systems=list(content.systems),
            centres=list(content.centres),
            buses=list(content.buses),
            categories=list(content.categories),
        ),
    )
    errors: list[FieldError] = []
    for attr, key in (*_REFERENCE_LISTS, ("categories", "categories")):
        for i, code in enumerate(getattr(content, attr)):
            if code in missing.get(key, set()):
                errors.append(unknown(f"changes.{attr}[{i}]", code))
    _, shared, _ = await reference.resolve_references(tx, [content], ["changes."])
    errors += shared
    if errors:
        raise ValidationFailed(errors)
    if not codec.changed_fields(stored.content, content):
        raise ValidationFailed(
            [FieldError("changes", "heç nə dəyişmir / the proposal changes nothing")]
        )
    given = {
        f.name: getattr(content, f.name)
        for f in fields(ServicePatch)
        if f.name != "code" and getattr(patch, f.name) is not None
    }
    return Proposal(ServicePatch(code=stored.content.code, **given), clear)


async def submit_change(
    platform: Platform,
    principal: Principal,
    patch: ServicePatch,
    *,
    summary: str = "",
    clear: Sequence[str] = (),
    now: datetime | None = None,
    client_mutation_id: str | None = None,
) -> RegistrationRequest:
    """A body proposes new content for its published service (or fixes a returned request).

    ``clear`` may name ``online_url`` and ``processing_days`` (set to null).
    """
    at = current_time(now)
    summary = clean_summary(summary)
    unknown_clear = [c for c in clear if c not in codec.CLEARABLE]
    if unknown_clear:
        raise ValidationFailed(
            [
                FieldError(
                    "changes",
                    "yalnız onlineUrl və processingDays silinə bilər / "
                    "only onlineUrl and processingDays can be cleared",
                )
            ]
        )
    loaded: dict[str, StoredService] = {}

    async def resolve(tx: Tx) -> Resource:
        loaded["stored"] = await load_visible(platform, tx, principal, patch.code, "changes.code")
        return service_target_resource(loaded["stored"])

    async def work(m: Mutation) -> str:
        stored = loaded["stored"]
        if stored.status != flows.PUBLISHED:
            raise ValidationFailed(
                [
                    FieldError(
                        "changes.code",
                        f"yalnız dərc olunmuş xidmət dəyişdirilə bilər (indi '{stored.status}') /"
                        f" only a published service takes a change request (it is "
                        f"'{stored.status}')",
                        "INVALID_STATE",
                    )
                ]
            )
        proposal = await check_proposal(m.tx, stored, patch, clear)
        return await submit_step(m, stored, summary, at, proposal)

    request_id = await run_mutation(
        platform, principal, SUBMIT_ACTION, resolve, work, client_mutation_id=client_mutation_id
    )
    return await request_after(platform, request_id)


async def review_request(
    platform: Platform,
    principal: Principal,
    request_id: str,
    *,
    approve: bool,
    defects: Sequence[str] = (),
    field_defects: Sequence[tuple[str, str]] = (),
    now: datetime | None = None,
    client_mutation_id: str | None = None,
) -> RegistrationRequest:
    """A body responsible for the service's legal basis approves or returns a request.

    The caller decides the review of their own body; a return returns the whole request (the
    body fixes and resubmits), an approval waits for the agency's registration.
    """
    at = current_time(now)
    texts, names = clean_defects(defects, field_defects) if not approve else ((), ())
    loaded: dict[str, Any] = {}

    async def resolve(tx: Tx) -> Resource:
        request = await requests_repo.request_by_id(tx, request_id)
        if request is None:
            raise NotFound(
                f"müraciət tapılmadı / request not found: {request_id}", field="requestId"
            )
        stored = await load_visible(platform, tx, principal, request.service, "requestId")
        loaded.update(request=request, stored=stored)
        mine = principal.state_body is not None and any(
            v.reviewer == principal.state_body for v in request.reviews
        )
        # the resource is the caller's own review: a body that is not a reviewer is refused
        return Resource(
            "RegistrationRequest", request_id, state_body=principal.state_body if mine else None
        )

    async def work(m: Mutation) -> str:
        request: RegistrationRequest = loaded["request"]
        reviewer = principal.state_body
        assert reviewer is not None
        review = next(v for v in request.reviews if v.reviewer == reviewer)
        if request.status != flows.REQUEST_SUBMITTED:
            flows.request_transition(request.status, flows.REQUEST_RETURNED)  # names options
        if review.decision != "pending":
            raise Conflict(
                f"rəy artıq verilib ({review.decision}) / this review is already decided "
                f"({review.decision})",
                field="requestId",
            )
        if approve:
            await requests_repo.decide_review(
                m.tx, request_id, reviewer, decision="approved", at=at
            )
            m.changed("RegistrationRequest", request_id, "updated", ("reviews",))
            m.detail(request=request_id, reviewer=reviewer, decision="approved")
        else:
            await decide_step(
                m,
                request,
                loaded["stored"],
                flows.REQUEST_RETURNED,
                texts,
                at,
                platform=platform,
                defect_fields=names,
                reviewer=reviewer,
            )
        return request_id

    await run_mutation(
        platform, principal, REVIEW_ACTION, resolve, work, client_mutation_id=client_mutation_id
    )
    return await request_after(platform, request_id)


async def set_responsible_body(
    platform: Platform, principal: Principal, act_code: str, body: str | None
) -> str | None:
    """Record (or clear) the body responsible for a legal act: it reviews services based on it."""
    checker = validation.Checker()
    act_code = checker.text(act_code, "actCode", max_length=validation.CODE_MAX)
    body = checker.optional(body, "stateBody", max_length=validation.CODE_MAX) or None
    checker.done()

    async def resolve(tx: Tx) -> Resource:
        exists, owner = await requests_repo.legal_act_owner(tx, act_code)
        if not exists:
            raise NotFound(
                f"hüquqi akt tapılmadı / legal act not found: {act_code}", field="actCode"
            )
        return Resource("LegalAct", act_code, state_body=owner)

    async def work(m: Mutation) -> str | None:
        if body is not None and not await requests_repo.body_exists(m.tx, body):
            raise ValidationFailed([unknown("stateBody", body)])
        await requests_repo.set_responsible_body(m.tx, act_code, body)
        m.changed("LegalAct", act_code, "updated", ("responsibleBody",))
        m.detail(responsibleBody=body)
        return body

    return await run_mutation(platform, principal, RESPONSIBLE_ACTION, resolve, work)


async def sweep_overdue(
    platform: Platform, *, now: datetime | None = None
) -> dict[str, tuple[str, ...]]:
    """Mark reviews and fix deadlines that passed overdue, once each, as the system.

    Nothing is written when nothing is late (a periodic sweep leaves no audit noise); each
    request that became overdue gets one change event (``updated``, field ``overdue``), so a
    body's system reading the feed can notify people. Returns ``{request id: what is late}``
    (reviewer codes, ``agency``, or ``fix`` for a returned request's fix deadline).
    """
    at = current_time(now)
    today = today_in_baku(at)
    if not await requests_repo.overdue_candidates(platform.db, today):
        return {}

    async def work(m: Mutation) -> dict[str, tuple[str, ...]]:
        await requests_repo.lock_sweep(m.tx, at)
        marked = await requests_repo.mark_overdue(m.tx, today)
        for request_id in sorted(marked):
            m.changed("RegistrationRequest", request_id, "updated", ("overdue",))
        m.detail(overdue={k: list(v) for k, v in sorted(marked.items())[:50]})
        return marked

    return await run_mutation(
        platform, SYSTEM, SWEEP_ACTION, Resource("RegistrationRequest", "overdue"), work
    )


async def run_overdue_sweeps(
    platform: Platform, stop: asyncio.Event, interval: float = SWEEP_INTERVAL_SECONDS
) -> None:
    """The API process's periodic sweep (the app's lifespan task) until ``stop`` is set.

    Each process runs one; concurrent sweeps serialise on a lock node and mark each late
    review once, so running it in every worker is harmless. A failed sweep (Neo4j down) is
    logged and tried again at the next interval.
    """
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except TimeoutError:
            try:
                await sweep_overdue(platform)
            except Exception:  # the loop outlives one failed sweep
                log.exception("overdue sweep failed")
