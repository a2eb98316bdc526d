"""GraphQL types of contact points and information-system register entries (issue 9 point 6)."""

from __future__ import annotations

from enum import Enum
from typing import cast

import strawberry

from asan.registry.catalog import models as m


def value(raw: str, description: str) -> str:
    """An enum member's value with its description (strawberry turns it into ``raw``)."""
    return cast(str, strawberry.enum_value(raw, description=description))


@strawberry.enum(description="Where an information system is in its life (lifecycle status).")
class SystemLifecycle(Enum):
    PLANNED = value("planned", "Decided, not yet being built.")
    IN_DEVELOPMENT = value("in_development", "Being built.")
    IN_OPERATION = value("in_operation", "In use.")
    BEING_RETIRED = value("being_retired", "Still running, being replaced or shut down.")
    RETIRED = value("retired", "Shut down.")


@strawberry.enum(description="Security class of the data a system holds.")
class SecurityClass(Enum):
    PUBLIC = value("public", "Public information.")
    INTERNAL = value("internal", "For official use only.")
    CONFIDENTIAL = value("confidential", "Personal or otherwise protected data.")
    SECRET = value("secret", "State secret.")


@strawberry.type(description="Where people reach a body or system (CPSV-AP ContactPoint).")
class ContactPoint:
    email: str = strawberry.field(description="E-mail address; empty when not given.")
    telephone: str = strawberry.field(description="Telephone number; empty when not given.")
    opening_hours: str = strawberry.field(description="When it answers, as free text.")
    url: str = strawberry.field(description="An https:// contact page; empty when not given.")

    @classmethod
    def of(cls, cp: m.ContactPoint) -> ContactPoint:
        return cls(
            email=cp.email, telephone=cp.telephone, opening_hours=cp.opening_hours, url=cp.url
        )


@strawberry.input(description="A contact point; empty parts are left out.")
class ContactPointInput:
    email: str = strawberry.field(default="", description="E-mail address.")
    telephone: str = strawberry.field(default="", description="Digits, spaces and + ( ) -.")
    opening_hours: str = strawberry.field(default="", description="When it answers (free text).")
    url: str = strawberry.field(default="", description="An https:// contact page.")

    def to_model(self) -> m.ContactPoint:
        return m.ContactPoint(self.email, self.telephone, self.opening_hours, self.url)


@strawberry.type(
    name="XRoadService",
    description="A system's address on X-Road (the data-exchange layer) and its service codes.",
)
class XRoadServiceType:
    instance: str = strawberry.field(description="X-Road instance, e.g. AZ.")
    member_class: str = strawberry.field(description="Member class, e.g. GOV.")
    member_code: str = strawberry.field(description="The operator's member code.")
    subsystem_code: str = strawberry.field(description="The system's subsystem code.")
    service_codes: list[str] = strawberry.field(description="Services it offers on X-Road.")


@strawberry.input(description="A system's X-Road address and service codes.")
class XRoadServiceInput:
    instance: str = strawberry.field(description="X-Road instance, e.g. AZ.")
    member_class: str = strawberry.field(description="Member class, e.g. GOV.")
    member_code: str = strawberry.field(description="The operator's member code.")
    subsystem_code: str = strawberry.field(description="The system's subsystem code.")
    service_codes: list[str] = strawberry.field(
        default_factory=list, description="Services it offers on X-Road (at most 200)."
    )

    def to_model(self) -> m.XRoadService:
        return m.XRoadService(
            self.instance,
            self.member_class,
            self.member_code,
            self.subsystem_code,
            tuple(self.service_codes),
        )


@strawberry.type(description="The register entry of an information system beyond its names.")
class InformationSystemRecord:
    lifecycle: SystemLifecycle = strawberry.field(description="Lifecycle status.")
    security_class: SecurityClass = strawberry.field(description="Security class of its data.")
    data_objects: list[str] = strawberry.field(description="What data it holds (Azerbaijani).")
    contact_point: ContactPoint | None = strawberry.field(description="Who answers for it.")
    xroad: XRoadServiceType | None = strawberry.field(description="Its X-Road identifiers.")

    @classmethod
    def of(cls, r: m.SystemRecord) -> InformationSystemRecord:
        x = r.xroad
        return cls(
            lifecycle=SystemLifecycle(r.lifecycle),
            security_class=SecurityClass(r.security_class),
            data_objects=list(r.data_objects),
            contact_point=ContactPoint.of(r.contact_point) if r.contact_point else None,
            xroad=XRoadServiceType(
                instance=x.instance,
                member_class=x.member_class,
                member_code=x.member_code,
                subsystem_code=x.subsystem_code,
                service_codes=list(x.service_codes),
            )
            if x
            else None,
        )


@strawberry.input(description="An information system's register entry (replaces the stored one).")
class InformationSystemRecordInput:
    lifecycle: SystemLifecycle = strawberry.field(
        default=SystemLifecycle.IN_OPERATION, description="Lifecycle status."
    )
    security_class: SecurityClass = strawberry.field(
        default=SecurityClass.INTERNAL, description="Security class of its data."
    )
    data_objects: list[str] = strawberry.field(
        default_factory=list, description="What data it holds (at most 100 entries)."
    )
    contact_point: ContactPointInput | None = strawberry.field(
        default=None, description="Who answers for it."
    )
    xroad: XRoadServiceInput | None = strawberry.field(
        default=None, description="Its X-Road identifiers."
    )

    def to_model(self) -> m.SystemRecord:
        return m.SystemRecord(
            lifecycle=self.lifecycle.value,
            security_class=self.security_class.value,
            data_objects=tuple(self.data_objects),
            contact_point=self.contact_point.to_model() if self.contact_point else None,
            xroad=self.xroad.to_model() if self.xroad else None,
        )
