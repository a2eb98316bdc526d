"""Registry object types without a global id: the values nodes and payloads are made of.

Kept apart from ``nodes.py`` because they load nothing themselves: plain data built from the
catalog's models (documents, legal basis, versions, registration requests, coverage, ...).
"""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.scalars import JSON

from asan.graphql.registry.enums import ChannelCode
from asan.registry.catalog import models as m


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
