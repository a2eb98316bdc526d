"""GraphQL root fields of the registry domain: thin resolvers that call the domain service.

Reads call the catalog's read use cases (``asan.registry.catalog.queries``, which apply what the
caller may see) through per-request DataLoaders, so a nested query costs one Cypher round trip
per level, however many parents it has; a service read brings its provider along and primes
the state-body loader with it. Mutations call
``asan.registry.catalog.service`` (authorize -> write -> audit in one unit of work) and turn
input problems into ``userErrors``; a refusal stays a GraphQL error.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar, cast

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.scalars import JSON
from strawberry.types import Info

from asan.core.errors import DomainError, Forbidden, Unauthenticated, ValidationFailed
from asan.core.platform import Platform
from asan.core.text import fold
from asan.graphql.errors import UserError
from asan.graphql.relay import Connection, build_connection
from asan.graphql.request import by_key, request_loader
from asan.graphql.request import graphql_error as _graphql_error
from asan.graphql.request import page as _page
from asan.graphql.request import platform_of as _platform
from asan.graphql.request import principal_of as _principal
from asan.registry.catalog import models as m
from asan.registry.catalog import queries
from asan.registry.catalog import service as catalog

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")

# ------------------------------------------------------------------------------ plumbing


def _loader(
    info: Info,
    name: str,
    fetch: Callable[[Platform, list[K]], Awaitable[dict[K, V]]],
    default: Callable[[], V | None] = lambda: None,
) -> DataLoader[K, V | None]:
    """The request's DataLoader ``name`` over a ``{key: value}`` fetch (one Cypher query)."""
    return request_loader(info, name, by_key(fetch, default))


# ----------------------------------------------------------------------------- enums


@strawberry.enum(description="How a citizen reaches a service.")
class ChannelCode(enum.Enum):
    ASAN_CENTRE = "ASAN_CENTRE"
    MOBILE_BUS = "MOBILE_BUS"
    ONLINE = "ONLINE"
    CALL_CENTRE_108 = "CALL_CENTRE_108"


@strawberry.enum(description="Lifecycle status of a registered service.")
class ServiceStatus(enum.Enum):
    DRAFT = "draft"
    UNDER_REVIEW = "under_review"
    PUBLISHED = "published"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


@strawberry.enum(description="Orderings of the services list (keyset paging in each).")
class ServiceOrderField(enum.Enum):
    NAME = "NAME"
    CODE = "CODE"
    PROCESSING_DAYS = "PROCESSING_DAYS"
    FEE = "FEE"


# ----------------------------------------------------------------------------- loaders


def _bodies_loader(info: Info) -> DataLoader[str, m.StateBody | None]:
    return _loader(info, "catalog.bodies", queries.state_bodies_by_codes)


def _systems_loader(info: Info) -> DataLoader[str, m.InformationSystem | None]:
    return _loader(info, "catalog.systems", queries.information_systems_by_codes)


def _prime_bodies(info: Info, bodies: dict[str, m.StateBody]) -> None:
    """Providers read with their services: a ``provider`` selection costs no round trip."""
    loader = _bodies_loader(info)
    for code, body in bodies.items():
        loader.prime(code, body)


def _services_loader(info: Info) -> DataLoader[str, m.Service | None]:
    principal = _principal(info)

    async def fetch(p: Platform, codes: list[str]) -> dict[str, m.Service]:
        services, providers = await queries.services_by_codes(p, principal, codes)
        _prime_bodies(info, providers)
        return services

    return _loader(info, "catalog.services", fetch)


def _services_by_body_loader(info: Info) -> DataLoader[str, list[m.Service] | None]:
    principal = _principal(info)

    async def fetch(p: Platform, codes: list[str]) -> dict[str, list[m.Service]]:
        return await queries.services_by_body(p, principal, codes)

    return _loader(info, "catalog.servicesByBody", fetch, list)


async def _load_many(
    loader: DataLoader[str, V | None], codes: Sequence[str], wrap: Callable[[V], T]
) -> list[T]:
    found = await loader.load_many(list(codes))
    return [wrap(item) for item in found if item is not None]


# ------------------------------------------------------------------------------- types


