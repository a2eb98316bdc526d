"""Drafts (layihə) of outgoing, internal and order documents, their addressees and visa routes.

A draft is a ``Document`` in status ``draft`` (E's card); what only drafts have lives here:
the addressees the mailing list starts from, the visa route (ordered stages of parallel steps,
then the signatory), the visas given (kept for every version: the history), and the
registrar's form checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

DRAFT_KINDS: Final = ("outgoing", "internal", "order")

# Addressees: a state body of the registry (by code), a unit of the agency (internal
# documents and orders are addressed to units), another organisation, or a person.
ADDRESSEE_KINDS: Final = ("state_body", "org_unit", "organisation", "person")

# Roles a visa step plays on the route; legal expertise is mandatory on orders (the agency's
# non-normative legal acts, Legal Support department 3.1.3).
STEP_ROLES: Final = ("sector_head", "department_head", "legal_expertise", "other")
LEGAL_EXPERTISE: Final = "legal_expertise"

# A visa holder's decision (viza): approve, approve with remarks (qeydlərlə), reject with reasons.
APPROVE: Final = "approve"
APPROVE_WITH_REMARKS: Final = "approve_with_remarks"
REJECT: Final = "reject"
DECISIONS: Final = (APPROVE, APPROVE_WITH_REMARKS, REJECT)

# Where a visa step stands in the current round of its route.
STEP_WAITING: Final = "waiting"  # an earlier stage is not complete
STEP_PENDING: Final = "pending"  # its stage is current: the holder may decide
STEP_APPROVED: Final = "approved"
STEP_APPROVED_WITH_REMARKS: Final = "approved_with_remarks"
STEP_REJECTED: Final = "rejected"
STEP_REPLACED: Final = "replaced"  # the route was replaced before it finished
DONE_STATUSES: Final = frozenset({STEP_APPROVED, STEP_APPROVED_WITH_REMARKS})

FORM_ACCEPTED: Final = "accepted"
FORM_REJECTED: Final = "rejected"


@dataclass(frozen=True)
class Addressee:
    """One addressee of a draft, as stored (``(:Addressee)-[:OF]->(:Document)``)."""

    kind: str
    state_body: str | None = None  # code of a registry state body (kind state_body)
    org_unit: str | None = None  # code of an agency unit (kind org_unit)
    name: str = ""  # organisation's or person's name; for bodies/units, the registry's
    address: str = ""  # postal address (organisations, persons)
    email: str = ""
    position: int = 0  # order on the mailing list


@dataclass(frozen=True)
class StepSpec:
    """One visa step as asked for: its stage (1-based), who (a user, or a position resolved
    to its holder), and whether a new version asks it again."""

    stage: int
    role: str
    user: str | None = None
    position_code: str | None = None
    restart_on_new_version: bool = True


@dataclass(frozen=True)
class RouteSpec:
    """A visa route as asked for: steps numbered by stage (stages run in order, the steps of
    one stage in parallel), then the signatory."""

    steps: tuple[StepSpec, ...]
    signatory: str | None = None
    signatory_position: str | None = None


@dataclass(frozen=True)
class DraftInput:
    kind: str
    subject: str
    unit: str  # executing unit (icraçı struktur bölmə)
    addressees: tuple[Addressee, ...] = ()
    attachments: int = 0  # number of attachments the draft says it has
    attachment_titles: tuple[str, ...] = ()
    summary: str = ""
    language: str = "az"
    classification: str = "public"
    case_index: str | None = None
    route: RouteSpec | None = None


@dataclass(frozen=True)
class VisaStep:
    """A step of the route as stored (``(:VisaStep)-[:OF]->(:Document)``)."""

    id: str
    stage: int  # 1-based; stages run in order, the steps of one stage in parallel
    role: str
    user: str
    position_code: str | None
    restart_on_new_version: bool
    status: str
    round: int  # the draft version the step's current state belongs to


@dataclass(frozen=True)
class Visa:
    """One decision, never changed or deleted: the history across versions."""

    id: str
    step_id: str
    stage: int
    role: str
    draft_version: int
    decision: str
    remarks: str
    reasons: tuple[str, ...]
    actor: str
    acting_for: str | None
    at: datetime


@dataclass(frozen=True)
class FormCheck:
    id: str
    draft_version: int
    outcome: str
    reasons: tuple[str, ...]
    actor: str
    at: datetime


@dataclass(frozen=True)
class DraftView:
    """What a reader sees of a draft besides E's document card."""

    document_id: str
    kind: str
    status: str
    unit: str
    subject: str
    version: int
    attachments: int
    attachment_titles: tuple[str, ...]
    signatory: str | None
    addressees: tuple[Addressee, ...] = ()
    steps: tuple[VisaStep, ...] = ()
    visas: tuple[Visa, ...] = ()
    form_checks: tuple[FormCheck, ...] = field(default_factory=tuple)
