"""Mailing lists and the dispatch register as use cases take and return them.

One node per addressee (``:DispatchEntry``) serves both: while the document is being prepared
it is a planned line of the mailing list (status ``planned``); dispatch turns every line into
a register entry (``sent``, later ``delivered`` or ``returned``) with its dates, so the
register is the mailing list as it was actually sent, never a copy that could drift from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

# whom a line addresses
STATE_BODY: Final = "state_body"  # a body of the services registry (StateBody.code)
ORGANISATION: Final = "organisation"  # any other organisation, by name and address
PERSON: Final = "person"  # a natural person
ORG_UNIT: Final = "org_unit"  # a unit of the agency itself (internal documents, orders)
ADDRESSEE_KINDS: Final = (STATE_BODY, ORGANISATION, PERSON, ORG_UNIT)

# how it travels
SYSTEM: Final = "system"  # the body's system, through its webhook (electronic exchange)
EMAIL: Final = "email"
POST: Final = "post"
COURIER: Final = "courier"
HAND: Final = "hand"  # handed over against signature
METHODS: Final = (SYSTEM, EMAIL, POST, COURIER, HAND)
ELECTRONIC: Final = frozenset({SYSTEM, EMAIL})

# where each line stands
PLANNED: Final = "planned"
SENT: Final = "sent"
DELIVERED: Final = "delivered"
RETURNED: Final = "returned"
STATUSES: Final = (PLANNED, SENT, DELIVERED, RETURNED)

# The change-log kind of a register entry once sent; the integrators' feed shows it to the
# addressee body's systems when it travels by SYSTEM (asan/integration/kinds.py).
DELIVERY_KIND: Final = "DocumentDelivery"


@dataclass(frozen=True)
class AddresseeInput:
    kind: str
    method: str
    state_body: str | None = None
    org_unit: str | None = None
    name: str | None = None
    address: str | None = None
    email: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class DispatchEntry:
    id: str
    document_id: str
    position: int
    kind: str
    method: str
    status: str
    state_body: str | None
    org_unit: str | None
    name: str | None
    address: str | None
    email: str | None
    note: str | None
    sent_at: datetime | None
    delivered_at: datetime | None
    returned_at: datetime | None
    reason: str | None
    tracking: str | None
    file_id: str | None
    sha256: str | None
    acknowledged_by: str | None
    reply_document_id: str | None

    @classmethod
    def of(cls, row: Any) -> DispatchEntry:
        def at(name: str) -> datetime | None:
            value = row[name]
            found = value.to_native() if hasattr(value, "to_native") else value
            return found if isinstance(found, datetime) else None

        return cls(
            id=row["id"],
            document_id=row["documentId"],
            position=int(row["position"]),
            kind=row["addresseeKind"],
            method=row["method"],
            status=row["status"],
            state_body=row["stateBody"],
            org_unit=row["orgUnit"],
            name=row["name"],
            address=row["address"],
            email=row["email"],
            note=row["note"],
            sent_at=at("sentAt"),
            delivered_at=at("deliveredAt"),
            returned_at=at("returnedAt"),
            reason=row["reason"],
            tracking=row["tracking"],
            file_id=row["fileId"],
            sha256=row["sha256"],
            acknowledged_by=row["acknowledgedBy"],
            reply_document_id=row["replyDocumentId"],
        )


@dataclass(frozen=True)
class Outcome:
    """What the registrar records for a line sent by hand, post, courier or email."""

    entry_id: str
    status: str  # delivered | returned
    at: datetime | None = None  # when it happened; None: now
    reason: str | None = None  # why it came back (required for returned)
    tracking: str | None = None  # the post's or courier's tracking number


@dataclass(frozen=True)
class IncomingFromAgency:
    """A document another body's system sends to the agency (sendDocumentToAgency)."""

    subject: str
    number: str  # the sender's own registration number
    date: str  # the sender's registration date, ISO
    data: bytes | None  # None: the request carried no file part (refused after the policy)
    filename: str
    content_type: str | None = None
    summary: str | None = None
    pages: int | None = None
    language: str | None = None
    in_reply_to: str | None = None  # the delivery (register entry) this answers, if any
