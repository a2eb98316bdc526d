"""A service's status steps; review steps go through the registration procedure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from asan.auth import audit
from asan.auth.principal import Principal
from asan.core.errors import NotFound
from asan.core.platform import Platform
from asan.registry.catalog import flows, validation
from asan.registry.catalog.common import authorize, current_time
from asan.registry.catalog.models import (
    Service,
)
from asan.registry.catalog.registration import repository as requests_repo
from asan.registry.catalog.registration.use_cases import (
    register_request,
    return_request,
    submit_service,
)
from asan.registry.catalog.services import repository as services_repo
from asan.registry.catalog.services.use_cases import load_visible, read_back, service_resource


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
    async with platform.unit_of_work() as uow:
        stored = await load_visible(platform, uow.tx, principal, code)
    action = flows.service_transition(stored.status, target)
    if action == "registry.service.submit":
        await submit_service(platform, principal, code, summary=note or "", now=at)
    elif action in ("registry.service.register", "registry.service.return"):
        async with platform.unit_of_work() as uow:
            request = await requests_repo.open_request_for_service(uow.tx, code)
        if request is None:
            raise NotFound("açıq müraciət yoxdur / no open registration request", field="code")
        if action == "registry.service.register":
            await register_request(platform, principal, request.id, now=at)
        else:
            await return_request(platform, principal, request.id, defects, now=at)
    else:
        resource = service_resource(code, stored.content.provider, stored.status)
        await authorize(platform, principal, action, replace(resource, hidden_if_denied=False))
        clean_note = validation.Checker()
        text = clean_note.optional(note, "note", max_length=validation.TEXT_MAX)
        clean_note.done()
        async with platform.unit_of_work() as uow:
            current = await load_visible(platform, uow.tx, principal, code)
            flows.service_transition(current.status, target)  # re-check inside the transaction
            await services_repo.set_service_status(
                uow.tx,
                code,
                status_from=current.status,
                status_to=target,
                version=current.version + 1,
                actor=principal.subject,
                at=at,
                note=text,
            )
            await audit.record(
                uow.tx,
                principal,
                action,
                resource,
                details={"from": current.status, "to": target},
            )
    async with platform.unit_of_work() as uow:
        return await read_back(uow.tx, code)
