"""Reception slots and visits.

``(:ReceptionSlot {id, official, officialName, position, unit, startsAt, endsAt, place,
capacity, status, createdAt, createdBy, sample})``: one sitting of an official of the
leadership (chairman, head, deputy head, sector head) for the matters of ``unit`` and the
units under it. ``(:ReceptionVisit {id, slotId, visitorName, visitorFold, contact, address,
matter, matterUnit, status, registeredAt, registeredBy, receivedAt, notes, appealId})
-[:AT]->(:ReceptionSlot)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

LEADERSHIP_KINDS: Final = ("chairman", "head", "deputy_head", "sector_head")
SLOT_STATUSES: Final = ("scheduled", "cancelled")
VISIT_STATUSES: Final = ("booked", "received", "no_show")
MAX_CAPACITY: Final = 30


@dataclass(frozen=True)
class NewSlot:
    official: str  # username of the official who receives
    starts_at: datetime
    ends_at: datetime
    place: str
    capacity: int = 10
    unit: str | None = None  # default: the unit of the official's leadership position
    sample: bool = False  # sample data (make run), never in production


@dataclass(frozen=True)
class Visitor:
    name: str
    contact: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class NewVisit:
    visitor: Visitor
    matter: str  # what the visitor wants to raise
    matter_unit: str  # the org unit whose competence the matter is in
    slot_id: str | None = None  # none: the earliest competent slot with a free place
    sample: bool = False


@dataclass(frozen=True)
class Slot:
    id: str
    official: str
    official_name: str | None
    position: str | None
    unit: str
    starts_at: datetime
    ends_at: datetime
    place: str
    capacity: int
    status: str
    booked: int


@dataclass(frozen=True)
class Visit:
    id: str
    slot_id: str
    visitor: Visitor
    matter: str
    matter_unit: str
    status: str
    registered_at: datetime
    received_at: datetime | None
    notes: str | None
    appeal_id: str | None
