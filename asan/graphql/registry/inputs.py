"""The registry's GraphQL input types and their conversion to the catalog's models.

Mutations take one ``input`` object each; list field names match the ``userErrors`` fields
the catalog reports, so a client can point at the offending input.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from asan.graphql.mutation import CLIENT_MUTATION_ID
from asan.graphql.registry.enums import (
    CategoryKind,
    ChannelCode,
    ServiceOrderField,
    ServiceStatus,
    StateBodyKind,
)
from asan.graphql.registry.records import ContactPointInput, InformationSystemRecordInput
from asan.graphql.registry.renames import (
    USE_BUSES,
    USE_CENTRES,
    USE_SYSTEMS,
    either,
    either_or_none,
)
from asan.registry.catalog import models as m


@strawberry.input(description="Filters of the services list; all given ones must match.")
class ServiceFilter:
    state_body: str | None = strawberry.field(
        default=None, description="Code of the providing state body."
    )
    category: str | None = strawberry.field(
        default=None, description="Code of a category or life event."
    )
    channel: ChannelCode | None = strawberry.field(
        default=None, description="Offered through this channel."
    )
    asan_centre: str | None = strawberry.field(
        default=None, description="Code of an ASAN centre offering it."
    )
    bus_stop: str | None = strawberry.field(
        default=None, description="Code of a bus stop where a bus offering it halts."
    )
    information_system: str | None = strawberry.field(
        default=None, description="Code of an information system it depends on directly."
    )
    status: ServiceStatus | None = strawberry.field(
        default=None, description="Lifecycle status (drafts only for their body and reviewers)."
    )
    search: str | None = strawberry.field(default=None, description="In names and codes")
    region: str | None = strawberry.field(
        default=None,
        description=(
            "Offered in this region (rayon or city, e.g. Şəki): at an ASAN centre there or on a "
            "mobile bus stopping there; matched without case or Azerbaijani letters."
        ),
    )


@strawberry.input(description="Ordering of the services list.")
class ServiceOrder:
    field: ServiceOrderField = strawberry.field(
        default=ServiceOrderField.NAME,
        description="What to order by (default NAME, the Azerbaijani alphabet).",
    )
    descending: bool = strawberry.field(default=False, description="Reverse the order.")


@strawberry.input(description="A state body (dövlət orqanı); on update every field is replaced.")
class StateBodyInput:
    code: str = strawberry.field(
        description="Stable code of the body, e.g. DIN; identifies it on update."
    )
    name_az: str = strawberry.field(description="Name in Azerbaijani (required).")
    name_en: str = strawberry.field(
        default="", description="Name in English (empty: not translated)."
    )
    name_ru: str = strawberry.field(
        default="", description="Name in Russian (empty: not translated)."
    )
    kind: StateBodyKind = strawberry.field(
        default=StateBodyKind.OTHER, description="Kind of the body (default OTHER)."
    )
    parent: str | None = strawberry.field(
        default=None, description="Code of the body it is part of; null: none."
    )
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
            self.kind.value,
            self.parent,
            self.contact_point.to_model() if self.contact_point is not None else None,
        )


@strawberry.input(description="A state information system; on update every field is replaced.")
class InformationSystemInput:
    code: str = strawberry.field(description="Stable code of the system; identifies it on update.")
    name_az: str = strawberry.field(description="Name in Azerbaijani (required).")
    operator: str = strawberry.field(description="Code of the operating state body.")
    name_en: str = strawberry.field(
        default="", description="Name in English (empty: not translated)."
    )
    name_ru: str = strawberry.field(
        default="", description="Name in Russian (empty: not translated)."
    )
    description: str = strawberry.field(default="", description="What it does, in Azerbaijani.")
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


@strawberry.input(description="The consumer system reads data from the provider system.")
class DataLinkInput:
    consumer: str = strawberry.field(description="Code of the system reading the data.")
    provider: str = strawberry.field(description="Code of the system providing the data.")
    since: date | None = strawberry.field(
        default=None, description="Since when (ISO date); null: not known."
    )


@strawberry.input(description="Data links to declare (at most 100).")
class LinkInformationSystemsInput:
    links: list[DataLinkInput] = strawberry.field(description="The links; existing ones are kept.")


@strawberry.input(description="A legal act (and articles) a service rests on.")
class LegalBasisInput:
    act_code: str = strawberry.field(
        description="Code of the legal act (a new code adds the act to the registry)."
    )
    title: str = strawberry.field(description="Title of the act, in Azerbaijani.")
    articles: list[str] = strawberry.field(
        default_factory=list, description='Articles relied on, e.g. "12.3".'
    )


@strawberry.input(description="A document the applicant brings; the list order is the order told.")
class RequiredDocumentInput:
    code: str = strawberry.field(
        description="Code of the shared document entry (a new code adds it)."
    )
    name_az: str = strawberry.field(description="Name in Azerbaijani.")
    name_en: str = strawberry.field(default="", description="Name in English.")
    name_ru: str = strawberry.field(default="", description="Name in Russian.")
    condition: str | None = strawberry.field(
        default=None, description="When it is needed; null: always."
    )


@strawberry.input(description="What the applicant receives.")
class OutputInput:
    code: str = strawberry.field(
        description="Code of the shared output entry (a new code adds it)."
    )
    name_az: str = strawberry.field(description="Name in Azerbaijani.")
    name_en: str = strawberry.field(default="", description="Name in English.")
    name_ru: str = strawberry.field(default="", description="Name in Russian.")


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
    code: str = strawberry.field(description="Stable code of the new service, e.g. DIN-001.")
    name_az: str = strawberry.field(description="Name in Azerbaijani (required).")
    provider: str = strawberry.field(description="State body code (competent authority)")
    name_en: str = strawberry.field(default="", description="Name in English.")
    name_ru: str = strawberry.field(default="", description="Name in Russian.")
    description_az: str = strawberry.field(
        default="", description="What the service is, in Azerbaijani."
    )
    description_en: str = strawberry.field(
        default="", description="What the service is, in English."
    )
    description_ru: str = strawberry.field(
        default="", description="What the service is, in Russian."
    )
    processing_days: int | None = strawberry.field(
        default=None, description="Processing time in working days; null: not stated."
    )
    fee_amount: Decimal = strawberry.field(
        default=Decimal("0"),
        description='State fee in AZN as a decimal string, e.g. "20.00" (default "0": free).',
    )
    fee_exemptions: list[str] = strawberry.field(
        default_factory=list, description="Who is exempt from the fee, in Azerbaijani."
    )
    online_url: str | None = strawberry.field(
        default=None, description="Where the e-service is offered (https); null: not online."
    )
    channels: list[ChannelCode] = strawberry.field(
        default_factory=list, description="How citizens reach it."
    )
    legal_basis: list[LegalBasisInput] = strawberry.field(
        default_factory=list, description="Legal acts it rests on (at most 10)."
    )
    requirements: list[RequiredDocumentInput] = strawberry.field(
        default_factory=list,
        description="Documents the applicant brings, in the order told (at most 10).",
    )
    outputs: list[OutputInput] = strawberry.field(
        default_factory=list, description="What the applicant receives (at most 5)."
    )
    asan_centres: list[str] | None = strawberry.field(
        default=None, description="Codes of the ASAN centres offering it."
    )
    mobile_buses: list[str] | None = strawberry.field(
        default=None, description="Codes of the mobile buses offering it."
    )
    information_systems: list[str] | None = strawberry.field(
        default=None, description="Codes of the information systems it depends on directly."
    )
    centres: list[str] = strawberry.field(
        default_factory=list, description="ASAN centre codes.", deprecation_reason=USE_CENTRES
    )
    buses: list[str] = strawberry.field(
        default_factory=list, description="Mobile bus codes.", deprecation_reason=USE_BUSES
    )
    systems: list[str] = strawberry.field(
        default_factory=list, description="System codes.", deprecation_reason=USE_SYSTEMS
    )
    categories: list[str] = strawberry.field(
        default_factory=list, description="Codes of its categories and life events."
    )
    contact_point: ContactPointInput | None = strawberry.field(
        default=None, description="Where applicants ask about the service (optional)."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)

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
            centres=tuple(either(self.asan_centres, self.centres)),
            buses=tuple(either(self.mobile_buses, self.buses)),
            systems=tuple(either(self.information_systems, self.systems)),
            categories=tuple(self.categories),
            contact_point=self.contact_point.to_model() if self.contact_point else None,
        )


@strawberry.input(description="Fields left null keep their value; a given list replaces it.")
class UpdateServiceInput:
    code: str = strawberry.field(description="Code of the service to change.")
    name_az: str | None = strawberry.field(default=None, description="New name in Azerbaijani.")
    name_en: str | None = strawberry.field(default=None, description="New name in English.")
    name_ru: str | None = strawberry.field(default=None, description="New name in Russian.")
    provider: str | None = strawberry.field(
        default=None, description="Code of the new providing state body."
    )
    description_az: str | None = strawberry.field(
        default=None, description="New description in Azerbaijani."
    )
    description_en: str | None = strawberry.field(
        default=None, description="New description in English."
    )
    description_ru: str | None = strawberry.field(
        default=None, description="New description in Russian."
    )
    processing_days: int | None = strawberry.field(
        default=None, description="New processing time in working days."
    )
    clear_processing_days: bool = strawberry.field(
        default=False, description="True: the processing time is no longer stated."
    )
    fee_amount: Decimal | None = strawberry.field(
        default=None, description='New state fee in AZN as a decimal string, e.g. "20.00".'
    )
    fee_exemptions: list[str] | None = strawberry.field(
        default=None, description="Who is exempt from the fee (replaces the list)."
    )
    online_url: str | None = strawberry.field(
        default=None, description="New e-service address (https)."
    )
    clear_online_url: bool = strawberry.field(
        default=False, description="True: no longer offered online."
    )
    channels: list[ChannelCode] | None = strawberry.field(
        default=None, description="How citizens reach it (replaces the list)."
    )
    legal_basis: list[LegalBasisInput] | None = strawberry.field(
        default=None, description="Legal acts it rests on (replaces the list)."
    )
    requirements: list[RequiredDocumentInput] | None = strawberry.field(
        default=None, description="Documents the applicant brings, in order (replaces the list)."
    )
    outputs: list[OutputInput] | None = strawberry.field(
        default=None, description="What the applicant receives (replaces the list)."
    )
    asan_centres: list[str] | None = strawberry.field(
        default=None, description="Codes of the ASAN centres offering it (replaces the list)."
    )
    mobile_buses: list[str] | None = strawberry.field(
        default=None, description="Codes of the mobile buses offering it (replaces the list)."
    )
    information_systems: list[str] | None = strawberry.field(
        default=None, description="Codes of the information systems it depends on (replaces)."
    )
    centres: list[str] | None = strawberry.field(
        default=None, description="ASAN centre codes.", deprecation_reason=USE_CENTRES
    )
    buses: list[str] | None = strawberry.field(
        default=None, description="Mobile bus codes.", deprecation_reason=USE_BUSES
    )
    systems: list[str] | None = strawberry.field(
        default=None, description="System codes.", deprecation_reason=USE_SYSTEMS
    )
    categories: list[str] | None = strawberry.field(
        default=None, description="Codes of its categories and life events (replaces the list)."
    )
    contact_point: ContactPointInput | None = strawberry.field(
        default=None,
        description="Where applicants ask about the service: replaces the stored one; "
        "null keeps it, an empty one (every part empty) removes it.",
    )

    client_mutation_id: str | None = strawberry.field(
        default=None,
        description=CLIENT_MUTATION_ID
        + " Inside `submitChangeRequest`'s `changes` it is ignored: give the request's own.",
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
            centres=_codes(either_or_none(self.asan_centres, self.centres)),
            buses=_codes(either_or_none(self.mobile_buses, self.buses)),
            systems=_codes(either_or_none(self.information_systems, self.systems)),
            categories=_codes(self.categories),
            contact_point=self.contact_point.to_model() if self.contact_point else None,
        )


@strawberry.input(description="Move a service to another lifecycle status.")
class TransitionServiceInput:
    code: str = strawberry.field(description="Code of the service.")
    status: ServiceStatus = strawberry.field(
        description="The status to move to; the allowed steps depend on the current one."
    )
    note: str | None = strawberry.field(default=None, description="Reason, or change summary")
    defects: list[str] = strawberry.field(
        default_factory=list, description="Required when returning (under_review -> draft)"
    )


@strawberry.input(description="A new category or life event.")
class CategoryInput:
    code: str = strawberry.field(description="Stable code of the category.")
    name_az: str = strawberry.field(description="Name in Azerbaijani (required).")
    kind: CategoryKind = strawberry.field(
        default=CategoryKind.CATEGORY, description="Subject category or life event."
    )
    name_en: str = strawberry.field(default="", description="Name in English.")
    name_ru: str = strawberry.field(default="", description="Name in Russian.")


USE_NAME_AZ = "Use nameAz; removed after 2027-06-30"
# the one argument of every mutation (its input type describes the fields)
INPUT = strawberry.argument(description="The mutation's fields; see the input type.")


def given_name(name_az: str | None, name: str | None) -> str:
    """``nameAz``, or the deprecated ``name`` while clients move (empty: the use case refuses)."""
    return name_az if name_az is not None else (name or "")


@strawberry.input(description="A new ASAN service centre.")
class AsanCentreInput:
    code: str = strawberry.field(description="Stable code of the centre, e.g. BAKU-1.")
    region: str = strawberry.field(description="Region (rayon or city) of the centre.")
    address: str = strawberry.field(description="Street address, in Azerbaijani.")
    hours: str = strawberry.field(
        default="09:00-19:00", description="Opening hours, HH:MM-HH:MM (Asia/Baku)."
    )
    name_az: str | None = strawberry.field(
        default=None, description="Name in Azerbaijani (required; `name` until it is removed)."
    )
    name: str | None = strawberry.field(
        default=None, description="Name in Azerbaijani.", deprecation_reason=USE_NAME_AZ
    )


@strawberry.input(description="A stop (dayanacaq məntəqəsi) of the mobile service buses.")
class BusStopInput:
    code: str = strawberry.field(description="Stable code of the stop.")
    region: str = strawberry.field(description="Region (rayon or city) of the stop.")
    address: str = strawberry.field(default="", description="Street address, in Azerbaijani.")
    name_az: str | None = strawberry.field(
        default=None, description="Name in Azerbaijani (required; `name` until it is removed)."
    )
    name: str | None = strawberry.field(
        default=None, description="Name in Azerbaijani.", deprecation_reason=USE_NAME_AZ
    )


@strawberry.input(description="One weekly stop of a mobile bus.")
class BusStopVisitInput:
    stop: str = strawberry.field(description="Code of the bus stop.")
    weekday: int = strawberry.field(description="Day of the week: 1 = Monday .. 7 = Sunday.")
    starts_at: str = strawberry.field(description="Local time the bus opens, HH:MM (Asia/Baku).")
    ends_at: str = strawberry.field(description="Local time the bus closes, HH:MM (Asia/Baku).")


@strawberry.input(description="A mobile service bus and its whole weekly schedule.")
class MobileBusInput:
    code: str = strawberry.field(description="Stable code of the bus.")
    stops: list[BusStopVisitInput] = strawberry.field(
        default_factory=list, description="The weekly schedule; replaces the stored one."
    )
    name_az: str | None = strawberry.field(
        default=None, description="Name in Azerbaijani (required; `name` until it is removed)."
    )
    name: str | None = strawberry.field(
        default=None, description="Name in Azerbaijani.", deprecation_reason=USE_NAME_AZ
    )
