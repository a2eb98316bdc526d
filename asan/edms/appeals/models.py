"""Citizens' appeals: the vocabularies, a new appeal as received, an appeal as read.

An appeal is a ``Document`` of kind ``appeal`` (the documents part's card, journals and
numbering) with the appeal's own properties on the same node: ``appealType``, the applicant
(``applicantName`` also as ``correspondentName``, ``applicantFold``, ``applicantAddress``,
``applicantContact``, ``applicantContactFold``), the ``centre`` it came through, its terms
(``termDays``, ``extraStudy``, ``extensionDays``, ``dueDate``, ``forwardDue``) and outcome
(``answeredAt``, ``answerText``, ``answerSubstantive``, ``answeredLate``, ``forwardedTo``,
``forwardedAt``, ``forwardedLate``, ``forwardReason``, ``unconsideredReason``), plus
``(:Document)-[:REPEATS]->(:Document)`` to earlier appeals of the same person on the matter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

APPEAL_TYPES: Final = ("proposal", "application", "complaint")  # təklif, ərizə, şikayət
# The journal each type is numbered in (seeded by the documents part).
JOURNAL_OF_TYPE: Final[dict[str, str]] = {
    "proposal": "APL-P",
    "application": "APL-A",
    "complaint": "APL-C",
}
# How an appeal reached the agency (a subset of the documents part's CHANNELS).
APPEAL_CHANNELS: Final = ("reception", "mail", "website", "call_centre_108", "asan_centre")
OUTCOME_STATUSES: Final = ("answered", "forwarded", "left_unconsidered")


@dataclass(frozen=True)
class Applicant:
    """The person who appeals; names and addresses are Azerbaijani text, kept as written."""

    name: str
    address: str | None = None
    contact: str | None = None  # phone or e-mail


@dataclass(frozen=True)
class NewAppeal:
    appeal_type: str
    channel: str
    applicant: Applicant
    subject: str
    unit: str | None = None  # the unit that considers it (default: the configured one)
    summary: str | None = None
    centre: str | None = None  # AsanCentre code, required for channel asan_centre
    extra_study: bool = False  # the 30-day term from the start
    language: str = "az"
    classification: str = "public"
    pages: int | None = None
    sample: bool = False


@dataclass(frozen=True)
class Appeal:
    id: str
    appeal_type: str
    status: str
    reg_number: str | None
    reg_date: date | None
    subject: str
    summary: str | None
    channel: str
    centre: str | None
    unit: str | None
    classification: str
    applicant: Applicant
    term_days: int
    extra_study: bool
    extension_days: int
    due_date: date | None
    forward_due: date | None
    answered_at: datetime | None
    answer_text: str | None
    answer_substantive: bool | None
    answered_late: bool | None
    forwarded_to: str | None
    forwarded_at: datetime | None
    forwarded_late: bool | None
    forward_reason: str | None
    unconsidered_reason: str | None
    repeat_of: str | None  # the latest earlier appeal on the same matter
    repeat_count: int  # earlier appeals of the same person on the same matter
    sample: bool


@dataclass(frozen=True)
class RepeatCandidate:
    """An earlier appeal of the same person, as the repeat check reads it."""

    id: str
    subject: str
    reg_date: date | None
    answer_substantive: bool
    answered_at: datetime | None
