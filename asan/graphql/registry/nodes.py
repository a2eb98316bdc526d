"""The registry's relay Node types and their field resolvers.

State bodies, information systems, services, ASAN centres and mobile buses refer to one another,
so they live in one module; each field resolver reads through the request's DataLoaders
(``loaders.py``) and the catalog's read use cases, which apply what the caller may see.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, cast

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from asan.core.text import az_sort_key
from asan.graphql.paging import page_of
from asan.graphql.registry.enums import ChannelCode, PathStepKind, ServiceStatus, StateBodyKind
from asan.graphql.registry.loaders import (
    bodies_loader,
    keyed_loader,
    load_many,
    requirements_loader,
    services_by_body_loader,
    services_loader,
    settled,
    systems_loader,
)
from asan.graphql.registry.objects import (
    NAME_AZ,
    NAME_EN,
    NAME_RU,
    USE_NAME_AZ,
    BodyCoverage,
    BusStop,
    BusStopVisit,
    Category,
    LegalBasis,
    OutputDocument,
    PathStep,
    RequiredDocument,
    ServiceVersion,
    version_changes,
)
from asan.graphql.registry.records import ContactPoint, InformationSystemRecord
from asan.graphql.relay import After, Before, Connection, First, Last
from asan.graphql.request import page as _page
from asan.graphql.request import platform_of as _platform
from asan.graphql.request import principal_of as _principal
from asan.registry.catalog import models as m
from asan.registry.catalog import queries
from asan.registry.catalog import service as catalog

if TYPE_CHECKING:
    from asan.graphql.registry.registration import RegistrationRequestNode


@strawberry.type(name="StateBody", description="A state body that provides services.")
class StateBodyNode(relay.Node):
    _id_attr = "code"
    code: str = strawberry.field(description="Stable code of the state body, e.g. DIN.")
    name_az: str = strawberry.field(description=NAME_AZ)
    name_en: str = strawberry.field(description=NAME_EN)
    name_ru: str = strawberry.field(description=NAME_RU)
    kind: StateBodyKind = strawberry.field(description="Ministry, committee, service, agency ...")
    parent_code: strawberry.Private[str | None]
    contact_point: ContactPoint | None = strawberry.field(
        default=None,
        description="Where people reach the body (CPSV-AP ContactPoint); null: none recorded.",
    )

    @classmethod
    def of(cls, body: m.StateBody) -> StateBodyNode:
        return cls(
            code=body.code,
            name_az=body.name_az,
            name_en=body.name_en,
            name_ru=body.name_ru,
            kind=StateBodyKind(body.kind),
            parent_code=body.parent,
            contact_point=ContactPoint.of(body.contact_point) if body.contact_point else None,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[StateBodyNode | None]:
        found = await bodies_loader(info).load_many(list(node_ids))
        return [cls.of(b) if b is not None else None for b in found]

    @strawberry.field(description="The body this one is part of.")
    async def parent(self, info: Info) -> StateBodyNode | None:
        if self.parent_code is None:
            return None
        body = await bodies_loader(info).load(self.parent_code)
        return StateBodyNode.of(body) if body is not None else None

    @strawberry.field(
        description="Services it provides, by Azerbaijani name (drafts only for itself and "
        "reviewers); unpaged.",
        deprecation_reason="Use providedServices (paged); removed after 2027-06-30",
    )
    async def services(self, info: Info) -> list[ServiceNode]:
        rows = await services_by_body_loader(info).load(self.code)
        return [ServiceNode.of(s) for s in rows or []]

    @strawberry.field(
        description="Services it provides, by Azerbaijani name (drafts only for itself and "
        "reviewers); keyset paging."
    )
    async def provided_services(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ServiceNode]:
        request = _page(
            first, after, 2, last=last, before=before, scope="StateBody.providedServices"
        )
        rows = await services_by_body_loader(info).load(self.code)
        return page_of(
            rows or [], request, ServiceNode.of, lambda s: [az_sort_key(s.name_az), s.code]
        )

    @strawberry.field(description="Information systems it operates.")
    async def information_systems(self, info: Info) -> list[InformationSystemNode]:
        loader = keyed_loader(info, "catalog.operated", queries.systems_by_operator, list)
        rows = await loader.load(self.code)
        return [InformationSystemNode.of(x) for x in rows or []]

    @strawberry.field(description="Published services, e-service share and channels.")
    async def coverage(self, info: Info) -> BodyCoverage | None:
        found = await keyed_loader(info, "catalog.coverage", queries.coverage_by_body).load(
            self.code
        )
        return BodyCoverage.of(found) if found is not None else None


@strawberry.type(name="InformationSystem", description="A state information system.")
class InformationSystemNode(relay.Node):
    _id_attr = "code"
    code: str = strawberry.field(description="Stable code of the information system.")
    name_az: str = strawberry.field(description=NAME_AZ)
    name_en: str = strawberry.field(description=NAME_EN)
    name_ru: str = strawberry.field(description=NAME_RU)
    description: str = strawberry.field(description="What it does, in Azerbaijani.")
    record: InformationSystemRecord = strawberry.field(
        description="Its register entry: lifecycle, security class, data, contacts, X-Road."
    )
    operator_code: strawberry.Private[str | None]

    @classmethod
    def of(cls, system: m.InformationSystem) -> InformationSystemNode:
        return cls(
            code=system.code,
            name_az=system.name_az,
            name_en=system.name_en,
            name_ru=system.name_ru,
            description=system.description,
            record=InformationSystemRecord.of(system.record),
            operator_code=system.operator,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[InformationSystemNode | None]:
        found = await systems_loader(info).load_many(list(node_ids))
        return [cls.of(x) if x is not None else None for x in found]

    @strawberry.field(description="The state body operating it.")
    async def operator(self, info: Info) -> StateBodyNode | None:
        if self.operator_code is None:
            return None
        body = await bodies_loader(info).load(self.operator_code)
        return StateBodyNode.of(body) if body is not None else None

    @strawberry.field(description="Systems whose data it consumes (CONSUMES_DATA_FROM).")
    async def consumes_data_from(self, info: Info) -> list[InformationSystemNode]:
        links = await keyed_loader(info, "catalog.links", queries.data_links).load(self.code)
        codes = links[0] if links else []
        return await load_many(systems_loader(info), codes, InformationSystemNode.of)

    @strawberry.field(description="Systems that consume its data.")
    async def data_consumers(self, info: Info) -> list[InformationSystemNode]:
        links = await keyed_loader(info, "catalog.links", queries.data_links).load(self.code)
        codes = links[1] if links else []
        return await load_many(systems_loader(info), codes, InformationSystemNode.of)


@strawberry.type(name="AsanCentre", description="An ASAN service centre (open every day).")
class AsanCentreNode(relay.Node):
    _id_attr = "code"
    code: str = strawberry.field(description="Stable code of the centre.")
    name_az: str = strawberry.field(description=NAME_AZ)
    region: str = strawberry.field(description="Region (rayon or city) of the centre.")
    address: str = strawberry.field(description="Street address, in Azerbaijani.")
    hours: str = strawberry.field(description="Opening hours, HH:MM-HH:MM (Asia/Baku).")

    @classmethod
    def of(cls, c: m.AsanCentre) -> AsanCentreNode:
        return cls(code=c.code, name_az=c.name, region=c.region, address=c.address, hours=c.hours)

    @strawberry.field(description="Name in Azerbaijani.", deprecation_reason=USE_NAME_AZ)
    def name(self) -> str:
        return self.name_az

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[AsanCentreNode | None]:
        loader = keyed_loader(info, "catalog.centres", queries.centres_by_codes)
        found = await loader.load_many(list(node_ids))
        return [cls.of(c) if c is not None else None for c in found]


@strawberry.type(name="MobileBus", description="A mobile ASAN service bus.")
class MobileBusNode(relay.Node):
    _id_attr = "code"
    code: str = strawberry.field(description="Stable code of the bus.")
    name_az: str = strawberry.field(description=NAME_AZ)

    @classmethod
    def of(cls, b: m.MobileBus) -> MobileBusNode:
        return cls(code=b.code, name_az=b.name)

    @strawberry.field(description="Name in Azerbaijani.", deprecation_reason=USE_NAME_AZ)
    def name(self) -> str:
        return self.name_az

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[MobileBusNode | None]:
        loader = keyed_loader(info, "catalog.buses", queries.buses_by_codes)
        found = await loader.load_many(list(node_ids))
        return [cls.of(b) if b is not None else None for b in found]

    @strawberry.field(description="Weekly schedule, by weekday and time.")
    async def schedule(self, info: Info) -> list[BusStopVisit]:
        loader = keyed_loader(info, "catalog.schedules", queries.schedules_by_bus, list)
        visits = await loader.load(self.code)
        return [
            BusStopVisit(
                weekday=v.weekday,
                starts_at=v.starts_at,
                ends_at=v.ends_at,
                stop=BusStop(code=s.code, name_az=s.name, region=s.region, address=s.address),
            )
            for v, s in visits or []
        ]


@strawberry.type(name="Service", description="A state service (EU CPSV-AP public service).")
class ServiceNode(relay.Node):
    _id_attr = "code"
    code: str = strawberry.field(description="Stable code of the service in the registry.")
    name_az: str = strawberry.field(description=NAME_AZ)
    name_en: str = strawberry.field(description=NAME_EN)
    name_ru: str = strawberry.field(description=NAME_RU)
    description_az: str = strawberry.field(description="What the service is, in Azerbaijani.")
    description_en: str = strawberry.field(description="What the service is, in English.")
    description_ru: str = strawberry.field(description="What the service is, in Russian.")
    status: ServiceStatus = strawberry.field(description="Where it is in its lifecycle.")
    processing_days: int | None = strawberry.field(
        description="Processing time in working days; null: not stated."
    )
    fee_amount: Decimal = strawberry.field(
        description='State fee in AZN (manat), a decimal string such as "20.00"; "0": free.'
    )
    fee_exemptions: list[str] = strawberry.field(
        description="Who is exempt from the fee, in Azerbaijani."
    )
    online_url: str | None = strawberry.field(
        description="Where the e-service is offered (e.g. on e-gov.az); null: not online."
    )
    version: int = strawberry.field(description="Number of its latest recorded version.")
    created_at: datetime | None = strawberry.field(description="When it was created (UTC).")
    updated_at: datetime | None = strawberry.field(
        description="When its content or status last changed (UTC)."
    )
    provider_code: strawberry.Private[str | None]
    contact_point: ContactPoint | None = strawberry.field(
        default=None,
        description="Where applicants ask about the service (CPSV-AP ContactPoint); null: "
        "none recorded (the provider's own contact point may apply).",
    )

    @classmethod
    def of(cls, s: m.Service) -> ServiceNode:
        return cls(
            code=s.code,
            name_az=s.name_az,
            name_en=s.name_en,
            name_ru=s.name_ru,
            description_az=s.description_az,
            description_en=s.description_en,
            description_ru=s.description_ru,
            status=ServiceStatus(s.status),
            processing_days=s.processing_days,
            fee_amount=s.fee_amount,
            fee_exemptions=list(s.fee_exemptions),
            online_url=s.online_url,
            version=s.version,
            created_at=s.created_at,
            updated_at=s.updated_at,
            provider_code=s.provider,
            contact_point=ContactPoint.of(s.contact_point) if s.contact_point else None,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ServiceNode | None]:
        found = await services_loader(info).load_many(list(node_ids))
        return [cls.of(s) if s is not None else None for s in found]

    async def _relations(self, info: Info) -> m.ServiceRelations:
        """Its linked lists other than the documents, from one shared loader.

        A level selecting several of them (channels, centres, legal basis, ...) costs one query.
        """
        loader = keyed_loader(info, "catalog.relations", queries.relations_by_service)
        found = await loader.load(self.code)
        return found if found is not None else m.ServiceRelations()

    @strawberry.field(description="The competent authority.")
    async def provider(self, info: Info) -> StateBodyNode | None:
        if self.provider_code is None:
            return None
        body = await bodies_loader(info).load(self.provider_code)
        return StateBodyNode.of(body) if body is not None else None

    @strawberry.field(
        description="Documents the applicant brings, in order.",
        graphql_type=list[RequiredDocument],
    )
    def required_documents(
        self, info: Info
    ) -> list[RequiredDocument] | Awaitable[list[RequiredDocument]]:
        # its own loader: only REQUIRES -> Evidence, the hot field of nested reads; a tree read
        # primes it, and then the list is answered without a coroutine (``settled``)
        loader = requirements_loader(info)
        ready, documents = settled(loader, self.code)
        if ready:
            return _required(documents)

        async def load() -> list[RequiredDocument]:
            return _required(await loader.load(self.code))

        return load()

    @strawberry.field(description="Legal acts (and articles) it rests on.")
    async def legal_basis(self, info: Info) -> list[LegalBasis]:
        relations = await self._relations(info)
        return [
            LegalBasis(act_code=a.act_code, title=a.title, articles=list(a.articles))
            for a in relations.legal_basis
        ]

    @strawberry.field(description="What the applicant receives.")
    async def outputs(self, info: Info) -> list[OutputDocument]:
        relations = await self._relations(info)
        return [
            OutputDocument(code=o.code, name_az=o.name_az, name_en=o.name_en, name_ru=o.name_ru)
            for o in relations.outputs
        ]

    @strawberry.field(description="How citizens reach it.")
    async def channels(self, info: Info) -> list[ChannelCode]:
        relations = await self._relations(info)
        return [ChannelCode(c) for c in relations.channels]

    @strawberry.field(description="ASAN centres offering it.")
    async def asan_centres(self, info: Info) -> list[AsanCentreNode]:
        relations = await self._relations(info)
        return await load_many(
            keyed_loader(info, "catalog.centres", queries.centres_by_codes),
            relations.centres,
            AsanCentreNode.of,
        )

    @strawberry.field(description="Mobile buses offering it.")
    async def mobile_buses(self, info: Info) -> list[MobileBusNode]:
        relations = await self._relations(info)
        return await load_many(
            keyed_loader(info, "catalog.buses", queries.buses_by_codes),
            relations.buses,
            MobileBusNode.of,
        )

    @strawberry.field(description="Information systems it depends on directly.")
    async def information_systems(self, info: Info) -> list[InformationSystemNode]:
        relations = await self._relations(info)
        return await load_many(
            systems_loader(info),
            relations.systems,
            InformationSystemNode.of,
        )

    @strawberry.field(description="Categories and life events.")
    async def categories(self, info: Info) -> list[Category]:
        relations = await self._relations(info)
        return await load_many(
            keyed_loader(info, "catalog.categories", queries.categories_by_codes),
            relations.categories,
            Category.of,
        )

    @strawberry.field(description="Recorded changes, newest first.")
    async def versions(self, info: Info) -> list[ServiceVersion]:
        loader = keyed_loader(info, "catalog.versions", queries.versions_by_service, list)
        rows = await loader.load(self.code)
        # who changed a service is shown to its own body and the reviewers only
        shows_actor = catalog.may_read_requests(_principal(info), self.provider_code)
        return [
            ServiceVersion(
                number=v.number,
                at=v.at,
                actor=v.actor if shows_actor else None,
                status_from=_status(v.status_from),
                status_to=_status(v.status_to),
                changes=cast(JSON, version_changes(v.changes)),
            )
            for v in rows or []
        ]

    @strawberry.field(
        description="Its registration requests, newest first (its body and reviewers only)."
    )
    async def registration_requests(
        self, info: Info
    ) -> list[
        Annotated[RegistrationRequestNode, strawberry.lazy("asan.graphql.registry.registration")]
    ]:
        from asan.graphql.registry.registration import RegistrationRequestNode

        if not catalog.may_read_requests(_principal(info), self.provider_code):
            return []
        loader = keyed_loader(info, "catalog.requests", queries.requests_by_service, list)
        rows = await loader.load(self.code)
        return [RegistrationRequestNode.of(r) for r in rows or []]

    @strawberry.field(
        description="Shortest dependency chain from this service to a system (at most 10 "
        "steps); null when it does not depend on that system."
    )
    async def dependency_path(
        self,
        info: Info,
        system_code: Annotated[
            str, strawberry.argument(description="Code of the information system to reach.")
        ],
    ) -> list[PathStep] | None:
        steps = await queries.dependency_path(_platform(info), self.code, system_code)
        if steps is None:
            return None
        return [PathStep(kind=PathStepKind(s.kind), code=s.code, name_az=s.name_az) for s in steps]


def _required(documents: list[m.Evidence] | None) -> list[RequiredDocument]:
    return [
        RequiredDocument(
            position=i + 1,
            code=e.code,
            name_az=e.name_az,
            name_en=e.name_en,
            name_ru=e.name_ru,
            condition=e.condition,
        )
        for i, e in enumerate(documents or ())
    ]


def _status(value: str | None) -> ServiceStatus | None:
    """A recorded status as the enum; null for none (or a value no longer in the lifecycle)."""
    known = {s.value for s in ServiceStatus}
    return ServiceStatus(value) if value in known else None


async def service_node(info: Info, code: str) -> ServiceNode | None:
    service = await services_loader(info).load(code)
    return ServiceNode.of(service) if service is not None else None
