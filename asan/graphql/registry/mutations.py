"""The registry's root mutation fields: thin resolvers over the catalog's write use cases.

Each calls ``asan.registry.catalog.service`` (one ``run_mutation`` unit: authorise, write,
change events, audit) through ``asan.graphql.mutation.attempt``, the one mapping of errors to
the payload: input problems become ``userErrors``; refusals and outages stay GraphQL errors.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from asan.graphql.mutation import attempt
from asan.graphql.registry.inputs import (
    INPUT,
    AsanCentreInput,
    BusStopInput,
    CategoryInput,
    CreateServiceInput,
    InformationSystemInput,
    LinkInformationSystemsInput,
    MobileBusInput,
    StateBodyInput,
    TransitionServiceInput,
    UpdateServiceInput,
    given_name,
)
from asan.graphql.registry.nodes import (
    AsanCentreNode,
    InformationSystemNode,
    MobileBusNode,
    ServiceNode,
    StateBodyNode,
)
from asan.graphql.registry.objects import BusStop, Category
from asan.graphql.registry.payloads import (
    AsanCentrePayload,
    BusStopPayload,
    CategoryPayload,
    InformationSystemPayload,
    LinkInformationSystemsPayload,
    MobileBusPayload,
    ServicePayload,
    StateBodyPayload,
)
from asan.graphql.registry.renames import renamed_errors
from asan.graphql.request import platform_of as _platform
from asan.graphql.request import principal_of as _principal
from asan.registry.catalog import models as m
from asan.registry.catalog import queries
from asan.registry.catalog import service as catalog


@strawberry.type
class RegistryMutation:
    @strawberry.mutation(description="Register a state body (the registry's administrators).")
    async def create_state_body(
        self, info: Info, input: Annotated[StateBodyInput, INPUT]
    ) -> StateBodyPayload:
        body, errors = await attempt(
            lambda: catalog.create_state_body(_platform(info), _principal(info), input.to_model())
        )
        return StateBodyPayload(
            state_body=StateBodyNode.of(body) if body else None, user_errors=errors
        )

    @strawberry.mutation(description="Change a state body's names, kind or parent.")
    async def update_state_body(
        self, info: Info, input: Annotated[StateBodyInput, INPUT]
    ) -> StateBodyPayload:
        body, errors = await attempt(
            lambda: catalog.update_state_body(_platform(info), _principal(info), input.to_model())
        )
        return StateBodyPayload(
            state_body=StateBodyNode.of(body) if body else None, user_errors=errors
        )

    @strawberry.mutation(description="Register a state information system operated by a body.")
    async def create_information_system(
        self,
        info: Info,
        input: Annotated[InformationSystemInput, INPUT],
    ) -> InformationSystemPayload:
        raw = input.to_model()
        system, errors = await attempt(
            lambda: catalog.create_information_system(_platform(info), _principal(info), raw)
        )
        return InformationSystemPayload(
            information_system=InformationSystemNode.of(system) if system else None,
            user_errors=errors,
        )

    @strawberry.mutation(
        description="Change an information system's names, description or operator."
    )
    async def update_information_system(
        self,
        info: Info,
        input: Annotated[InformationSystemInput, INPUT],
    ) -> InformationSystemPayload:
        raw = input.to_model()
        system, errors = await attempt(
            lambda: catalog.update_information_system(_platform(info), _principal(info), raw)
        )
        return InformationSystemPayload(
            information_system=InformationSystemNode.of(system) if system else None,
            user_errors=errors,
        )

    @strawberry.mutation(description="Declare that consumer systems read data from providers.")
    async def link_information_systems(
        self,
        info: Info,
        input: Annotated[LinkInformationSystemsInput, INPUT],
    ) -> LinkInformationSystemsPayload:
        links = [m.DataLink(x.consumer, x.provider, x.since) for x in input.links]
        done, errors = await attempt(
            lambda: catalog.link_information_systems(_platform(info), _principal(info), links)
        )
        if done is None:
            return LinkInformationSystemsPayload(user_errors=errors)
        codes = sorted({link.consumer for link in done})
        systems = await queries.information_systems_by_codes(_platform(info), codes)
        return LinkInformationSystemsPayload(
            information_systems=[InformationSystemNode.of(systems[c]) for c in codes]
        )

    @strawberry.mutation(
        description="Create a service category or life event (the registry's staff)."
    )
    async def create_service_category(
        self, info: Info, input: Annotated[CategoryInput, INPUT]
    ) -> CategoryPayload:
        raw = m.CategoryInput(
            input.code, input.name_az, input.kind.value, input.name_en, input.name_ru
        )
        category, errors = await attempt(
            lambda: catalog.create_category(_platform(info), _principal(info), raw)
        )
        return CategoryPayload(
            category=Category.of(category) if category else None, user_errors=errors
        )

    @strawberry.mutation(description="Create a service as a draft of its providing body.")
    async def create_service(
        self, info: Info, input: Annotated[CreateServiceInput, INPUT]
    ) -> ServicePayload:
        service, errors = await attempt(
            lambda: catalog.create_service(
                _platform(info),
                _principal(info),
                input.to_model(),
                client_mutation_id=input.client_mutation_id,
            )
        )
        return ServicePayload(
            service=ServiceNode.of(service) if service else None,
            user_errors=renamed_errors(errors, input),
        )

    @strawberry.mutation(description="Change a service's content; recorded as a new version.")
    async def update_service(
        self, info: Info, input: Annotated[UpdateServiceInput, INPUT]
    ) -> ServicePayload:
        service, errors = await attempt(
            lambda: catalog.update_service(
                _platform(info),
                _principal(info),
                input.to_patch(),
                clear_online_url=input.clear_online_url,
                clear_processing_days=input.clear_processing_days,
                client_mutation_id=input.client_mutation_id,
            )
        )
        return ServicePayload(
            service=ServiceNode.of(service) if service else None,
            user_errors=renamed_errors(errors, input),
        )

    @strawberry.mutation(description="Move a service along its lifecycle.")
    async def transition_service(
        self,
        info: Info,
        input: Annotated[TransitionServiceInput, INPUT],
    ) -> ServicePayload:
        service, errors = await attempt(
            lambda: catalog.transition_service(
                _platform(info),
                _principal(info),
                input.code,
                input.status.value,
                note=input.note,
                defects=input.defects,
            )
        )
        return ServicePayload(
            service=ServiceNode.of(service) if service else None, user_errors=errors
        )

    @strawberry.mutation(description="Create an ASAN service centre (the registry's staff).")
    async def create_asan_centre(
        self, info: Info, input: Annotated[AsanCentreInput, INPUT]
    ) -> AsanCentrePayload:
        name = given_name(input.name_az, input.name)
        raw = m.AsanCentreInput(input.code, name, input.region, input.address, input.hours)
        centre, errors = await attempt(
            lambda: catalog.create_asan_centre(_platform(info), _principal(info), raw)
        )
        return AsanCentrePayload(
            asan_centre=AsanCentreNode.of(centre) if centre else None, user_errors=errors
        )

    @strawberry.mutation(description="Create a bus stop, or replace the one with its code.")
    async def upsert_bus_stop(
        self, info: Info, input: Annotated[BusStopInput, INPUT]
    ) -> BusStopPayload:
        return await _upsert_bus_stop(info, input)

    @strawberry.mutation(
        description="Create a bus stop, or replace the one with its code.",
        deprecation_reason="Use upsertBusStop; removed after 2027-06-30",
    )
    async def save_bus_stop(
        self, info: Info, input: Annotated[BusStopInput, INPUT]
    ) -> BusStopPayload:
        return await _upsert_bus_stop(info, input)

    @strawberry.mutation(
        description="Create a mobile bus with its weekly schedule, or replace the one with its "
        "code."
    )
    async def upsert_mobile_bus(
        self, info: Info, input: Annotated[MobileBusInput, INPUT]
    ) -> MobileBusPayload:
        return await _upsert_mobile_bus(info, input)

    @strawberry.mutation(
        description="Create a mobile bus with its weekly schedule, or replace the one with its "
        "code.",
        deprecation_reason="Use upsertMobileBus; removed after 2027-06-30",
    )
    async def save_mobile_bus(
        self, info: Info, input: Annotated[MobileBusInput, INPUT]
    ) -> MobileBusPayload:
        return await _upsert_mobile_bus(info, input)


async def _upsert_bus_stop(info: Info, input: BusStopInput) -> BusStopPayload:
    name = given_name(input.name_az, input.name)
    raw = m.BusStopInput(input.code, name, input.region, input.address)
    stops, errors = await attempt(
        lambda: catalog.save_bus_stops(_platform(info), _principal(info), [raw])
    )
    stop = stops[0] if stops else None
    return BusStopPayload(
        bus_stop=BusStop(
            code=stop.code, name_az=stop.name, region=stop.region, address=stop.address
        )
        if stop
        else None,
        user_errors=errors,
    )


async def _upsert_mobile_bus(info: Info, input: MobileBusInput) -> MobileBusPayload:
    raw = m.MobileBusInput(
        input.code,
        given_name(input.name_az, input.name),
        tuple(m.StopVisit(v.stop, v.weekday, v.starts_at, v.ends_at) for v in input.stops),
    )
    bus, errors = await attempt(
        lambda: catalog.save_mobile_bus(_platform(info), _principal(info), raw)
    )
    return MobileBusPayload(
        mobile_bus=MobileBusNode(code=bus.code, name_az=bus.name) if bus else None,
        user_errors=errors,
    )
