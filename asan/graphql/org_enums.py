"""The org domain's GraphQL enums (levels of units, kinds of posts), apart from its resolvers."""

from __future__ import annotations

import enum

import strawberry

from asan.graphql.described import value


@strawberry.enum(description="Level of an org unit.")
class OrgUnitKind(enum.Enum):
    AGENCY = value("agency", "The agency itself (Agentlik).")
    OFFICE = value("office", "The agency's central office (Aparat).")
    DEPARTMENT = value("department", "A department (şöbə) of the central office.")
    SECTOR = value("sector", "A sector (sektor) within a department or centre.")
    CENTRE = value("centre", "An ASAN service centre (mərkəz) under the agency.")


@strawberry.enum(description="Kind of a position in an org unit.")
class PositionKind(enum.Enum):
    CHAIRMAN = value("chairman", "The agency's chairman (sədr).")
    HEAD = value("head", "Head of a department or centre (müdir).")
    DEPUTY_HEAD = value(
        "deputy_head", "Deputy head (müavin); one also leads a sector and stands in for the head."
    )
    SECTOR_HEAD = value("sector_head", "Head of a sector (sektor müdiri).")
    STAFF = value("staff", "Other staff of the unit.")
