"""ASAN centres, bus stops and mobile buses with their weekly schedules."""

from __future__ import annotations

from collections.abc import Sequence

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.errors import FieldError, ValidationFailed
from asan.core.platform import Platform
from asan.registry.catalog import repo_common as common_repo
from asan.registry.catalog import validation
from asan.registry.catalog.common import authorize, duplicate, unknown
from asan.registry.catalog.models import (
    AsanCentre,
    AsanCentreInput,
    BusStop,
    BusStopInput,
    MobileBusInput,
)
from asan.registry.catalog.places import repository as places_repo

_CENTRE_FIELDS = ("code", "name", "region", "address", "hours")


async def create_asan_centre(
    platform: Platform, principal: Principal, raw: AsanCentreInput
) -> AsanCentre:
    centre = validation.asan_centre(raw)

    async def work(m: Mutation) -> AsanCentre:
        if not await common_repo.reserve_code(m.tx, "AsanCentre", centre.code):
            raise ValidationFailed([duplicate("code", centre.code)])
        await places_repo.upsert_asan_centres(m.tx, [centre])
        m.changed("AsanCentre", centre.code, "created", _CENTRE_FIELDS)
        return centre

    return await run_mutation(
        platform, principal, "registry.centre.write", Resource("AsanCentre", centre.code), work
    )


async def save_bus_stops(
    platform: Platform, principal: Principal, raw: Sequence[BusStopInput]
) -> list[BusStop]:
    # authorised before the input is looked at: an empty list tells a stranger nothing
    await authorize(platform, principal, "registry.bus.write", Resource("BusStop"))
    if not raw:
        raise ValidationFailed(
            [FieldError("stops", "ən azı bir dayanacaq lazımdır / list at least one stop")]
        )
    stops = [validation.bus_stop(s) for s in raw]

    async def work(m: Mutation) -> list[BusStop]:
        new = await common_repo.missing_references(
            m.tx, common_repo.References(stops=[s.code for s in stops])
        )
        await places_repo.upsert_bus_stops(m.tx, stops)
        for stop in stops:
            created = stop.code in new.get("stops", set())
            m.changed(
                "BusStop",
                stop.code,
                "created" if created else "updated",
                ("code", "name", "region", "address") if created else ("name", "region", "address"),
            )
        return stops

    resource = Resource("BusStop", ",".join(s.code for s in stops))
    return await run_mutation(platform, principal, "registry.bus.write", resource, work)


async def save_mobile_bus(
    platform: Platform, principal: Principal, raw: MobileBusInput
) -> MobileBusInput:
    """Create or update a bus with its whole weekly stop schedule."""
    bus = validation.mobile_bus(raw)

    async def work(m: Mutation) -> MobileBusInput:
        missing = await common_repo.missing_references(
            m.tx,
            common_repo.References(stops=[v.stop for v in bus.stops], buses=[bus.code]),
        )
        if missing.get("stops"):
            raise ValidationFailed(
                [
                    unknown(f"stops[{i}].stop", v.stop)
                    for i, v in enumerate(bus.stops)
                    if v.stop in missing.get("stops", set())
                ]
            )
        await places_repo.upsert_mobile_buses(m.tx, [bus])
        created = bus.code in missing.get("buses", set())
        m.changed(
            "MobileBus",
            bus.code,
            "created" if created else "updated",
            ("code", "name", "stops") if created else ("name", "stops"),
        )
        return bus

    return await run_mutation(
        platform, principal, "registry.bus.write", Resource("MobileBus", bus.code), work
    )
