"""Plain typed records of the state-services catalog (EU CPSV-AP aligned).

Inputs (``*Input``) are what use cases accept, already cleaned by ``validation``; the other
records are what the repository reads back. Lists are tuples so records stay hashable and
comparable (``ServiceVersion`` diffs compare whole inputs field by field).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Final, Generic, TypeVar

T = TypeVar("T")

CHANNELS: Final = ("ASAN_CENTRE", "MOBILE_BUS", "ONLINE", "CALL_CENTRE_108")
CATEGORY_KINDS: Final = ("category", "life_event")
STATE_BODY_KINDS: Final = ("ministry", "committee", "service", "agency", "other")
REQUEST_KINDS: Final = ("registration", "change")


@dataclass(frozen=True)
class StateBodyInput:
    code: str
    name_az: str
    name_en: str = ""
    name_ru: str = ""
    kind: str = "other"
    parent: str | None = None  # code of the body it is PART_OF
    contact_point: ContactPoint | None = None  # None: none given (a save replaces it)


@dataclass(frozen=True)
class StateBody:
    code: str
    name_az: str
    name_en: str
    name_ru: str
    kind: str
    parent: str | None
    contact_point: ContactPoint | None = None


SYSTEM_LIFECYCLES: Final = ("planned", "in_development", "in_operation", "being_retired", "retired")
SECURITY_CLASSES: Final = ("public", "internal", "confidential", "secret")


@dataclass(frozen=True)
class ContactPoint:
    """Where people reach a body, service or system (CPSV-AP ContactPoint); "" = not given."""

    email: str = ""
    telephone: str = ""
    opening_hours: str = ""  # free text, e.g. "B.e.-C. 09:00-18:00"
    url: str = ""  # https:// contact page


@dataclass(frozen=True)
class XRoadService:
    """A system's address on the X-Road data-exchange layer, and the services it offers there."""

    instance: str  # e.g. "AZ"
    member_class: str  # e.g. "GOV"
    member_code: str  # the operator's registry code on X-Road
    subsystem_code: str
    service_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SystemRecord:
    """The register entry of an information system beyond its names (issue 9, point 6)."""

    lifecycle: str = "in_operation"  # one of SYSTEM_LIFECYCLES
    security_class: str = "internal"  # one of SECURITY_CLASSES
    data_objects: tuple[str, ...] = ()  # what data it holds, e.g. "Şəxsiyyət vəsiqəsi"
    contact_point: ContactPoint | None = None
    xroad: XRoadService | None = None


@dataclass(frozen=True)
class InformationSystemInput:
    code: str
    name_az: str
    operator: str  # code of the state body that OPERATES it
    name_en: str = ""
    name_ru: str = ""
    description: str = ""
    record: SystemRecord = SystemRecord()


@dataclass(frozen=True)
class InformationSystem:
    code: str
    name_az: str
    name_en: str
    name_ru: str
    description: str
    operator: str | None
    record: SystemRecord = SystemRecord()


@dataclass(frozen=True)
class DataLink:
    """``consumer`` reads data from ``provider`` over the data-exchange infrastructure."""

    consumer: str
    provider: str
    since: date | None = None


@dataclass(frozen=True)
class LegalBasis:
    act_code: str
    title: str
    articles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """A document the applicant brings; ``condition`` says when it is needed (None: always)."""

    code: str
    name_az: str
    name_en: str = ""
    name_ru: str = ""
    condition: str | None = None


@dataclass(frozen=True)
class Output:
    code: str
    name_az: str
    name_en: str = ""
    name_ru: str = ""


@dataclass(frozen=True)
class CategoryInput:
    code: str
    name_az: str
    kind: str = "category"
    name_en: str = ""
    name_ru: str = ""


Category = CategoryInput


@dataclass(frozen=True)
class ServiceInput:
    """The whole content of a service; relationship lists replace what was there."""

    code: str
    name_az: str
    provider: str  # competent authority: state body code
    name_en: str = ""
    name_ru: str = ""
    description_az: str = ""
    description_en: str = ""
    description_ru: str = ""
    processing_days: int | None = None  # working days
    fee_amount: Decimal = Decimal("0")  # AZN
    fee_exemptions: tuple[str, ...] = ()
    online_url: str | None = None
    channels: tuple[str, ...] = ()
    legal_basis: tuple[LegalBasis, ...] = ()
    requirements: tuple[Evidence, ...] = ()  # in the order the applicant is told
    outputs: tuple[Output, ...] = ()
    centres: tuple[str, ...] = ()
    buses: tuple[str, ...] = ()
    systems: tuple[str, ...] = ()  # information systems it DEPENDS_ON
    categories: tuple[str, ...] = ()
    contact_point: ContactPoint | None = None  # where applicants ask about it


@dataclass(frozen=True)
class ServicePatch:
    """An update: None leaves a field as it is; a given list replaces the whole list."""

    code: str
    name_az: str | None = None
    name_en: str | None = None
    name_ru: str | None = None
    provider: str | None = None
    description_az: str | None = None
    description_en: str | None = None
    description_ru: str | None = None
    processing_days: int | None = None
    fee_amount: Decimal | None = None
    fee_exemptions: tuple[str, ...] | None = None
    online_url: str | None = None
    channels: tuple[str, ...] | None = None
    legal_basis: tuple[LegalBasis, ...] | None = None
    requirements: tuple[Evidence, ...] | None = None
    outputs: tuple[Output, ...] | None = None
    centres: tuple[str, ...] | None = None
    buses: tuple[str, ...] | None = None
    systems: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None
    contact_point: ContactPoint | None = None  # an empty one clears it


