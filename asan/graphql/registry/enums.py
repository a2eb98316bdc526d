"""The registry's GraphQL enums: kept apart because nodes, inputs and root fields all use them.

Every value set that is closed in the catalog (``models.STATE_BODY_KINDS``,
``models.CATEGORY_KINDS``, ...) is an enum here, so a misspelt value is a validation error
naming the argument instead of a filter that silently finds nothing.
"""

from __future__ import annotations

import enum

import strawberry

from asan.graphql.described import value


@strawberry.enum(description="How a citizen reaches a service.")
class ChannelCode(enum.Enum):
    ASAN_CENTRE = value("ASAN_CENTRE", "In person at an ASAN service centre (ASAN xidmət mərkəzi).")
    MOBILE_BUS = value("MOBILE_BUS", "At a stop of a mobile service bus (səyyar xidmət).")
    ONLINE = value("ONLINE", "As an e-service (elektron xidmət), fully online.")
    CALL_CENTRE_108 = value("CALL_CENTRE_108", "Through the agency's call centre, phone 108.")


@strawberry.enum(description="Lifecycle status of a registered service.")
class ServiceStatus(enum.Enum):
    DRAFT = value("draft", "Being prepared by its state body; visible to it and reviewers.")
    UNDER_REVIEW = value(
        "under_review", "Submitted for registration, awaiting the agency's review."
    )
    PUBLISHED = value("published", "Registered and visible to everyone.")
    SUSPENDED = value("suspended", "Temporarily not provided; may be resumed.")
    WITHDRAWN = value("withdrawn", "No longer provided; kept for the record.")


@strawberry.enum(description="Orderings of the services list (keyset paging in each).")
class ServiceOrderField(enum.Enum):
    NAME = value("NAME", "By Azerbaijani name in the Azerbaijani alphabet, then code.")
    CODE = value("CODE", "By service code.")
    PROCESSING_DAYS = value(
        "PROCESSING_DAYS",
        "By processing time in working days (unknown last), then name.",
    )
    FEE = value("FEE", "By fee in AZN, then name.")


@strawberry.enum(description="Kind of a state body (dövlət orqanı).")
class StateBodyKind(enum.Enum):
    MINISTRY = value("ministry", "A ministry (nazirlik).")
    COMMITTEE = value("committee", "A state committee (komitə).")
    SERVICE = value(
        "service", "A state service (dövlət xidməti), e.g. the State Migration Service."
    )
    AGENCY = value("agency", "A state agency (agentlik), e.g. ASAN xidmət itself.")
    OTHER = value("other", "Any other kind of state body.")


@strawberry.enum(description="Kind of a service category.")
class CategoryKind(enum.Enum):
    CATEGORY = value("category", "A subject-matter category (e.g. transport, social protection).")
    LIFE_EVENT = value("life_event", "A life event (e.g. birth of a child) grouping services.")


@strawberry.enum(description="Kind of a step in a dependency path.")
class PathStepKind(enum.Enum):
    SERVICE = value("Service", "A service of the registry.")
    INFORMATION_SYSTEM = value("InformationSystem", "A state information system.")
