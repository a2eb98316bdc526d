"""Registry object types without a global id: the values nodes and payloads are made of.

Kept apart from ``nodes.py`` because they load nothing themselves: plain data built from the
catalog's models (documents, legal basis, versions, registration requests, coverage, ...).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from asan.graphql.registry.enums import CategoryKind, ChannelCode, PathStepKind, ServiceStatus
from asan.registry.catalog import models as m

NAME_AZ = "Name in Azerbaijani (the official name)."
NAME_EN = "Name in English; empty when not translated."
NAME_RU = "Name in Russian; empty when not translated."
USE_NAME_AZ = "Use nameAz; removed after 2027-06-30"


@strawberry.type(description="A stop (dayanacaq məntəqəsi) where mobile service buses halt.")
class BusStop:
    code: str = strawberry.field(description="Stable code of the stop.")
    name_az: str = strawberry.field(description=NAME_AZ)
    region: str = strawberry.field(description="Region (rayon or city) of the stop.")
    address: str = strawberry.field(description="Street address, in Azerbaijani.")

    @strawberry.field(description="Name in Azerbaijani.", deprecation_reason=USE_NAME_AZ)
    def name(self) -> str:
        return self.name_az


@strawberry.type(description="One weekly stop of a mobile bus.")
class BusStopVisit:
    weekday: int = strawberry.field(description="Day of the week: 1 = Monday .. 7 = Sunday.")
    starts_at: str = strawberry.field(description="Local time the bus opens, HH:MM (Asia/Baku).")
    ends_at: str = strawberry.field(description="Local time the bus closes, HH:MM (Asia/Baku).")
    stop: BusStop = strawberry.field(description="Where the bus stands.")


@strawberry.type(description="A category or life event that groups services.")
class Category:
    code: str = strawberry.field(description="Stable code of the category.")
    name_az: str = strawberry.field(description=NAME_AZ)
    name_en: str = strawberry.field(description=NAME_EN)
    name_ru: str = strawberry.field(description=NAME_RU)
    kind: CategoryKind = strawberry.field(description="Subject category or life event.")

    @classmethod
    def of(cls, c: m.CategoryInput) -> Category:
        return cls(
            code=c.code,
            name_az=c.name_az,
            name_en=c.name_en,
            name_ru=c.name_ru,
            kind=CategoryKind(c.kind),
        )


@strawberry.type(description="A document the applicant must bring, in the order told.")
class RequiredDocument:
    position: int = strawberry.field(description="1-based place in the list told to applicants.")
    code: str = strawberry.field(description="Code of the shared document (evidence) entry.")
    name_az: str = strawberry.field(description=NAME_AZ)
    name_en: str = strawberry.field(description=NAME_EN)
    name_ru: str = strawberry.field(description=NAME_RU)
    condition: str | None = strawberry.field(description="When it is needed; null: always.")


@strawberry.type(description="A legal act (and its articles) a service rests on.")
class LegalBasis:
    act_code: str = strawberry.field(description="Code of the legal act in the registry.")
    title: str = strawberry.field(description="Title of the act, in Azerbaijani.")
    articles: list[str] = strawberry.field(description='Articles relied on, e.g. "12.3".')


@strawberry.type(name="ServiceOutput", description="What the applicant receives from a service.")
class OutputDocument:
    code: str = strawberry.field(description="Code of the shared output entry.")
    name_az: str = strawberry.field(description=NAME_AZ)
    name_en: str = strawberry.field(description=NAME_EN)
    name_ru: str = strawberry.field(description=NAME_RU)


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


# recorded under the model's names; the API's inputs and Service call them so
CURRENT_NAMES = {
    "centres": "asanCentres",
    "buses": "mobileBuses",
    "systems": "informationSystems",
}


def version_changes(changes: dict[str, Any]) -> Any:
    """A recorded diff keyed by today's API field names, camelCase at every level."""
    keyed = camel_keys(changes)
    return {CURRENT_NAMES.get(k, k): v for k, v in keyed.items()}


def camel_keys(value: Any) -> Any:
    """Every key at every level in the API's camelCase (older versions stored snake_case)."""
    if isinstance(value, dict):
        return {_camel(str(k)): camel_keys(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [camel_keys(v) for v in value]
    return value


@strawberry.type(description="One recorded change of a service.")
class ServiceVersion:
    number: int = strawberry.field(description="Version number, from 1, one per change.")
    at: datetime = strawberry.field(description="When the change was committed (UTC).")
    actor: str | None = strawberry.field(
        description="Who made the change (user or service-account id); null unless the caller "
        "is the service's own state body or a registry reviewer."
    )
    status_from: ServiceStatus | None = strawberry.field(
        description="Status before a status change; null when the status did not change."
    )
    status_to: ServiceStatus | None = strawberry.field(
        description="Status after a status change; null when the status did not change."
    )
    changes: JSON = strawberry.field(
        description="Field diff {field: {from, to}}, keyed (at every level) by the camelCase "
        "field names of Service and its inputs; a status change also has {status: {from, to}}."
    )


@strawberry.type(description="One step of a dependency chain from a service to a system.")
class PathStep:
    kind: PathStepKind = strawberry.field(description="Whether the step is a service or a system.")
    code: str = strawberry.field(description="Code of the service or information system.")
    name_az: str = strawberry.field(description=NAME_AZ)


@strawberry.type(description="How many published services of a body one channel offers.")
class ChannelCount:
    channel: ChannelCode = strawberry.field(description="The channel.")
    services: int = strawberry.field(description="Published services offered through it.")


@strawberry.type(description="Published services of a body and how they are offered.")
class BodyCoverage:
    state_body_code: str = strawberry.field(description="Code of the state body.")
    name_az: str = strawberry.field(description="Name of the state body in Azerbaijani.")
    services: int = strawberry.field(description="Its published services.")
    e_services: int = strawberry.field(
        description="Published services offered as e-services (the ONLINE channel)."
    )
    e_service_share: float = strawberry.field(
        description="Share of e-services, eServices / services, 0..1 (0 without services)."
    )
    channels: list[ChannelCount] = strawberry.field(
        description="Services per channel (at most the 4 channels)."
    )

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
