"""The registration card of a document and the fixed vocabularies every EDMS part shares.

A card is a plain value: use cases validate it (``validation.py``) and the repository writes
it. Vocabularies are tuples so GraphQL enums and Cypher checks read the same list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Final

KINDS: Final = ("incoming", "outgoing", "internal", "order", "appeal")
CLASSIFICATIONS: Final = ("public", "service_secret", "state_secret")
CORRESPONDENT_KINDS: Final = ("state_body", "organisation", "person")
# How a document reached (or leaves) the agency; appeals use the last five.
CHANNELS: Final = (
    "mail",
    "courier",
    "email",
    "fax",
    "in_person",
    "electronic",  # inter-agency delivery through an integrator's system
    "reception",
    "website",
    "call_centre_108",
    "asan_centre",
)
LANGUAGES: Final = ("az", "en", "ru", "other")


@dataclass(frozen=True)
class JournalSpec:
    """A registration journal as the migration seeds it; ``pattern`` is configurable later."""

    code: str
    kind: str  # the document kind it registers
    name_az: str
    name_en: str
    pattern: str


# Journals seeded by migration edms:0001. Patterns: {seq} the yearly sequence ({seq:4} pads
# with zeros), {year}, {yy}, {unit} the owning unit's code, {index} the case index, {journal}.
JOURNALS: Final[tuple[JournalSpec, ...]] = (
    JournalSpec("INC", "incoming", "Daxil olan sənədlər", "Incoming documents", "G-{seq}/{year}"),
    JournalSpec("OUT", "outgoing", "Göndərilən sənədlər", "Outgoing documents", "Ç-{seq}/{year}"),
    JournalSpec("INT", "internal", "Daxili sənədlər", "Internal documents", "D-{seq}/{year}"),
    JournalSpec("ORD", "order", "Əmrlər və qərarlar", "Orders and decisions", "{seq}-ƏQ/{year}"),
    JournalSpec(
        "APL-P", "appeal", "Vətəndaşların təklifləri", "Citizens' proposals", "T-{seq}/{year}"
    ),
    JournalSpec(
        "APL-A", "appeal", "Vətəndaşların ərizələri", "Citizens' applications", "Ə-{seq}/{year}"
    ),
    JournalSpec(
        "APL-C", "appeal", "Vətəndaşların şikayətləri", "Citizens' complaints", "Ş-{seq}/{year}"
    ),
)
# The journal a document of each kind is numbered in when the caller names none.
DEFAULT_JOURNAL: Final[dict[str, str]] = {
    "incoming": "INC",
    "outgoing": "OUT",
    "internal": "INT",
    "order": "ORD",
    "appeal": "APL-A",
}


@dataclass(frozen=True)
class RegNumber:
    """A registration number as assigned: the rendered ``number`` and its parts."""

    number: str
    seq: int
    year: int


@dataclass(frozen=True)
class DocumentCard:
    """What a registration card records (issue 10, point 1).

    ``unit`` is the owning OrgUnit code (the executing unit of a draft); the correspondent is a
    state body from the registry (``correspondent_body``, a code), an organisation or a person
    (``correspondent_name``); ``correspondent_number``/``_date`` are their own outgoing number
    and date.
    """

    kind: str
    subject: str
    unit: str | None = None
    summary: str | None = None
    pages: int | None = None
    attachments: int | None = None
    channel: str | None = None
    language: str = "az"
    classification: str = "public"
    case_index: str | None = None
    journal_code: str | None = None
    correspondent_kind: str | None = None
    correspondent_body: str | None = None
    correspondent_name: str | None = None
    correspondent_number: str | None = None
    correspondent_date: date | None = None
    sample: bool = False
    involved: tuple[str, ...] = field(default_factory=tuple)


# Card fields a later edit may change, as (API name, attribute) pairs.
CARD_FIELDS: Final[tuple[tuple[str, str], ...]] = (
    ("subject", "subject"),
    ("summary", "summary"),
    ("pages", "pages"),
    ("attachments", "attachments"),
    ("channel", "channel"),
    ("language", "language"),
    ("classification", "classification"),
    ("caseIndex", "case_index"),
    ("unit", "unit"),
    ("correspondentKind", "correspondent_kind"),
    ("correspondentBody", "correspondent_body"),
    ("correspondentName", "correspondent_name"),
    ("correspondentNumber", "correspondent_number"),
    ("correspondentDate", "correspondent_date"),
)


@dataclass(frozen=True)
class DocumentEvent:
    """One step of a document's timeline."""

    id: str
    document_id: str
    at: str
    step: str
    actor: str
    acting_for: str | None
    details: str | None  # JSON object text
