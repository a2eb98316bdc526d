"""Information systems and the data-exchange links between them.

Each call is one ``run_mutation`` unit. Change events: ``InformationSystem`` created/updated
with the API fields that changed; a new data-exchange link is reported on both ends as an
update of the system's link list (``consumesDataFrom`` on the consumer, ``dataConsumers`` on
the provider), so a follower re-reads exactly the systems whose graph neighbourhood changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.db import Tx
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
from asan.registry.catalog.systems import records_repository as records_repo
from asan.registry.catalog.systems import repository as systems_repo

MAX_LINKS = 500  # data-exchange links declared by one call
WRITE_ACTION = "registry.information_system.write"
LINK_ACTION = "registry.information_system.link"

_SYSTEM_FIELDS = (
    ("nameAz", "name_az"),
    ("nameEn", "name_en"),
    ("nameRu", "name_ru"),
    ("description", "description"),
    ("operator", "operator"),
)
# the register entry's parts, as the API names them (``InformationSystem.record``)
_RECORD_FIELDS = (
    ("lifecycle", "lifecycle"),
    ("securityClass", "security_class"),
    ("dataObjects", "data_objects"),
    ("contactPoint", "contact_point"),
    ("xroad", "xroad"),
)

# -------------------------------------------------------------------------- information systems


async def save_information_system(
    platform: Platform, principal: Principal, raw: InformationSystemInput, *, create: bool
) -> InformationSystem:
    system = validation.information_system(raw)
    loaded: dict[str, InformationSystem | None] = {}

    async def resolve(tx: Tx) -> Resource:
        # Systems and bodies are public: an unknown operator, a taken or an unknown code is
        # said before the policy decides on the operator (docs/errors.md, "Which answer comes
        # first"), so a refusal does not hide that the input names nothing.
        existing = await systems_repo.information_systems_by_codes(tx, [system.code])
        current = loaded["current"] = existing.get(system.code)
        errors: list[FieldError] = []
        if create and current is not None:
            errors.append(duplicate("code", system.code))
        if not create and current is None:
            errors.append(unknown("code", system.code))
        if await common_repo.missing_references(
            tx, common_repo.References(bodies=[system.operator])
        ):
            errors.append(unknown("operator", system.operator))
        if errors:
            raise ValidationFailed(errors)
        return Resource("InformationSystem", system.code, state_body=system.operator)

    async def work(m: Mutation) -> InformationSystem:
        current = loaded["current"]
        if current is not None and not create and current.operator != system.operator:
            # moving a system to another body needs the right to edit the current body's too
            await authorize(
                platform,
                principal,
                WRITE_ACTION,
                Resource("InformationSystem", system.code, state_body=current.operator),
            )
        if create and not await common_repo.reserve_code(m.tx, "InformationSystem", system.code):
            raise ValidationFailed([duplicate("code", system.code)])
        await systems_repo.upsert_information_systems(m.tx, [system])
        await records_repo.save_records(m.tx, [system])
        saved = InformationSystem(
            system.code,
            system.name_az,
            system.name_en,
            system.name_ru,
            system.description,
            system.operator,
            system.record,
        )
        changed = [
            api
            for api, attr in _SYSTEM_FIELDS
            if current is None or getattr(current, attr) != getattr(saved, attr)
        ] + [
            api
            for api, attr in _RECORD_FIELDS
            if current is None or getattr(current.record, attr) != getattr(saved.record, attr)
        ]
        if current is None:
            m.changed("InformationSystem", system.code, "created", ("code", *changed))
        elif changed:
            m.changed("InformationSystem", system.code, "updated", changed)
        return saved

    return await run_mutation(
        platform, principal, WRITE_ACTION, resolve, work, details={"create": create}
    )


async def create_information_system(
    platform: Platform, principal: Principal, raw: InformationSystemInput
) -> InformationSystem:
    return await save_information_system(platform, principal, raw, create=True)


async def update_information_system(
    platform: Platform, principal: Principal, raw: InformationSystemInput
) -> InformationSystem:
    return await save_information_system(platform, principal, raw, create=False)


def _validated_links(raw_links: Sequence[DataLink]) -> list[DataLink]:
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
    return links


async def link_information_systems(
    platform: Platform, principal: Principal, raw_links: Sequence[DataLink]
) -> list[DataLink]:
    """Declare data-exchange links; the operator of each consuming system declares them.

    The caller is authorised for the action (the pipeline's check, on the caller's own body)
    before the input is looked at (an empty or malformed list tells a stranger nothing), then
    for each consuming system's operator inside the same unit.
    """

    async def work(m: Mutation) -> list[DataLink]:
        links = _validated_links(raw_links)
        codes = sorted({c for link in links for c in (link.consumer, link.provider)})
        systems = await systems_repo.information_systems_by_codes(m.tx, codes)
        errors: list[FieldError] = []
        for i, link in enumerate(links):
            prefix = f"links[{i}]." if len(links) > 1 else ""
            for field, code in (("consumer", link.consumer), ("provider", link.provider)):
                if code not in systems:
                    errors.append(unknown(prefix + field, code))
        if errors:
            raise ValidationFailed(errors)
        for consumer in sorted({link.consumer for link in links}):
            await authorize(
                platform,
                principal,
                LINK_ACTION,
                Resource("InformationSystem", consumer, state_body=systems[consumer].operator),
            )
        before = await systems_repo.data_links(m.tx, sorted({lk.consumer for lk in links}))
        await systems_repo.link_information_systems(m.tx, links)
        new = sorted(
            {
                (link.consumer, link.provider)
                for link in links
                if link.provider not in before.get(link.consumer, ([], []))[0]
            }
        )
        for consumer in sorted({c for c, _ in new}):
            m.changed("InformationSystem", consumer, "updated", ("consumesDataFrom",))
        for provider in sorted({p for _, p in new}):
            m.changed("InformationSystem", provider, "updated", ("dataConsumers",))
        m.detail(links=[[link.consumer, link.provider] for link in links])
        return links

    return await run_mutation(
        platform,
        principal,
        LINK_ACTION,
        Resource("InformationSystem", state_body=principal.state_body),
        work,
    )
