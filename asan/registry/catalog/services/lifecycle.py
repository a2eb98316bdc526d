"""A service's status steps in one unit; review steps go through the registration procedure.

The step to take depends on the status read in the transaction (publishing is "register" from
under review, "resume" from suspended), so the action is computed from the resolved resource
(``run_mutation`` accepts an action callable) and the check, the step, the change events,
the audit event and the read-back share one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import NotFound
from asan.core.platform import Platform
from asan.registry.catalog import flows, validation
from asan.registry.catalog.common import current_time
from asan.registry.catalog.models import Service, StoredService
from asan.registry.catalog.registration import repository as requests_repo
from asan.registry.catalog.registration.use_cases import (
    clean_summary,
    decide_step,
    service_target_resource,
    submit_step,
)
from asan.registry.catalog.services import repository as services_repo
from asan.registry.catalog.services.use_cases import load_visible, read_back


def _clean_note(note: str | None) -> str | None:
    checker = validation.Checker()
    text = checker.optional(note, "note", max_length=validation.TEXT_MAX)
    checker.done()
    return text


async def transition_service(
    platform: Platform,
    principal: Principal,
    code: str,
    target: str,
    *,
    note: str | None = None,
    defects: Sequence[str] = (),
    now: datetime | None = None,
) -> Service:
    """Move a service along its lifecycle; review steps go through the registration procedure.

    draft -> under_review submits a registration request, under_review -> published registers
    it, under_review -> draft returns it (``defects`` required); the others (suspend, resume,
    withdraw) are plain status changes by the registry.
    """
    at = current_time(now)
    loaded: dict[str, StoredService] = {}

    async def resolve(tx: Tx) -> Resource:
        # hidden drafts answer NOT_FOUND (the read refusal audited) before anything else
        loaded["stored"] = await load_visible(platform, tx, principal, code)
        return service_target_resource(loaded["stored"])

    def action(resource: Resource) -> str:
        assert resource.status is not None
        return flows.service_transition(resource.status, target, field="status")

    async def work(m: Mutation) -> Service:
        stored = loaded["stored"]
        step = m.action
        if step == "registry.service.submit":
            await submit_step(m, stored, clean_summary(note or ""), at)
        elif step in ("registry.service.register", "registry.service.return"):
            request = await requests_repo.open_request_for_service(m.tx, code)
            if request is None:
                raise NotFound("açıq müraciət yoxdur / no open registration request", field="code")
            request_target = (
                flows.REQUEST_REGISTERED
                if step == "registry.service.register"
                else flows.REQUEST_RETURNED
            )
            cleaned: Sequence[str] = (
                validation.defects(defects) if request_target == flows.REQUEST_RETURNED else ()
            )
            await decide_step(m, request, stored, request_target, cleaned, at)
        else:
            text = _clean_note(note)
            await services_repo.set_service_status(
                m.tx,
                code,
                status_from=stored.status,
                status_to=target,
                version=stored.version + 1,
                actor=principal.subject,
                at=at,
                note=text,
            )
            m.changed("Service", code, "status_changed", ("status", "version"))
            details: dict[str, Any] = {"from": stored.status, "to": target}
            m.detail(**details)
        return await read_back(m.tx, code)

    return await run_mutation(platform, principal, action, resolve, work)
