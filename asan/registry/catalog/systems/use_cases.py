"""Information systems and the data-exchange links between them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from asan.auth import audit
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.errors import FieldError, ValidationFailed
from asan.core.platform import Platform
from asan.registry.catalog import repo_common as common_repo
from asan.registry.catalog import validation
from asan.registry.catalog.common import authorize, duplicate, unknown
from asan.registry.catalog.models import (
    DataLink,
    InformationSystem,
    InformationSystemInput,
)
from asan.registry.catalog.systems import repository as systems_repo

MAX_LINKS = 500  # data-exchange links declared by one call

# -------------------------------------------------------------------------- information systems


async def save_information_system(
    platform: Platform, principal: Principal, raw: InformationSystemInput, *, create: bool
) -> InformationSystem:
    system = validation.information_system(raw)
    action = "registry.information_system.write"
    resource = Resource("InformationSystem", system.code, state_body=system.operator)
    async with platform.unit_of_work() as uow:
        existing = await systems_repo.information_systems_by_codes(uow.tx, [system.code])
        current = existing.get(system.code)
        if current is not None and not create:
            # moving a system to another body needs the right to edit the current body's too
            await authorize(
                platform,
                principal,
                action,
                Resource("InformationSystem", system.code, state_body=current.operator),
            )
        await authorize(platform, principal, action, resource)
        errors: list[FieldError] = []
        if create and current is not None:
            errors.append(duplicate("code", system.code))
        if not create and current is None:
            errors.append(unknown("code", system.code))
        if await common_repo.missing_references(
            uow.tx, common_repo.References(bodies=[system.operator])
        ):
            errors.append(unknown("operator", system.operator))
        if errors:
            raise ValidationFailed(errors)
        if create and not await common_repo.reserve_code(uow.tx, "InformationSystem", system.code):
            raise ValidationFailed([duplicate("code", system.code)])
        await systems_repo.upsert_information_systems(uow.tx, [system])
        await audit.record(uow.tx, principal, action, resource, details={"create": create})
    return InformationSystem(
        system.code,
        system.name_az,
        system.name_en,
        system.name_ru,
        system.description,
        system.operator,
    )


async def create_information_system(
    platform: Platform, principal: Principal, raw: InformationSystemInput
) -> InformationSystem:
    return await save_information_system(platform, principal, raw, create=True)


async def update_information_system(
    platform: Platform, principal: Principal, raw: InformationSystemInput
) -> InformationSystem:
    return await save_information_system(platform, principal, raw, create=False)


async def link_information_systems(
    platform: Platform, principal: Principal, raw_links: Sequence[DataLink]
) -> list[DataLink]:
    """Declare data-exchange links; the operator of each consuming system declares them.

    The caller is authorised for the action before the input is looked at (an empty or
    malformed list tells a stranger nothing), then for each consuming system's operator.
    """
    action = "registry.information_system.link"
    await authorize(
        platform,
        principal,
        action,
        Resource("InformationSystem", state_body=principal.state_body),
    )
    if not raw_links:
        raise ValidationFailed(
            [FieldError("links", "ən azı bir əlaqə lazımdır / list at least one link")]
        )
    if len(raw_links) > MAX_LINKS:
        raise ValidationFailed(
            [
                FieldError(
                    "links",
                    f"{MAX_LINKS} əlaqədən çoxdur / more than {MAX_LINKS} links at once",
                )
            ]
        )
    errors: list[FieldError] = []
    links: list[DataLink] = []
    for i, raw in enumerate(raw_links):
        try:
            links.append(validation.data_link(raw))
        except ValidationFailed as exc:
            prefix = f"links[{i}]." if len(raw_links) > 1 else ""
            errors += [replace(e, field=prefix + e.field) for e in exc.errors]
    if errors:
        raise ValidationFailed(errors)
    async with platform.unit_of_work() as uow:
        systems = await systems_repo.information_systems_by_codes(
            uow.tx, sorted({c for link in links for c in (link.consumer, link.provider)})
        )
        for i, link in enumerate(links):
            prefix = f"links[{i}]." if len(links) > 1 else ""
            for field, code in (("consumer", link.consumer), ("provider", link.provider)):
                if code not in systems:
                    errors.append(unknown(prefix + field, code))
        if errors:
            raise ValidationFailed(errors)
        for link in links:
            await authorize(
                platform,
                principal,
                action,
                Resource(
                    "InformationSystem", link.consumer, state_body=systems[link.consumer].operator
                ),
            )
        await systems_repo.link_information_systems(uow.tx, links)
        await audit.record(
            uow.tx,
            principal,
            action,
            Resource("InformationSystem", links[0].consumer),
            details={"links": [[link.consumer, link.provider] for link in links]},
        )
    return links
