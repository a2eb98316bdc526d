"""State bodies: create and update (parent must exist and must not close a cycle)."""

from __future__ import annotations

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.errors import FieldError, ValidationFailed
from asan.core.platform import Platform
from asan.registry.catalog import repo_common as common_repo
from asan.registry.catalog import validation
from asan.registry.catalog.bodies import repository as bodies_repo
from asan.registry.catalog.common import duplicate, unknown
from asan.registry.catalog.models import (
    StateBody,
    StateBodyInput,
)

# --------------------------------------------------------------------------------- state bodies


_BODY_FIELDS = (
    ("nameAz", "name_az"),
    ("nameEn", "name_en"),
    ("nameRu", "name_ru"),
    ("kind", "kind"),
    ("parent", "parent"),
    ("contactPoint", "contact_point"),
)


async def save_state_body(
    platform: Platform, principal: Principal, raw: StateBodyInput, *, create: bool
) -> StateBody:
    """One audited unit (``run_mutation``): checks, the write and its change event together."""
    body = validation.state_body(raw)
    action = "registry.state_body.create" if create else "registry.state_body.update"
    resource = Resource("StateBody", body.code, state_body=body.code)

    async def work(m: Mutation) -> StateBody:
        existing = await bodies_repo.state_bodies_by_codes(m.tx, [body.code])
        errors: list[FieldError] = []
        if create and existing:
            errors.append(duplicate("code", body.code))
        if not create and not existing:
            errors.append(unknown("code", body.code))
        if body.parent is not None:
            missing = await common_repo.missing_references(
                m.tx, common_repo.References(bodies=[body.parent])
            )
            if missing:
                errors.append(unknown("parent", body.parent))
            elif await bodies_repo.would_cycle(m.tx, body.code, body.parent):
                errors.append(
                    FieldError("parent", "tabelik dövrə yaradır / would create a cycle", "CYCLE")
                )
        if errors:
            raise ValidationFailed(errors)
        if create and not await common_repo.reserve_code(m.tx, "StateBody", body.code):
            raise ValidationFailed([duplicate("code", body.code)])
        await bodies_repo.upsert_state_bodies(m.tx, [body])
        saved = StateBody(
            body.code,
            body.name_az,
            body.name_en,
            body.name_ru,
            body.kind,
            body.parent,
            body.contact_point,
        )
        old = existing.get(body.code)
        changed = [
            api
            for api, attr in _BODY_FIELDS
            if old is None or getattr(old, attr) != getattr(saved, attr)
        ]
        if old is None or changed:
            m.changed("StateBody", body.code, "created" if old is None else "updated", changed)
        return saved

    return await run_mutation(
        platform, principal, action, resource, work, details={"nameAz": body.name_az}
    )


async def create_state_body(
    platform: Platform, principal: Principal, raw: StateBodyInput
) -> StateBody:
    return await save_state_body(platform, principal, raw, create=True)


async def update_state_body(
    platform: Platform, principal: Principal, raw: StateBodyInput
) -> StateBody:
    return await save_state_body(platform, principal, raw, create=False)
