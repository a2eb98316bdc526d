"""Reading appeals: one by id (hidden unless the caller may read its document), and pages.

Lists AND in the documents part's ``visible_where``, so a secret appeal is absent from the
page and from its count for a caller without clearance and involvement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from asan.auth.policy import can
from asan.auth.principal import Principal
from asan.core.platform import Platform
from asan.core.text import search_fold
from asan.edms.appeals import repository as repo
from asan.edms.appeals.flows import OPEN_STATUSES
from asan.edms.appeals.models import Appeal, Applicant
from asan.edms.appeals.repeats import earlier_on_same_matter
from asan.edms.appeals.settings import appeal_settings
from asan.edms.documents.access import document_resource, visible_where

MAX_REPEATS = 20


@dataclass(frozen=True)
class AppealFilter:
    status: str | None = None
    appeal_type: str | None = None
    channel: str | None = None
    centre: str | None = None
    unit: str | None = None
    overdue_on: date | None = None  # open appeals whose answer was due before this day
    applicant: str | None = None  # part of the applicant's name, Azerbaijani letters or not


def to_appeal(row: dict[str, Any]) -> Appeal:
    return Appeal(
        id=str(row["id"]),
        appeal_type=str(row.get("appealType") or "application"),
        status=str(row["status"]),
        reg_number=row.get("regNumber"),
        reg_date=repo.date_value(row.get("regDate")),
        subject=str(row.get("subject") or ""),
        summary=row.get("summary"),
        channel=str(row.get("channel") or ""),
        centre=row.get("centre"),
        unit=row.get("unit"),
        classification=str(row.get("classification") or "public"),
        applicant=Applicant(
            str(row.get("applicantName") or ""),
            row.get("applicantAddress"),
            row.get("applicantContact"),
        ),
        term_days=int(row.get("termDays") or 0),
        extra_study=bool(row.get("extraStudy")),
        extension_days=int(row.get("extensionDays") or 0),
        due_date=repo.date_value(row.get("dueDate")),
        forward_due=repo.date_value(row.get("forwardDue")),
        answered_at=repo.datetime_value(row.get("answeredAt")),
        answer_text=row.get("answerText"),
        answer_substantive=row.get("answerSubstantive"),
        answered_late=row.get("answeredLate"),
        forwarded_to=row.get("forwardedTo"),
        forwarded_at=repo.datetime_value(row.get("forwardedAt")),
        forwarded_late=row.get("forwardedLate"),
        forward_reason=row.get("forwardReason"),
        unconsidered_reason=row.get("unconsideredReason"),
        repeat_of=row.get("repeatOf"),
        repeat_count=int(row.get("repeatCount") or 0),
        sample=bool(row.get("sample")),
    )


async def appeals_by_ids(
    platform: Platform, principal: Principal, ids: list[str]
) -> list[Appeal | None]:
    """One per id, in order; None for a missing id or one the caller may not read."""
    async with platform.db.read_transaction() as tx:
        rows = {str(r["d"]["id"]): r["d"] for r in await repo.appeal_rows(tx, ids)}
        found: list[Appeal | None] = []
        for document_id in ids:
            row = rows.get(document_id)
            if row is None or not can(
                principal, "edms.document.read", await document_resource(tx, document_id)
            ):
                found.append(None)
            else:
                found.append(to_appeal(row))
        return found


async def appeal(platform: Platform, principal: Principal, document_id: str) -> Appeal | None:
    return (await appeals_by_ids(platform, principal, [document_id]))[0]


async def repeated(platform: Platform, principal: Principal, document_id: str) -> list[Appeal]:
    """The earlier appeals of the same person on the same matter that the caller may see."""
    async with platform.db.read_transaction() as tx:
        ids = await repo.repeated_ids(tx, document_id, MAX_REPEATS)
    return [a for a in await appeals_by_ids(platform, principal, ids) if a is not None]


async def repeated_by(platform: Platform, principal: Principal, document_id: str) -> list[Appeal]:
    """The later appeals that repeat this one, those the caller may see."""
    async with platform.db.read_transaction() as tx:
        ids = await repo.repeated_by_ids(tx, document_id, MAX_REPEATS)
    return [a for a in await appeals_by_ids(platform, principal, ids) if a is not None]


async def possible_repeats(
    platform: Platform, principal: Principal, applicant: Applicant, subject: str
) -> list[Appeal]:
    """The earlier appeals a new appeal of ``applicant`` on ``subject`` would be linked to at
    registration (the registration's own check), those the caller may see: a form shows them
    before the clerk registers."""
    async with platform.db.read_transaction() as tx:
        ids = await earlier_on_same_matter(
            tx, "", applicant, subject, appeal_settings().repeat_similarity
        )
    found = await appeals_by_ids(platform, principal, ids[:MAX_REPEATS])
    return [a for a in found if a is not None]


async def may_take(
    platform: Platform, principal: Principal, document_id: str, actions: list[str]
) -> set[str]:
    """Which of the appeal steps ``actions`` the policy lets the caller take on it now (the
    state machine may still refuse): a page offers only those forms."""
    async with platform.db.read_transaction() as tx:
        resource = await document_resource(tx, document_id)
    return {a for a in actions if can(principal, a, resource)}


async def appeals_page(
    platform: Platform,
    principal: Principal,
    filters: AppealFilter,
    after: list[Any] | None,
    limit: int,
) -> tuple[list[tuple[Appeal, list[Any]]], int]:
    """A page newest first, each appeal with its keyset position, and the total count."""
    predicate, params = visible_where("d", principal)
    async with platform.db.read_transaction() as tx:
        rows, total = await repo.page(
            tx,
            (predicate, params),
            {
                "status": filters.status,
                "type": filters.appeal_type,
                "channel": filters.channel,
                "centre": filters.centre,
                "unit": filters.unit,
                "overdueOn": filters.overdue_on,
                "applicant": search_fold(filters.applicant).strip() or None
                if filters.applicant
                else None,
                "open": list(OPEN_STATUSES),
            },
            after,
            limit,
        )
    return [(to_appeal(r), [r["createdAt"], r["id"]]) for r in rows], total