@dataclass(frozen=True)
class Service:
    """A service's own properties as lists show them (relationships load separately)."""

    code: str
    name_az: str
    name_en: str
    name_ru: str
    name_fold: str
    description_az: str
    description_en: str
    description_ru: str
    status: str
    processing_days: int | None
    fee_amount: Decimal
    fee_exemptions: tuple[str, ...]
    online_url: str | None
    version: int
    created_at: datetime | None
    updated_at: datetime | None
    provider: str | None
    contact_point: ContactPoint | None = None


@dataclass(frozen=True)
class ServiceRelations:
    """A service's linked lists other than its required documents, as its fields show them.

    Ordered as ``StoredService.content`` orders them: channels in ``CHANNELS`` order, the rest
    by code. Required documents load on their own (``repository.requirements_by_service``).
    """

    channels: tuple[str, ...] = ()
    legal_basis: tuple[LegalBasis, ...] = ()
    outputs: tuple[Output, ...] = ()
    centres: tuple[str, ...] = ()
    buses: tuple[str, ...] = ()
    systems: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoredService:
    """What a write needs to know about an existing service: its content, status, version."""

    content: ServiceInput
    status: str
    version: int


@dataclass(frozen=True)
class ServiceWrite:
    """One row of a batch upsert (``repository.upsert_services``)."""

    content: ServiceInput
    status: str
    version: int
    changes: dict[str, dict[str, object]] | None  # field diff; None: nothing to version
    status_from: str | None = None


@dataclass(frozen=True)
class ServiceVersion:
    number: int
    at: datetime
    actor: str
    status_from: str | None
    status_to: str | None
    changes: dict[str, dict[str, object]]


@dataclass(frozen=True)
class RegistrationRequest:
    id: str
    kind: str
    status: str
    service: str
    state_body: str
    submitted_at: datetime
    review_due: date
    defects: tuple[str, ...] = ()
    fix_due: date | None = None
    decided_at: datetime | None = None
    service_version: int = 0
    summary: str = ""  # what a change request changes (kind "change")
    resubmissions: int = 0
    defect_fields: tuple[str, ...] = ()  # per defect, the input field it names ("": none)
    proposal: ServicePatch | None = None  # a change request's content: the fields it changes
    clear: tuple[str, ...] = ()  # optional fields the proposal clears (online_url, ...)
    base: ServiceInput | None = None  # the published content the proposal was made against
    reviews: tuple[RequestReview, ...] = ()


REVIEW_DECISIONS: Final = ("pending", "approved", "returned")
AGENCY_REVIEWER: Final = "agency"  # the agency's own review, always required


@dataclass(frozen=True)
class RequestReview:
    """One required reviewer's decision on a registration request, with its own deadline."""

    reviewer: str  # AGENCY_REVIEWER or the code of the body responsible for a legal basis
    decision: str  # one of REVIEW_DECISIONS
    due: date
    decided_at: datetime | None = None
    defects: tuple[str, ...] = ()
    overdue: bool = False  # marked once by the overdue sweep


@dataclass(frozen=True)
class AsanCentreInput:
    code: str
    name: str
    region: str
    address: str
    hours: str = "09:00-19:00"  # open every calendar day


AsanCentre = AsanCentreInput


@dataclass(frozen=True)
class BusStopInput:
    code: str
    name: str
    region: str
    address: str = ""


BusStop = BusStopInput


@dataclass(frozen=True)
class StopVisit:
    stop: str  # bus stop code
    weekday: int  # 1 = Monday .. 7 = Sunday (ISO)
    starts_at: str  # "HH:MM"
    ends_at: str


@dataclass(frozen=True)
class MobileBusInput:
    code: str
    name: str
    stops: tuple[StopVisit, ...] = ()


@dataclass(frozen=True)
class MobileBus:
    code: str
    name: str


@dataclass(frozen=True)
class ServiceFilter:
    body: str | None = None
    category: str | None = None
    channel: str | None = None
    centre: str | None = None
    stop: str | None = None
    system: str | None = None
    status: str | None = None
    search: str | None = None
    updated_since: datetime | None = None  # services whose content or status changed since
    region: str | None = None  # offered at a centre or a bus stop in it (name, folded)


@dataclass(frozen=True)
class Visibility:
    """Which non-published services a reader may see (decided by policy, applied in Cypher)."""

    all_statuses: bool = False
    own_body: str | None = None


@dataclass(frozen=True)
class ImpactedService:
    service: Service
    hops: int  # 0: depends on the system directly; n: through n data-exchange links


@dataclass(frozen=True)
class Impact:
    system: InformationSystem
    total_services: int  # every impacted service the caller may see
    services: tuple[ImpactedService, ...]  # one page of them, nearest first
    centres: tuple[AsanCentre, ...]  # every centre offering any impacted service


@dataclass(frozen=True)
class PathStep:
    kind: str  # "Service" | "InformationSystem"
    code: str
    name_az: str


@dataclass(frozen=True)
class ChannelCount:
    channel: str
    services: int


@dataclass(frozen=True)
class Coverage:
    body: str
    name_az: str
    services: int
    online: int
    channels: tuple[ChannelCount, ...] = field(default_factory=tuple)

    @property
    def e_service_share(self) -> float:
        return self.online / self.services if self.services else 0.0


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    total: int


@dataclass(frozen=True)
class ReferenceBatch:
    """Reference data written together (bulk import, sample registry): one transaction."""

    bodies: tuple[StateBodyInput, ...] = ()
    systems: tuple[InformationSystemInput, ...] = ()
    links: tuple[DataLink, ...] = ()
    categories: tuple[CategoryInput, ...] = ()
    centres: tuple[AsanCentreInput, ...] = ()
    stops: tuple[BusStopInput, ...] = ()
    buses: tuple[MobileBusInput, ...] = ()
