"""Categories, and batches of reference data (bulk import, the sample registry)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.errors import FieldError, ValidationFailed
from asan.core.platform import Platform
from asan.registry.catalog import reference, reference_repo, validation
from asan.registry.catalog import repo_common as common_repo
from asan.registry.catalog.bodies import repository as bodies_repo
from asan.registry.catalog.common import current_time, duplicate, unknown
from asan.registry.catalog.models import (
    CategoryInput,
    ReferenceBatch,
)
from asan.registry.catalog.places import repository as places_repo
from asan.registry.catalog.reference_data import repository as categories_repo
from asan.registry.catalog.systems import repository as systems_repo

T = TypeVar("T")

# --------------------------------------------------------------------------- reference data


async def create_category(
    platform: Platform, principal: Principal, raw: CategoryInput
) -> CategoryInput:
    category = validation.category(raw)
    resource = Resource("Category", category.code)

    async def work(m: Mutation) -> CategoryInput:
        if not await common_repo.reserve_code(m.tx, "Category", category.code):
            raise ValidationFailed([duplicate("code", category.code)])
        await categories_repo.upsert_categories(m.tx, [category])
        names = {"nameAz": category.name_az, "nameEn": category.name_en, "nameRu": category.name_ru}
        await reference.record_created(
            m.tx,
            {"CATEGORY": {category.code: names}},
            actor=principal.subject,
            at=current_time(None),
        )
        m.changed("Category", category.code, "created", ("code", "kind", *names))
        return category

    return await run_mutation(platform, principal, "registry.category.write", resource, work)


# ------------------------------------------------------------------------- batch reference data


def _validate_all(
    items: Sequence[T], check: Callable[[T], T], prefix: str, errors: list[FieldError]
) -> list[T]:
    out: list[T] = []
    for i, item in enumerate(items):
        try:
            out.append(check(item))
        except ValidationFailed as exc:
            errors += [replace(e, field=f"{prefix}[{i}].{e.field}") for e in exc.errors]
    return out


async def upsert_reference_data(
    platform: Platform, principal: Principal, batch: ReferenceBatch
) -> dict[str, int]:
    """Create or update bodies, systems, links, categories, centres, stops and buses at once.

    For bulk import and the sample registry: all or nothing, one audit event. References may
    point into the same batch (a body's parent, a system's operator, a bus's stops).
    Administrators only (every action's rule is administrator-or-narrower).
    """
    errors: list[FieldError] = []
    bodies = _validate_all(batch.bodies, validation.state_body, "bodies", errors)
    systems = _validate_all(batch.systems, validation.information_system, "systems", errors)
    links = _validate_all(batch.links, validation.data_link, "links", errors)
    categories = _validate_all(batch.categories, validation.category, "categories", errors)
    centres = _validate_all(batch.centres, validation.asan_centre, "centres", errors)
    stops = _validate_all(batch.stops, validation.bus_stop, "stops", errors)
    buses = _validate_all(batch.buses, validation.mobile_bus, "buses", errors)
    if errors:
        raise ValidationFailed(errors)
    resource = Resource("ReferenceData", "batch")

    async def work(m: Mutation) -> dict[str, int]:
        new_bodies = {b.code for b in bodies}
        new_systems = {s.code for s in systems}
        new_stops = {s.code for s in stops}
        missing = await common_repo.missing_references(
            m.tx,
            common_repo.References(
                bodies=[b.parent for b in bodies if b.parent and b.parent not in new_bodies]
                + [s.operator for s in systems if s.operator not in new_bodies],
                systems=[
                    c
                    for link in links
                    for c in (link.consumer, link.provider)
                    if c not in new_systems
                ],
                stops=[v.stop for bus in buses for v in bus.stops if v.stop not in new_stops],
            ),
        )
        if missing:
            not_found = [
                unknown(kind, code) for kind, codes in sorted(missing.items()) for code in codes
            ]
            raise ValidationFailed(not_found)
        known = await common_repo.missing_references(
            m.tx,
            common_repo.References(
                bodies=sorted(new_bodies),
                systems=sorted(new_systems),
                centres=[c.code for c in centres],
                stops=sorted(new_stops),
                buses=[b.code for b in buses],
            ),
        )
        await bodies_repo.upsert_state_bodies(m.tx, bodies)
        await systems_repo.upsert_information_systems(m.tx, systems)
        await systems_repo.link_information_systems(m.tx, links)
        await write_categories(m, categories)
        await places_repo.upsert_asan_centres(m.tx, centres)
        await places_repo.upsert_bus_stops(m.tx, stops)
        await places_repo.upsert_mobile_buses(m.tx, buses)
        # a batch re-states whole entries: each is reported as created or (possibly) updated
        for kind, key, codes in (
            ("StateBody", "bodies", [b.code for b in bodies]),
            ("InformationSystem", "systems", [s.code for s in systems]),
            ("AsanCentre", "centres", [c.code for c in centres]),
            ("BusStop", "stops", [s.code for s in stops]),
            ("MobileBus", "buses", [b.code for b in buses]),
        ):
            for code in codes:
                created = code in known.get(key, set())
                m.changed(kind, code, "created" if created else "updated")
        for consumer in sorted({link.consumer for link in links}):
            m.changed("InformationSystem", consumer, "updated", ("consumesDataFrom",))
        counts = {
            "bodies": len(bodies),
            "systems": len(systems),
            "links": len(links),
            "categories": len(categories),
            "centres": len(centres),
            "stops": len(stops),
            "buses": len(buses),
        }
        m.detail(**counts)
        return counts

    return await run_mutation(platform, principal, "registry.reference.import", resource, work)


async def write_categories(
    m: Mutation, categories: Sequence[CategoryInput], *, now: datetime | None = None
) -> None:
    """Batch categories: new ones created, renamed ones versioned like any shared entry."""
    at = current_time(now)
    tx, principal = m.tx, m.principal
    known = await categories_repo.categories_by_codes(tx, [c.code for c in categories])
    await categories_repo.upsert_categories(tx, categories)
    renamed: dict[str, dict[str, dict[str, str]]] = {}
    for c in categories:
        values = {"nameAz": c.name_az, "nameEn": c.name_en, "nameRu": c.name_ru}
        old = known.get(c.code)
        if old is None:
            await reference.record_created(
                tx, {"CATEGORY": {c.code: values}}, actor=principal.subject, at=at
            )
            m.changed("Category", c.code, "created", ("code", "kind", *values))
            continue
        before = {"nameAz": old.name_az, "nameEn": old.name_en, "nameRu": old.name_ru}
        diff = {k: {"from": before[k], "to": v} for k, v in values.items() if before[k] != v}
        if diff:
            renamed[c.code] = diff
    if renamed:
        entries = await reference_repo.entries(tx, "CATEGORY", sorted(renamed))
        for code, diff in renamed.items():
            # the upsert has set the values; this records them as the entry's next version
            values = {k: str(change["to"]) for k, change in diff.items()}
            await reference_repo.update(
                tx, entries[code], values, diff, actor=principal.subject, at=at
            )
            m.changed("Category", code, "updated", (*diff, "version"))
