"""ASAN centres, bus stops and mobile buses with their weekly schedules."""

from __future__ import annotations

from collections.abc import Sequence

from asan.auth import audit
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


async def create_asan_centre(
    platform: Platform, principal: Principal, raw: AsanCentreInput
) -> AsanCentre:
    centre = validation.asan_centre(raw)
    resource = Resource("AsanCentre", centre.code)
    await authorize(platform, principal, "registry.centre.write", resource)
    async with platform.unit_of_work() as uow:
        if not await common_repo.reserve_code(uow.tx, "AsanCentre", centre.code):
            raise ValidationFailed([duplicate("code", centre.code)])
        await places_repo.upsert_asan_centres(uow.tx, [centre])
        await audit.record(uow.tx, principal, "registry.centre.write", resource)
    return centre


async def save_bus_stops(
    platform: Platform, principal: Principal, raw: Sequence[BusStopInput]
) -> list[BusStop]:
    await authorize(platform, principal, "registry.bus.write", Resource("BusStop"))
    if not raw:
        raise ValidationFailed(
            [FieldError("stops", "ən azı bir dayanacaq lazımdır / list at least one stop")]
        )
    stops = [validation.bus_stop(s) for s in raw]
    resource = Resource("BusStop", ",".join(s.code for s in stops))
    async with platform.unit_of_work() as uow:
        await places_repo.upsert_bus_stops(uow.tx, stops)
        await audit.record(uow.tx, principal, "registry.bus.write", resource)
    return stops


async def save_mobile_bus(
    platform: Platform, principal: Principal, raw: MobileBusInput
) -> MobileBusInput:
    """Create or update a bus with its whole weekly stop schedule."""
    bus = validation.mobile_bus(raw)
    resource = Resource("MobileBus", bus.code)
    await authorize(platform, principal, "registry.bus.write", resource)
    async with platform.unit_of_work() as uow:
        missing = await common_repo.missing_references(
            uow.tx, common_repo.References(stops=[v.stop for v in bus.stops])
        )
        if missing:
            raise ValidationFailed(
                [
                    unknown(f"stops[{i}].stop", v.stop)
                    for i, v in enumerate(bus.stops)
                    if v.stop in missing.get("stops", set())
                ]
            )
        await places_repo.upsert_mobile_buses(uow.tx, [bus])
        await audit.record(uow.tx, principal, "registry.bus.write", resource)
    return bus
