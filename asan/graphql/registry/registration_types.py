"""Enums and value types of registration requests (kept apart from the root fields' module).

``status`` and ``kind`` are closed enums, so a misspelt filter value is a validation error
naming the argument instead of a filter that silently finds nothing.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import strawberry
from strawberry.scalars import JSON

# --------------------------------------------------------------------------------- enums


@strawberry.enum(description="Where a registration request (qeydiyyat müraciəti) stands.")
class RegistrationRequestStatus(enum.Enum):
    SUBMITTED = strawberry.enum_value("submitted", description="Waiting for its reviews.")
    REGISTERED = strawberry.enum_value(
        "registered", description="Registered: the service was published or the change applied."
    )
    RETURNED = strawberry.enum_value(
        "returned", description="Returned with defects; the body fixes and resubmits it."
    )


@strawberry.enum(description="What a registration request asks for.")
class RegistrationRequestKind(enum.Enum):
    REGISTRATION = strawberry.enum_value(
        "registration", description="Register (publish) a new service from its draft."
    )
    CHANGE = strawberry.enum_value(
        "change", description="Change a published service (its proposed content, if any)."
    )


@strawberry.enum(description="One reviewer's decision on a registration request.")
class ReviewDecision(enum.Enum):
    PENDING = strawberry.enum_value("pending", description="Not decided yet.")
    APPROVED = strawberry.enum_value("approved", description="Approved by this reviewer.")
    RETURNED = strawberry.enum_value("returned", description="Returned with defects.")


@strawberry.enum(description="The decision a responsible body gives on its review.")
class ReviewVerdict(enum.Enum):
    APPROVE = strawberry.enum_value("approve", description="Approve the request.")
    RETURN = strawberry.enum_value("return", description="Return it with defects.")


# --------------------------------------------------------------------------------- types


@strawberry.type(description="A defect a reviewer found (qüsur), optionally in one field.")
class Defect:
    field: str | None = strawberry.field(
        description="The content field it concerns (API name, e.g. `requirements`); null: none."
    )
    text: str = strawberry.field(description="What is wrong and what to fix.")


@strawberry.type(description="One required reviewer's decision and deadline.")
class RequestReview:
    reviewer: str = strawberry.field(
        description="`agency` (ASAN xidmət, always required) or the code of the state body "
        "responsible for a legal act of the service."
    )
    decision: ReviewDecision = strawberry.field(description="This reviewer's decision.")
    due: date = strawberry.field(description="Its deadline (working days after submission).")
    decided_at: datetime | None = strawberry.field(description="When it decided; null: pending.")
    defects: list[str] = strawberry.field(description="Defects it gave when returning.")
    overdue: bool = strawberry.field(
        description="Marked by the overdue sweep once the deadline passed while still pending."
    )


@strawberry.type(description="One field a change request changes: published vs proposed.")
class FieldChange:
    field: str = strawberry.field(description="API name of the service field, e.g. `feeAmount`.")
    current: JSON | None = strawberry.field(description="The published value.")
    proposed: JSON | None = strawberry.field(description="The proposed value.")
    added: list[JSON] = strawberry.field(
        description="For list fields (required documents, legal basis, ...): items added."
    )
    removed: list[JSON] = strawberry.field(description="For list fields: items removed.")
