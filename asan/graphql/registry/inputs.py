"""The registry's GraphQL input types and their conversion to the catalog's models.

Mutations take one ``input`` object each; list field names match the ``userErrors`` fields
the catalog reports, so a client can point at the offending input.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from asan.graphql.registry.enums import ChannelCode, ServiceOrderField, ServiceStatus
from asan.graphql.registry.records import ContactPointInput, InformationSystemRecordInput
from asan.registry.catalog import models as m


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
    contact_point: ContactPointInput | None = strawberry.field(
        default=None,
        description="Where people reach the body (e-mail, telephone, opening hours, an https "
        "page). A save replaces the stored one; null or an empty one removes it.",
    )

    def to_model(self) -> m.StateBodyInput:
        return m.StateBodyInput(
            self.code,
            self.name_az,
            self.name_en,
            self.name_ru,
            self.kind,
            self.parent,
            self.contact_point.to_model() if self.contact_point is not None else None,
        )


@strawberry.input
class InformationSystemInput:
    code: str
    name_az: str
    operator: str
    name_en: str = ""
    name_ru: str = ""
    description: str = ""
    record: InformationSystemRecordInput | None = strawberry.field(
        default=None,
        description="Lifecycle, security class, data objects, contact point and X-Road "
        "identifiers; omitted: the defaults (in operation, internal, nothing else).",
    )

    def to_model(self) -> m.InformationSystemInput:
        return m.InformationSystemInput(
            self.code,
            self.name_az,
            self.operator,
            self.name_en,
            self.name_ru,
            self.description,
            self.record.to_model() if self.record is not None else m.SystemRecord(),
        )


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
    contact_point: ContactPointInput | None = strawberry.field(
        default=None, description="Where applicants ask about the service (optional)."
    )

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
            contact_point=self.contact_point.to_model() if self.contact_point else None,
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
    contact_point: ContactPointInput | None = strawberry.field(
        default=None,
        description="Where applicants ask about the service: replaces the stored one; "
        "null keeps it, an empty one (every part empty) removes it.",
    )

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
            contact_point=self.contact_point.to_model() if self.contact_point else None,
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