@strawberry.type(name="StateBody", description="A state body that provides services.")
class StateBodyNode(relay.Node):
    _id_attr = "code"
    code: str
    name_az: str
    name_en: str
    name_ru: str
    kind: str
    parent_code: strawberry.Private[str | None]

    @classmethod
    def of(cls, body: m.StateBody) -> StateBodyNode:
        return cls(
            code=body.code,
            name_az=body.name_az,
            name_en=body.name_en,
            name_ru=body.name_ru,
            kind=body.kind,
            parent_code=body.parent,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[StateBodyNode | None]:
        found = await _bodies_loader(info).load_many(list(node_ids))
        return [cls.of(b) if b is not None else None for b in found]

    @strawberry.field(description="The body this one is part of.")
    async def parent(self, info: Info) -> StateBodyNode | None:
        if self.parent_code is None:
            return None
        body = await _bodies_loader(info).load(self.parent_code)
        return StateBodyNode.of(body) if body is not None else None

    @strawberry.field(description="Services it provides (drafts only for itself and reviewers).")
    async def services(self, info: Info) -> list[ServiceNode]:
        rows = await _services_by_body_loader(info).load(self.code)
        return [ServiceNode.of(s) for s in rows or []]

    @strawberry.field(description="Information systems it operates.")
    async def information_systems(self, info: Info) -> list[InformationSystemNode]:
        loader = _loader(info, "catalog.operated", queries.systems_by_operator, list)
        rows = await loader.load(self.code)
        return [InformationSystemNode.of(x) for x in rows or []]

    @strawberry.field(description="Published services, e-service share and channels.")
    async def coverage(self, info: Info) -> BodyCoverage | None:
        found = await _loader(info, "catalog.coverage", queries.coverage_by_body).load(self.code)
        return BodyCoverage.of(found) if found is not None else None


@strawberry.type(name="InformationSystem", description="A state information system.")
class InformationSystemNode(relay.Node):
    _id_attr = "code"
    code: str
    name_az: str
    name_en: str
    name_ru: str
    description: str
    operator_code: strawberry.Private[str | None]

    @classmethod
    def of(cls, system: m.InformationSystem) -> InformationSystemNode:
        return cls(
            code=system.code,
            name_az=system.name_az,
            name_en=system.name_en,
            name_ru=system.name_ru,
            description=system.description,
            operator_code=system.operator,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[InformationSystemNode | None]:
        found = await _systems_loader(info).load_many(list(node_ids))
        return [cls.of(x) if x is not None else None for x in found]

    @strawberry.field(description="The state body operating it.")
    async def operator(self, info: Info) -> StateBodyNode | None:
        if self.operator_code is None:
            return None
        body = await _bodies_loader(info).load(self.operator_code)
        return StateBodyNode.of(body) if body is not None else None

    @strawberry.field(description="Systems whose data it consumes (CONSUMES_DATA_FROM).")
    async def consumes_data_from(self, info: Info) -> list[InformationSystemNode]:
        links = await _loader(info, "catalog.links", queries.data_links).load(self.code)
        codes = links[0] if links else []
        return await _load_many(_systems_loader(info), codes, InformationSystemNode.of)

    @strawberry.field(description="Systems that consume its data.")
    async def data_consumers(self, info: Info) -> list[InformationSystemNode]:
        links = await _loader(info, "catalog.links", queries.data_links).load(self.code)
        codes = links[1] if links else []
        return await _load_many(_systems_loader(info), codes, InformationSystemNode.of)


@strawberry.type(name="AsanCentre", description="An ASAN service centre (open every day).")
class AsanCentreNode(relay.Node):
    _id_attr = "code"
    code: str
    name: str
    region: str
    address: str
    hours: str

    @classmethod
    def of(cls, c: m.AsanCentre) -> AsanCentreNode:
        return cls(code=c.code, name=c.name, region=c.region, address=c.address, hours=c.hours)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[AsanCentreNode | None]:
        loader = _loader(info, "catalog.centres", queries.centres_by_codes)
        found = await loader.load_many(list(node_ids))
        return [cls.of(c) if c is not None else None for c in found]


@strawberry.type
class BusStop:
    code: str
    name: str
    region: str
    address: str


@strawberry.type(description="One weekly stop of a mobile bus.")
class BusStopVisit:
    weekday: int = strawberry.field(description="1 = Monday .. 7 = Sunday")
    starts_at: str
    ends_at: str
    stop: BusStop


@strawberry.type(name="MobileBus", description="A mobile ASAN service bus.")
class MobileBusNode(relay.Node):
    _id_attr = "code"
    code: str
    name: str

    @classmethod
    def of(cls, b: m.MobileBus) -> MobileBusNode:
        return cls(code=b.code, name=b.name)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[MobileBusNode | None]:
        loader = _loader(info, "catalog.buses", queries.buses_by_codes)
        found = await loader.load_many(list(node_ids))
        return [cls.of(b) if b is not None else None for b in found]

    @strawberry.field(description="Weekly schedule, by weekday and time.")
    async def schedule(self, info: Info) -> list[BusStopVisit]:
        loader = _loader(info, "catalog.schedules", queries.schedules_by_bus, list)
        visits = await loader.load(self.code)
        return [
            BusStopVisit(
                weekday=v.weekday,
                starts_at=v.starts_at,
                ends_at=v.ends_at,
                stop=BusStop(code=s.code, name=s.name, region=s.region, address=s.address),
            )
            for v, s in visits or []
        ]


@strawberry.type
class Category:
    code: str
    name_az: str
    name_en: str
    name_ru: str
    kind: str = strawberry.field(description="category | life_event")

    @classmethod
    def of(cls, c: m.CategoryInput) -> Category:
        return cls(
            code=c.code, name_az=c.name_az, name_en=c.name_en, name_ru=c.name_ru, kind=c.kind
        )


@strawberry.type(description="A document the applicant must bring, in the order told.")
class RequiredDocument:
    position: int
    code: str
    name_az: str
    name_en: str
    name_ru: str
    condition: str | None = strawberry.field(description="When it is needed; null: always")


@strawberry.type
class LegalBasis:
    act_code: str
    title: str
    articles: list[str]


@strawberry.type(name="ServiceOutput")
class OutputDocument:
    code: str
    name_az: str
    name_en: str
    name_ru: str


@strawberry.type(description="One recorded change of a service.")
class ServiceVersion:
    number: int
    at: datetime
    actor: str
    status_from: str | None
    status_to: str | None
    changes: JSON = strawberry.field(description="Field diff: {field: {from, to}}")


@strawberry.type
class RegistrationRequest:
    id: str
    kind: str = strawberry.field(description="registration | change")
    status: str = strawberry.field(description="submitted | registered | returned")
    service_code: str
    state_body_code: str
    submitted_at: datetime
    review_due: date
    defects: list[str]
    fix_due: date | None
    decided_at: datetime | None
    summary: str
    resubmissions: int

    @classmethod
    def of(cls, r: m.RegistrationRequest) -> RegistrationRequest:
        return cls(
            id=r.id,
            kind=r.kind,
            status=r.status,
            service_code=r.service,
            state_body_code=r.state_body,
            submitted_at=r.submitted_at,
            review_due=r.review_due,
            defects=list(r.defects),
            fix_due=r.fix_due,
            decided_at=r.decided_at,
            summary=r.summary,
            resubmissions=r.resubmissions,
        )


@strawberry.type
class PathStep:
    kind: str = strawberry.field(description="Service | InformationSystem")
    code: str
    name_az: str


@strawberry.type(name="Service", description="A state service (EU CPSV-AP public service).")
class ServiceNode(relay.Node):
    _id_attr = "code"
    code: str
    name_az: str
    name_en: str
    name_ru: str
    description_az: str
    description_en: str
    description_ru: str
    status: ServiceStatus
    processing_days: int | None = strawberry.field(description="In working days")
    fee_amount: Decimal = strawberry.field(description="AZN")
    fee_exemptions: list[str]
    online_url: str | None
    version: int
    created_at: datetime | None
    updated_at: datetime | None
    provider_code: strawberry.Private[str | None]

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
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ServiceNode | None]:
        found = await _services_loader(info).load_many(list(node_ids))
        return [cls.of(s) if s is not None else None for s in found]

    async def _relations(self, info: Info) -> m.ServiceRelations:
        """Its linked lists other than the documents, from one shared loader.

        A level selecting several of them (channels, centres, legal basis, ...) costs one query.
        """
        loader = _loader(info, "catalog.relations", queries.relations_by_service)
        found = await loader.load(self.code)
        return found if found is not None else m.ServiceRelations()

    @strawberry.field(description="The competent authority.")
    async def provider(self, info: Info) -> StateBodyNode | None:
        if self.provider_code is None:
            return None
        body = await _bodies_loader(info).load(self.provider_code)
        return StateBodyNode.of(body) if body is not None else None

    @strawberry.field(description="Documents the applicant brings, in order.")
    async def required_documents(self, info: Info) -> list[RequiredDocument]:
        # its own loader: only REQUIRES -> Evidence, the hot field of nested reads
        loader = _loader(info, "catalog.requirements", queries.requirements_by_service, list)
        documents = await loader.load(self.code)
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

    @strawberry.field
    async def channels(self, info: Info) -> list[ChannelCode]:
        relations = await self._relations(info)
        return [ChannelCode(c) for c in relations.channels]

    @strawberry.field(description="ASAN centres offering it.")
    async def asan_centres(self, info: Info) -> list[AsanCentreNode]:
        relations = await self._relations(info)
        return await _load_many(
            _loader(info, "catalog.centres", queries.centres_by_codes),
            relations.centres,
            AsanCentreNode.of,
        )

    @strawberry.field(description="Mobile buses offering it.")
    async def mobile_buses(self, info: Info) -> list[MobileBusNode]:
        relations = await self._relations(info)
        return await _load_many(
            _loader(info, "catalog.buses", queries.buses_by_codes),
            relations.buses,
            MobileBusNode.of,
        )

    @strawberry.field(description="Information systems it depends on directly.")
    async def information_systems(self, info: Info) -> list[InformationSystemNode]:
        relations = await self._relations(info)
        return await _load_many(
            _systems_loader(info),
            relations.systems,
            InformationSystemNode.of,
        )

    @strawberry.field(description="Categories and life events.")
    async def categories(self, info: Info) -> list[Category]:
        relations = await self._relations(info)
        return await _load_many(
            _loader(info, "catalog.categories", queries.categories_by_codes),
            relations.categories,
            Category.of,
        )

    @strawberry.field(description="Recorded changes, newest first.")
    async def versions(self, info: Info) -> list[ServiceVersion]:
        loader = _loader(info, "catalog.versions", queries.versions_by_service, list)
        rows = await loader.load(self.code)
        return [
            ServiceVersion(
                number=v.number,
                at=v.at,
                actor=v.actor,
                status_from=v.status_from,
                status_to=v.status_to,
                changes=cast(JSON, v.changes),
            )
            for v in rows or []
        ]

    @strawberry.field(
        description="Its registration requests, newest first (its body and reviewers only)."
    )
    async def registration_requests(self, info: Info) -> list[RegistrationRequest]:
        if not catalog.may_read_requests(_principal(info), self.provider_code):
            return []
        loader = _loader(info, "catalog.requests", queries.requests_by_service, list)
        rows = await loader.load(self.code)
        return [RegistrationRequest.of(r) for r in rows or []]

    @strawberry.field(description="Shortest dependency chain from this service to a system.")
    async def dependency_path(self, info: Info, system_code: str) -> list[PathStep] | None:
        steps = await queries.dependency_path(_platform(info), self.code, system_code)
        if steps is None:
            return None
        return [PathStep(kind=s.kind, code=s.code, name_az=s.name_az) for s in steps]


@strawberry.type
class ChannelCount:
    channel: ChannelCode
    services: int


@strawberry.type(description="Published services of a body and how they are offered.")
class BodyCoverage:
    state_body_code: str
    name_az: str
    services: int
    e_services: int = strawberry.field(description="Services with the ONLINE channel")
    e_service_share: float
    channels: list[ChannelCount]

    @classmethod
    def of(cls, c: m.Coverage) -> BodyCoverage:
        return cls(
            state_body_code=c.body,
            name_az=c.name_az,
            services=c.services,
            e_services=c.online,
            e_service_share=c.e_service_share,
            channels=[
                ChannelCount(channel=ChannelCode(x.channel), services=x.services)
                for x in c.channels
            ],
        )


@strawberry.type
class ImpactedService:
    hops: int = strawberry.field(description="0: depends directly; n: through n data links")
    service: ServiceNode


@strawberry.type(description="One page of impacted services, nearest first.")
class ImpactedServiceConnection:
    edges: list[ImpactedServiceEdge]
    page_info: relay.PageInfo
    total_count: int = strawberry.field(description="Every impacted service you may see.")


@strawberry.type
class ImpactedServiceEdge:
    cursor: str
    node: ImpactedService


@strawberry.type(description="What stops if an information system stops.")
class InformationSystemImpact:
    system: InformationSystemNode
    services: ImpactedServiceConnection
    asan_centres: list[AsanCentreNode]


# ------------------------------------------------------------------------------ inputs


@strawberry.input
class ServiceFilter:
    state_body: str | None = None
    category: str | None = None
    channel: ChannelCode | None = None
    asan_centre: str | None = None
    bus_stop: str | None = None
    information_system: str | None = None
    status: ServiceStatus | None = None
    search: str | None = strawberry.field(default=None, description="In names and codes")


@strawberry.input
class ServiceOrder:
    field: ServiceOrderField = ServiceOrderField.NAME
    descending: bool = False


@strawberry.input
class StateBodyInput:
    code: str
    name_az: str
    name_en: str = ""
    name_ru: str = ""
    kind: str = "other"
    parent: str | None = None

    def to_model(self) -> m.StateBodyInput:
        return m.StateBodyInput(
            self.code, self.name_az, self.name_en, self.name_ru, self.kind, self.parent
        )


@strawberry.input
class InformationSystemInput:
    code: str
    name_az: str
    operator: str
    name_en: str = ""
    name_ru: str = ""
    description: str = ""


@strawberry.input
class DataLinkInput:
    consumer: str
    provider: str
    since: date | None = None


@strawberry.input
class LinkInformationSystemsInput:
    links: list[DataLinkInput]


@strawberry.input
class LegalBasisInput:
    act_code: str
    title: str
    articles: list[str] = strawberry.field(default_factory=list)


@strawberry.input
class RequiredDocumentInput:
    code: str
    name_az: str
    name_en: str = ""
    name_ru: str = ""
    condition: str | None = None


@strawberry.input
class OutputInput:
    code: str
    name_az: str
    name_en: str = ""
    name_ru: str = ""


def _legal(items: list[LegalBasisInput] | None) -> tuple[m.LegalBasis, ...] | None:
    if items is None:
        return None
    return tuple(m.LegalBasis(a.act_code, a.title, tuple(a.articles)) for a in items)


def _evidence(items: list[RequiredDocumentInput] | None) -> tuple[m.Evidence, ...] | None:
    if items is None:
        return None
    return tuple(m.Evidence(e.code, e.name_az, e.name_en, e.name_ru, e.condition) for e in items)


def _outputs(items: list[OutputInput] | None) -> tuple[m.Output, ...] | None:
    if items is None:
        return None
    return tuple(m.Output(o.code, o.name_az, o.name_en, o.name_ru) for o in items)


def _codes(items: list[str] | None) -> tuple[str, ...] | None:
    return tuple(items) if items is not None else None


@strawberry.input(description="A new service (draft). List field names match userErrors.")
class CreateServiceInput:
    code: str
    name_az: str
    provider: str = strawberry.field(description="State body code (competent authority)")
    name_en: str = ""
    name_ru: str = ""
    description_az: str = ""
    description_en: str = ""
    description_ru: str = ""
    processing_days: int | None = None
    fee_amount: Decimal = Decimal("0")
    fee_exemptions: list[str] = strawberry.field(default_factory=list)
    online_url: str | None = None
    channels: list[ChannelCode] = strawberry.field(default_factory=list)
    legal_basis: list[LegalBasisInput] = strawberry.field(default_factory=list)
    requirements: list[RequiredDocumentInput] = strawberry.field(default_factory=list)
    outputs: list[OutputInput] = strawberry.field(default_factory=list)
    centres: list[str] = strawberry.field(default_factory=list, description="ASAN centre codes")
    buses: list[str] = strawberry.field(default_factory=list, description="Mobile bus codes")
    systems: list[str] = strawberry.field(default_factory=list, description="System codes")
    categories: list[str] = strawberry.field(default_factory=list)

    def to_model(self) -> m.ServiceInput:
        return m.ServiceInput(
            code=self.code,
            name_az=self.name_az,
            provider=self.provider,
            name_en=self.name_en,
            name_ru=self.name_ru,
            description_az=self.description_az,
            description_en=self.description_en,
            description_ru=self.description_ru,
            processing_days=self.processing_days,
            fee_amount=self.fee_amount,
            fee_exemptions=tuple(self.fee_exemptions),
            online_url=self.online_url,
            channels=tuple(c.value for c in self.channels),
            legal_basis=_legal(self.legal_basis) or (),
            requirements=_evidence(self.requirements) or (),
            outputs=_outputs(self.outputs) or (),
            centres=tuple(self.centres),
            buses=tuple(self.buses),
            systems=tuple(self.systems),
            categories=tuple(self.categories),
        )


@strawberry.input(description="Fields left null keep their value; a given list replaces it.")
class UpdateServiceInput:
    code: str
    name_az: str | None = None
    name_en: str | None = None
    name_ru: str | None = None
    provider: str | None = None
    description_az: str | None = None
    description_en: str | None = None
    description_ru: str | None = None
    processing_days: int | None = None
    clear_processing_days: bool = False
    fee_amount: Decimal | None = None
    fee_exemptions: list[str] | None = None
    online_url: str | None = None
    clear_online_url: bool = False
    channels: list[ChannelCode] | None = None
    legal_basis: list[LegalBasisInput] | None = None
    requirements: list[RequiredDocumentInput] | None = None
    outputs: list[OutputInput] | None = None
    centres: list[str] | None = None
    buses: list[str] | None = None
    systems: list[str] | None = None
    categories: list[str] | None = None

    def to_patch(self) -> m.ServicePatch:
        return m.ServicePatch(
            code=self.code,
            name_az=self.name_az,
            name_en=self.name_en,
            name_ru=self.name_ru,
            provider=self.provider,
            description_az=self.description_az,
            description_en=self.description_en,
            description_ru=self.description_ru,
            processing_days=self.processing_days,
            fee_amount=self.fee_amount,
            fee_exemptions=_codes(self.fee_exemptions),
            online_url=self.online_url,
            channels=tuple(c.value for c in self.channels) if self.channels is not None else None,
            legal_basis=_legal(self.legal_basis),
            requirements=_evidence(self.requirements),
            outputs=_outputs(self.outputs),
            centres=_codes(self.centres),
            buses=_codes(self.buses),
            systems=_codes(self.systems),
            categories=_codes(self.categories),
        )


@strawberry.input
class TransitionServiceInput:
    code: str
    status: ServiceStatus
    note: str | None = strawberry.field(default=None, description="Reason, or change summary")
    defects: list[str] = strawberry.field(
        default_factory=list, description="Required when returning (under_review -> draft)"
    )


@strawberry.input
class SubmitServiceInput:
    service_code: str
    summary: str = strawberry.field(default="", description="Required for a change request")


@strawberry.input
class RegisterServiceInput:
    request_id: str


@strawberry.input
class ReturnServiceInput:
    request_id: str
    defects: list[str]


@strawberry.input
class CategoryInput:
    code: str
    name_az: str
    kind: str = "category"
    name_en: str = ""
    name_ru: str = ""


@strawberry.input
class AsanCentreInput:
    code: str
    name: str
    region: str
    address: str
    hours: str = "09:00-19:00"


@strawberry.input
class BusStopInput:
    code: str
    name: str
    region: str
    address: str = ""


@strawberry.input
class BusStopVisitInput:
    stop: str
    weekday: int
    starts_at: str
    ends_at: str


@strawberry.input
class MobileBusInput:
    code: str
    name: str
    stops: list[BusStopVisitInput] = strawberry.field(default_factory=list)


# ----------------------------------------------------------------------------- payloads


@strawberry.type
class StateBodyPayload:
    state_body: StateBodyNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class InformationSystemPayload:
    information_system: InformationSystemNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class LinkInformationSystemsPayload:
    information_systems: list[InformationSystemNode] | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ServicePayload:
    service: ServiceNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RegistrationPayload:
    registration_request: RegistrationRequest | None = None
    service: ServiceNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CategoryPayload:
    category: Category | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AsanCentrePayload:
    asan_centre: AsanCentreNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class BusStopPayload:
    bus_stop: BusStop | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class MobileBusPayload:
    mobile_bus: MobileBusNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


async def _attempt(work: Callable[[], Awaitable[T]]) -> tuple[T | None, list[UserError]]:
    """Run a use case; input problems become userErrors, refusals stay GraphQL errors."""
    try:
        return await work(), []
    except ValidationFailed as exc:
        return None, [UserError.of(e) for e in exc.errors]
    except (Forbidden, Unauthenticated) as exc:
        raise _graphql_error(exc) from exc
    except DomainError as exc:
        return None, [UserError.of(exc)]


async def _service_node(info: Info, code: str) -> ServiceNode | None:
    service = await _services_loader(info).load(code)
    return ServiceNode.of(service) if service is not None else None


# -------------------------------------------------------------------------- root fields


@strawberry.type
class RegistryQuery:
    @strawberry.field(description="State bodies by name (keyset paging).")
    async def state_bodies(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        search: str | None = None,
        parent: str | None = None,
    ) -> Connection[StateBodyNode]:
        page = _page(first, after, 2)
        result = await queries.list_state_bodies(
            _platform(info), after=page.after, limit=page.limit, search=search, parent=parent
        )
        return build_connection(
            result.rows, page, result.total, StateBodyNode.of, lambda b: [fold(b.name_az), b.code]
        )

    @strawberry.field(description="A state body by code; null when unknown.")
    async def state_body(self, info: Info, code: str) -> StateBodyNode | None:
        body = await _bodies_loader(info).load(code)
        return StateBodyNode.of(body) if body is not None else None

    @strawberry.field(description="Services with filters and ordering (keyset paging).")
    async def services(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: ServiceFilter | None = None,
        order_by: ServiceOrder | None = None,
    ) -> Connection[ServiceNode]:
        order = order_by or ServiceOrder()
        page = _page(first, after, queries.service_order_arity(order.field.value))
        f = filter or ServiceFilter()
        result, providers = await queries.list_services(
            _platform(info),
            _principal(info),
            m.ServiceFilter(
                body=f.state_body,
                category=f.category,
                channel=f.channel.value if f.channel else None,
                centre=f.asan_centre,
                stop=f.bus_stop,
                system=f.information_system,
                status=f.status.value if f.status else None,
                search=f.search,
            ),
            after=page.after,
            limit=page.limit,
            order=order.field.value,
            descending=order.descending,
        )
        _prime_bodies(info, providers)
        return build_connection(
            result.rows, page, result.total, ServiceNode.of, _service_sort_key(order.field)
        )

    @strawberry.field(description="A service by code; null when unknown or not visible.")
    async def service(self, info: Info, code: str) -> ServiceNode | None:
        return await _service_node(info, code)

    @strawberry.field(description="Information systems by name (keyset paging).")
    async def information_systems(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        operator: str | None = None,
        search: str | None = None,
    ) -> Connection[InformationSystemNode]:
        page = _page(first, after, 2)
        result = await queries.list_information_systems(
            _platform(info),
            after=page.after,
            limit=page.limit,
            operator=operator,
            search=search,
        )
        return build_connection(
            result.rows,
            page,
            result.total,
            InformationSystemNode.of,
            lambda x: [fold(x.name_az), x.code],
        )

    @strawberry.field
    async def information_system(self, info: Info, code: str) -> InformationSystemNode | None:
        system = await _systems_loader(info).load(code)
        return InformationSystemNode.of(system) if system is not None else None

    @strawberry.field(
        description="Services depending on a system (directly or via data "
        "links) and the centres offering them; one query."
    )
    async def information_system_impact(
        self,
        info: Info,
        code: str,
        first: int | None = 20,
        after: str | None = None,
    ) -> InformationSystemImpact | None:
        page = _page(first, after, arity=3)
        impact = await queries.impact(
            _platform(info), _principal(info), code, limit=page.limit, after=page.after
        )
        if impact is None:
            return None
        connection = build_connection(
            impact.services,
            page,
            impact.total_services,
            lambda i: ImpactedService(hops=i.hops, service=ServiceNode.of(i.service)),
            lambda i: (i.hops, i.service.name_fold, i.service.code),
        )
        return InformationSystemImpact(
            system=InformationSystemNode.of(impact.system),
            services=ImpactedServiceConnection(
                edges=[ImpactedServiceEdge(cursor=e.cursor, node=e.node) for e in connection.edges],
                page_info=connection.page_info,
                total_count=connection.total_count,
            ),
            asan_centres=[AsanCentreNode.of(c) for c in impact.centres],
        )

    @strawberry.field(description="ASAN centres by name (keyset paging).")
    async def asan_centres(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        region: str | None = None,
    ) -> Connection[AsanCentreNode]:
        page = _page(first, after, 2)
        result = await queries.list_asan_centres(
            _platform(info), after=page.after, limit=page.limit, region=region
        )
        return build_connection(
            result.rows, page, result.total, AsanCentreNode.of, queries.asan_centre_sort_key
        )

    @strawberry.field
    async def asan_centre(self, info: Info, code: str) -> AsanCentreNode | None:
        centre = await _loader(info, "catalog.centres", queries.centres_by_codes).load(code)
        return AsanCentreNode.of(centre) if centre is not None else None

    @strawberry.field
    async def mobile_buses(self, info: Info) -> list[MobileBusNode]:
        return [MobileBusNode.of(b) for b in await queries.list_mobile_buses(_platform(info))]

    @strawberry.field(description="Categories and life events.")
    async def service_categories(self, info: Info, kind: str | None = None) -> list[Category]:
        return [Category.of(c) for c in await queries.list_categories(_platform(info), kind)]

    @strawberry.field(description="Coverage statistics per state body (published services).")
    async def registry_coverage(
        self, info: Info, state_bodies: list[str] | None = None
    ) -> list[BodyCoverage]:
        return [BodyCoverage.of(c) for c in await queries.coverage(_platform(info), state_bodies)]

    @strawberry.field(description="Registration requests, by body and status.")
    async def registration_requests(
        self, info: Info, state_body: str | None = None, status: str | None = None
    ) -> list[RegistrationRequest]:
        try:
            rows = await catalog.list_requests(
                _platform(info), _principal(info), body=state_body, status=status
            )
        except DomainError as exc:
            raise _graphql_error(exc) from exc
        return [RegistrationRequest.of(r) for r in rows]

    @strawberry.field(description="Registration requests past their review or fix deadline.")
    async def overdue_registration_requests(
        self, info: Info, state_body: str | None = None
    ) -> list[RegistrationRequest]:
        try:
            rows = await catalog.overdue_requests(
                _platform(info), _principal(info), body=state_body
            )
        except DomainError as exc:
            raise _graphql_error(exc) from exc
        return [RegistrationRequest.of(r) for r in rows]


def _service_sort_key(field: ServiceOrderField) -> Callable[[m.Service], list[Any]]:
    if field is ServiceOrderField.CODE:
        return lambda s: [s.code]
    if field is ServiceOrderField.PROCESSING_DAYS:
        return lambda s: [
            s.processing_days if s.processing_days is not None else 1000000,
            s.name_fold,
            s.code,
        ]
    if field is ServiceOrderField.FEE:
        return lambda s: [float(s.fee_amount), s.name_fold, s.code]
    return lambda s: [s.name_fold, s.code]


@strawberry.type
class RegistryMutation:
    @strawberry.mutation
    async def create_state_body(self, info: Info, input: StateBodyInput) -> StateBodyPayload:
        body, errors = await _attempt(
            lambda: catalog.create_state_body(_platform(info), _principal(info), input.to_model())
        )
        return StateBodyPayload(
            state_body=StateBodyNode.of(body) if body else None, user_errors=errors
        )

    @strawberry.mutation
    async def update_state_body(self, info: Info, input: StateBodyInput) -> StateBodyPayload:
        body, errors = await _attempt(
            lambda: catalog.update_state_body(_platform(info), _principal(info), input.to_model())
        )
        return StateBodyPayload(
            state_body=StateBodyNode.of(body) if body else None, user_errors=errors
        )

    @strawberry.mutation
    async def create_information_system(
        self,
        info: Info,
        input: InformationSystemInput,
    ) -> InformationSystemPayload:
        raw = m.InformationSystemInput(
            input.code,
            input.name_az,
            input.operator,
            input.name_en,
            input.name_ru,
            input.description,
        )
        system, errors = await _attempt(
            lambda: catalog.create_information_system(_platform(info), _principal(info), raw)
        )
        return InformationSystemPayload(
            information_system=InformationSystemNode.of(system) if system else None,
            user_errors=errors,
        )

    @strawberry.mutation
    async def update_information_system(
        self,
        info: Info,
        input: InformationSystemInput,
    ) -> InformationSystemPayload:
        raw = m.InformationSystemInput(
            input.code,
            input.name_az,
            input.operator,
            input.name_en,
            input.name_ru,
            input.description,
        )
        system, errors = await _attempt(
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
        input: LinkInformationSystemsInput,
    ) -> LinkInformationSystemsPayload:
        links = [m.DataLink(x.consumer, x.provider, x.since) for x in input.links]
        done, errors = await _attempt(
            lambda: catalog.link_information_systems(_platform(info), _principal(info), links)
        )
        if done is None:
            return LinkInformationSystemsPayload(user_errors=errors)
        codes = sorted({link.consumer for link in done})
        systems = await queries.information_systems_by_codes(_platform(info), codes)
        return LinkInformationSystemsPayload(
            information_systems=[InformationSystemNode.of(systems[c]) for c in codes]
        )

    @strawberry.mutation
    async def create_service_category(self, info: Info, input: CategoryInput) -> CategoryPayload:
        raw = m.CategoryInput(input.code, input.name_az, input.kind, input.name_en, input.name_ru)
        category, errors = await _attempt(
            lambda: catalog.create_category(_platform(info), _principal(info), raw)
        )
        return CategoryPayload(
            category=Category.of(category) if category else None, user_errors=errors
        )

    @strawberry.mutation(description="Create a service as a draft of its providing body.")
    async def create_service(self, info: Info, input: CreateServiceInput) -> ServicePayload:
        service, errors = await _attempt(
            lambda: catalog.create_service(_platform(info), _principal(info), input.to_model())
        )
        return ServicePayload(
            service=ServiceNode.of(service) if service else None, user_errors=errors
        )

    @strawberry.mutation(description="Change a service's content; recorded as a new version.")
    async def update_service(self, info: Info, input: UpdateServiceInput) -> ServicePayload:
        service, errors = await _attempt(
            lambda: catalog.update_service(
                _platform(info),
                _principal(info),
                input.to_patch(),
                clear_online_url=input.clear_online_url,
                clear_processing_days=input.clear_processing_days,
            )
        )
        return ServicePayload(
            service=ServiceNode.of(service) if service else None, user_errors=errors
        )

    @strawberry.mutation(description="Move a service along its lifecycle.")
    async def transition_service(
        self,
        info: Info,
        input: TransitionServiceInput,
    ) -> ServicePayload:
        service, errors = await _attempt(
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

    @strawberry.mutation(description="A body submits a service (or a change) for registration.")
    async def submit_service_registration(
        self,
        info: Info,
        input: SubmitServiceInput,
    ) -> RegistrationPayload:
        request, errors = await _attempt(
            lambda: catalog.submit_service(
                _platform(info), _principal(info), input.service_code, summary=input.summary
            )
        )
        return await _registration_payload(info, request, errors)

    @strawberry.mutation(description="The agency registers a submitted service.")
    async def register_service(
        self,
        info: Info,
        input: RegisterServiceInput,
    ) -> RegistrationPayload:
        request, errors = await _attempt(
            lambda: catalog.register_request(_platform(info), _principal(info), input.request_id)
        )
        return await _registration_payload(info, request, errors)

    @strawberry.mutation(description="The agency returns a submission with its defects.")
    async def return_service_registration(
        self,
        info: Info,
        input: ReturnServiceInput,
    ) -> RegistrationPayload:
        request, errors = await _attempt(
            lambda: catalog.return_request(
                _platform(info), _principal(info), input.request_id, input.defects
            )
        )
        return await _registration_payload(info, request, errors)

    @strawberry.mutation
    async def create_asan_centre(self, info: Info, input: AsanCentreInput) -> AsanCentrePayload:
        raw = m.AsanCentreInput(input.code, input.name, input.region, input.address, input.hours)
        centre, errors = await _attempt(
            lambda: catalog.create_asan_centre(_platform(info), _principal(info), raw)
        )
        return AsanCentrePayload(
            asan_centre=AsanCentreNode.of(centre) if centre else None, user_errors=errors
        )

    @strawberry.mutation
    async def save_bus_stop(self, info: Info, input: BusStopInput) -> BusStopPayload:
        raw = m.BusStopInput(input.code, input.name, input.region, input.address)
        stops, errors = await _attempt(
            lambda: catalog.save_bus_stops(_platform(info), _principal(info), [raw])
        )
        stop = stops[0] if stops else None
        return BusStopPayload(
            bus_stop=BusStop(
                code=stop.code, name=stop.name, region=stop.region, address=stop.address
            )
            if stop
            else None,
            user_errors=errors,
        )

    @strawberry.mutation(description="Create or update a mobile bus with its weekly schedule.")
    async def save_mobile_bus(self, info: Info, input: MobileBusInput) -> MobileBusPayload:
        raw = m.MobileBusInput(
            input.code,
            input.name,
            tuple(m.StopVisit(v.stop, v.weekday, v.starts_at, v.ends_at) for v in input.stops),
        )
        bus, errors = await _attempt(
            lambda: catalog.save_mobile_bus(_platform(info), _principal(info), raw)
        )
        return MobileBusPayload(
            mobile_bus=MobileBusNode(code=bus.code, name=bus.name) if bus else None,
            user_errors=errors,
        )


async def _registration_payload(
    info: Info, request: m.RegistrationRequest | None, errors: list[UserError]
) -> RegistrationPayload:
    if request is None:
        return RegistrationPayload(user_errors=errors)
    return RegistrationPayload(
        registration_request=RegistrationRequest.of(request),
        service=await _service_node(info, request.service),
    )


QUERIES: list[type] = [RegistryQuery]
MUTATIONS: list[type] = [RegistryMutation]
