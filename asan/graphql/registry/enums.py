"""The registry's GraphQL enums: kept apart because nodes, inputs and root fields all use them."""

from __future__ import annotations

import enum

import strawberry


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
