"""Input checks of drafts: the card's texts, addressees' shape, and a visa route's soundness.

A draft is work in progress, so creating one refuses only malformed input (unknown kinds,
control characters, a step without a holder); whether the addressees are complete and exist
is the registrar's form check (``form.py``), which lists every problem at once.
A route is judged when it is set: stages numbered 1, 2, ... without gaps; a holder
named by user id or by position (resolved to whoever holds it today); legal expertise on
every order (the agency's non-normative legal acts); a signatory.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from asan.auth.principal import CLEARANCE_LEVELS
from asan.core.db import Tx
from asan.core.errors import FieldError, ValidationFailed
from asan.core.text import clean
from asan.edms.documents.models import CLASSIFICATIONS, LANGUAGES
from asan.edms.drafts import repository as repo
from asan.edms.drafts.models import (
    ADDRESSEE_KINDS,
    DRAFT_KINDS,
    LEGAL_EXPERTISE,
    STEP_ROLES,
    STEP_WAITING,
    Addressee,
    DraftInput,
    RouteSpec,
)

SUBJECT_MAX = 1000
SUMMARY_MAX = 8000
NAME_MAX = 500
ADDRESS_MAX = 1000
TITLE_MAX = 500
MAX_ADDRESSEES = 200
MAX_ATTACHMENTS = 200
MAX_STAGES = 10
MAX_STEPS_PER_STAGE = 10
REASON_MAX = 2000
MAX_REASONS = 50


class Errors:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def text(
        self,
        value: str,
        field: str,
        max_length: int,
        *,
        required: bool = True,
        multiline: bool = False,
    ) -> str:
        cleaned, error = clean(
            value, field, max_length=max_length, required=required, multiline=multiline
        )
        if error is not None:
            self.errors.append(error)
        return cleaned

    def add(self, field: str, message: str, code: str = "BAD_USER_INPUT") -> None:
        self.errors.append(FieldError(field, message, code))

    def done(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)


def check_draft(draft: DraftInput) -> DraftInput:
    """The card of a new draft, cleaned; ValidationFailed lists every problem."""
    e = Errors()
    if draft.kind not in DRAFT_KINDS:
        e.add(
            "kind",
            f"layihə növü {', '.join(DRAFT_KINDS)} olmalıdır / a draft is one of "
            f"{', '.join(DRAFT_KINDS)}",
        )
    subject = e.text(draft.subject, "subject", SUBJECT_MAX)
    summary = e.text(draft.summary, "summary", SUMMARY_MAX, required=False, multiline=True)
    unit = e.text(draft.unit, "unit", 100)
    if draft.language not in LANGUAGES:
        e.add("language", f"dil {', '.join(LANGUAGES)} olmalıdır / one of {', '.join(LANGUAGES)}")
    if draft.classification not in CLASSIFICATIONS:
        e.add("classification", "naməlum məxfilik / unknown classification")
    case_index = (
        e.text(draft.case_index, "caseIndex", 100, required=False) or None
        if draft.case_index is not None
        else None
    )
    attachments, titles = check_attachments(e, draft.attachments, draft.attachment_titles)
    addressees = check_addressees(e, draft.addressees)
    e.done()
    return replace(
        draft,
        subject=subject,
        summary=summary,
        unit=unit,
        case_index=case_index,
        attachments=attachments,
        attachment_titles=titles,
        addressees=addressees,
    )


def check_attachments(e: Errors, count: int, titles: Sequence[str]) -> tuple[int, tuple[str, ...]]:
    if count < 0 or count > MAX_ATTACHMENTS:
        e.add("attachments", f"0-{MAX_ATTACHMENTS} olmalıdır / must be 0-{MAX_ATTACHMENTS}")
    if len(titles) > MAX_ATTACHMENTS:
        e.add("attachmentTitles", f"ən çox {MAX_ATTACHMENTS} / at most {MAX_ATTACHMENTS}")
        return count, ()
    cleaned = tuple(e.text(t, f"attachmentTitles.{i}", TITLE_MAX) for i, t in enumerate(titles))
    return max(count, len(cleaned)), cleaned


def check_addressees(e: Errors, items: Sequence[Addressee]) -> tuple[Addressee, ...]:
    if len(items) > MAX_ADDRESSEES:
        e.add("addressees", f"ən çox {MAX_ADDRESSEES} ünvançı / at most {MAX_ADDRESSEES}")
        return ()
    out: list[Addressee] = []
    for i, a in enumerate(items):
        at = f"addressees.{i}"
        if a.kind not in ADDRESSEE_KINDS:
            e.add(f"{at}.kind", "naməlum ünvançı növü / unknown addressee kind")
        body = e.text(a.state_body or "", f"{at}.stateBody", 100, required=a.kind == "state_body")
        unit = e.text(a.org_unit or "", f"{at}.orgUnit", 100, required=a.kind == "org_unit")
        out.append(
            Addressee(
                kind=a.kind,
                state_body=body or None if a.kind == "state_body" else None,
                org_unit=unit or None if a.kind == "org_unit" else None,
                name=e.text(a.name, f"{at}.name", NAME_MAX, required=False),
                address=e.text(
                    a.address, f"{at}.address", ADDRESS_MAX, required=False, multiline=True
                ),
                email=e.text(a.email, f"{at}.email", 320, required=False),
                position=i + 1,
            )
        )
    return tuple(out)


def check_reasons(reasons: Sequence[str], field: str, *, required: bool) -> tuple[str, ...]:
    e = Errors()
    if len(reasons) > MAX_REASONS:
        e.add(field, f"ən çox {MAX_REASONS} / at most {MAX_REASONS}")
        e.done()
    cleaned = tuple(
        r
        for r in (
            e.text(r, f"{field}.{i}", REASON_MAX, multiline=True) for i, r in enumerate(reasons)
        )
        if r
    )
    if required and not cleaned and not e.errors:
        e.add(field, "səbəbləri göstərin / give the reasons")
    e.done()
    return cleaned


async def resolve_route(
    tx: Tx, kind: str, route: RouteSpec, today: date, *, classification: str = "public"
) -> tuple[list[dict[str, Any]], str, str | None]:
    """Check a route and resolve its holders: (step rows to store, signatory, its position).

    On a service or state secret every holder's clearance must reach the classification:
    a holder who could not open the draft could not give a visa on it.
    """
    e = Errors()
    steps = route.steps
    stages = sorted({s.stage for s in steps})
    if not steps:
        e.add("route.steps", "ən azı bir addım / at least one step")
    elif stages != list(range(1, len(stages) + 1)):
        e.add(
            "route.steps",
            "mərhələlər 1-dən ardıcıl nömrələnməlidir / stages are numbered 1, 2, ... without gaps",
        )
    if len(stages) > MAX_STAGES:
        e.add("route.steps", f"ən çox {MAX_STAGES} mərhələ / at most {MAX_STAGES} stages")
    if len(steps) > MAX_STAGES * MAX_STEPS_PER_STAGE:
        e.add("route.steps", f"ən çox {MAX_STAGES * MAX_STEPS_PER_STAGE} addım / too many steps")
        e.done()
    positions = [s.position_code for s in steps if s.position_code and not s.user]
    if route.signatory_position and not route.signatory:
        positions.append(route.signatory_position)
    holders = await repo.position_holders(tx, positions, today) if positions else {}
    users = [s.user for s in steps if s.user]
    if route.signatory:
        users.append(route.signatory)
    candidates = [*users, *(u for found in holders.values() for u in found)]
    known = await repo.user_clearances(tx, candidates) if candidates else {}
    needed = CLEARANCE_LEVELS.index(classification) if classification in CLEARANCE_LEVELS else 0

    def cleared(user: str, at: str) -> str | None:
        level = known[user]
        if (CLEARANCE_LEVELS.index(level) if level in CLEARANCE_LEVELS else 0) < needed:
            e.add(
                at,
                f"{user} üçün buraxılış ({level}) kifayət deyil / clearance of {user} ({level}) "
                f"is below the draft's classification ({classification})",
                "CLEARANCE",
            )
            return None
        return user

    def holder(user: str | None, position: str | None, at: str) -> str | None:
        if user:
            if user not in known:
                e.add(at, f"istifadəçi tapılmadı / no such user: {user}", "NOT_FOUND")
                return None
            return cleared(user, at)
        if not position:
            e.add(at, "istifadəçi və ya vəzifə göstərin / name a user or a position")
            return None
        found = holders.get(position, [])
        if len(found) != 1:
            e.add(
                at,
                f"vəzifəni bu gün tək bir nəfər tutmur ({len(found)}) / position "
                f"{position} is not held by exactly one person today ({len(found)})",
                "NOT_FOUND" if not found else "CONFLICT",
            )
            return None
        return cleared(found[0], at)

    rows: list[dict[str, Any]] = []
    seen: set[tuple[int, str]] = set()
    per_stage: dict[int, int] = {}
    for i, step in enumerate(steps):
        at = f"route.steps.{i}"
        per_stage[step.stage] = per_stage.get(step.stage, 0) + 1
        if per_stage[step.stage] == MAX_STEPS_PER_STAGE + 1:
            e.add(
                f"{at}.stage",
                f"bir mərhələdə ən çox {MAX_STEPS_PER_STAGE} addım / at most "
                f"{MAX_STEPS_PER_STAGE} steps in one stage",
            )
        if step.role not in STEP_ROLES:
            e.add(f"{at}.role", "naməlum rol / unknown role")
        user = holder(step.user, step.position_code, f"{at}.user")
        if user is not None and (step.stage, user) in seen:
            e.add(
                f"{at}.user",
                "eyni şəxs bir mərhələdə iki dəfə / the same person twice in one stage",
            )
        if user is not None:
            seen.add((step.stage, user))
        rows.append(
            {
                "id": uuid.uuid4().hex,
                "stage": step.stage,
                "order": per_stage[step.stage],
                "role": step.role,
                "user": user,
                "positionCode": step.position_code,
                "restartOnNewVersion": step.restart_on_new_version,
                "status": STEP_WAITING,
                "round": 1,
            }
        )
    if kind == "order" and not any(r["role"] == LEGAL_EXPERTISE for r in rows):
        e.add(
            "route.steps",
            "əmr (qeyri-normativ hüquqi akt) hüquqi ekspertizasız ola bilməz / an order (a "
            "non-normative legal act of the agency) needs a legal expertise step",
            "LEGAL_EXPERTISE_REQUIRED",
        )
    signatory = holder(route.signatory, route.signatory_position, "route.signatory")
    e.done()
    assert signatory is not None
    return rows, signatory, route.signatory_position
