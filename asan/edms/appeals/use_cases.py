"""The steps of a citizen's appeal, each one audited unit through ``run_mutation``.

Registration creates the appeal's document through the documents part (card, journal APL-P /
APL-A / APL-C by type, gapless number), sets its terms and links earlier appeals of the same
person on the same matter. Every later step is a transition of the appeal's state machine
(``flows.py``) taken under the document's lock, recorded in its timeline.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.errors import Conflict, FieldError, ValidationFailed
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.appeals import flows as _flows  # noqa: F401 - registers the appeal table
from asan.edms.appeals import repeats, terms
from asan.edms.appeals import repository as repo
from asan.edms.appeals.models import JOURNAL_OF_TYPE, NewAppeal
from asan.edms.appeals.settings import appeal_settings
from asan.edms.appeals.validation import MAX_TEXT, text
from asan.edms.appeals.validation import clean_appeal as _clean
from asan.edms.documents import flows, numbering
from asan.edms.documents import repository as documents_repo
from asan.edms.documents.access import document_target, involve, not_found
from asan.edms.documents.models import DocumentCard
from asan.edms.documents.timeline import record_step
from asan.edms.documents.use_cases import create_document_in_unit

__all__ = [
    "answer_appeal",
    "extend_appeal",
    "forward_appeal",
    "leave_unconsidered",
    "register_appeal",
    "register_appeal_in_unit",
]


def clean_appeal(appeal: NewAppeal) -> NewAppeal:
    """The appeal with its texts normalised and its unit defaulted, or ValidationFailed."""
    appeal = _clean(appeal)
    unit = appeal.unit or appeal_settings().default_unit
    if not unit:
        raise ValidationFailed(
            [FieldError("unit", "baxan struktur bölmə lazımdır / name the unit that considers it")]
        )
    return replace(appeal, unit=unit)


async def register_appeal_in_unit(m: Mutation, appeal: NewAppeal) -> str:
    """Register ``appeal`` (already cleaned) inside the caller's mutation; returns its id.

    The reception part calls this when a visitor's matter becomes an appeal.
    """
    settings = appeal_settings()
    if appeal.centre is not None and not await repo.centre_exists(m.tx, appeal.centre):
        raise ValidationFailed(
            [
                FieldError(
                    "centre", f"ASAN mərkəzi yoxdur / no ASAN centre {appeal.centre}", "NOT_FOUND"
                )
            ]
        )
    journal = JOURNAL_OF_TYPE[appeal.appeal_type]
    card = DocumentCard(
        kind="appeal",
        subject=appeal.subject,
        unit=appeal.unit,
        summary=appeal.summary,
        pages=appeal.pages,
        channel=appeal.channel,
        language=appeal.language,
        classification=appeal.classification,
        journal_code=journal,
        correspondent_kind="person",
        correspondent_name=appeal.applicant.name,
        sample=appeal.sample,
    )
    document_id = await create_document_in_unit(m, card, status="received")
    on = today_in_baku()
    await flows.advance(m.tx, document_id, "register")
    number = await numbering.assign_number(m.tx, journal, on, unit=appeal.unit)
    await documents_repo.set_registration(m.tx, document_id, journal, number, on)
    due = terms.terms_of(on, settings, extra_study=appeal.extra_study)
    earlier = await repeats.earlier_on_same_matter(
        m.tx, document_id, appeal.applicant, appeal.subject, settings.repeat_similarity
    )
    await repo.set_appeal(
        m.tx,
        document_id,
        {
            "appealType": appeal.appeal_type,
            "centre": appeal.centre,
            "applicantName": appeal.applicant.name,
            "applicantAddress": appeal.applicant.address,
            "applicantContact": appeal.applicant.contact,
            **repeats.applicant_keys(appeal.applicant),
            "termDays": due.term_days,
            "extraStudy": appeal.extra_study,
            "extensionDays": 0,
            "dueDate": due.due,
            "forwardDue": due.forward_due,
            "repeatOf": earlier[0] if earlier else None,
            "repeatCount": len(earlier),
        },
    )
    if earlier:
        await repo.link_repeats(m.tx, document_id, earlier)
    await involve(m.tx, document_id, [m.principal.subject])
    await record_step(
        m.tx,
        document_id,
        "register",
        m.principal,
        {
            "journal": journal,
            "number": number.number,
            "dueDate": due.due,
            "forwardDue": due.forward_due,
            "repeatOf": earlier[0] if earlier else None,
        },
    )
    m.changed("Document", document_id, "status_changed", ["status", "regNumber", "regDate"])
    m.detail(journal=journal, regNumber=number.number, repeatCount=len(earlier))
    return document_id


async def register_appeal(
    platform: Platform,
    principal: Principal,
    appeal: NewAppeal,
    *,
    client_mutation_id: str | None = None,
) -> str:
    """Register a citizen's appeal on receipt; returns the appeal's (document's) id."""
    cleaned = clean_appeal(appeal)
    resource = Resource(
        "Document",
        org_unit=cleaned.unit,
        classification=None if cleaned.classification == "public" else cleaned.classification,
    )

    async def work(m: Mutation) -> str:
        return await register_appeal_in_unit(m, cleaned)

    return await run_mutation(
        platform,
        principal,
        "edms.appeal.register",
        resource,
        work,
        client_mutation_id=client_mutation_id,
    )


async def _step(
    platform: Platform,
    principal: Principal,
    action: str,
    document_id: str,
    work: Callable[[Mutation, dict[str, Any]], Awaitable[None]],
    client_mutation_id: str | None,
) -> str:
    """One step on an existing appeal: resolve, authorise, check it is an appeal, work."""

    async def unit(m: Mutation) -> str:
        row = await repo.locked_appeal_row(m.tx, document_id)
        if row is None:
            raise not_found(document_id)
        await work(m, row)
        return document_id

    return await run_mutation(
        platform,
        principal,
        action,
        document_target(document_id),
        unit,
        client_mutation_id=client_mutation_id,
    )


def _late(due: Any) -> bool:
    day = repo.date_value(due)
    return day is not None and today_in_baku() > day


async def answer_appeal(
    platform: Platform,
    principal: Principal,
    document_id: str,
    answer: str,
    *,
    substantive: bool,
    client_mutation_id: str | None = None,
) -> str:
    """The agency's answer to the applicant; ``substantive`` when it decides the matter (the
    count that lets a later repeat be left unconsidered)."""
    errors: list[FieldError] = []
    answer_text = text(errors, "answer", answer, MAX_TEXT, required=True, multiline=True)
    if errors:
        raise ValidationFailed(errors)

    async def work(m: Mutation, row: dict[str, Any]) -> None:
        await flows.advance(m.tx, document_id, "answer")
        late = _late(row.get("dueDate"))
        await repo.set_appeal(
            m.tx,
            document_id,
            {
                "answeredAt": datetime.now(UTC),
                "answerText": answer_text,
                "answerSubstantive": substantive,
                "answeredLate": late,
            },
        )
        await record_step(
            m.tx, document_id, "answer", m.principal, {"substantive": substantive, "late": late}
        )
        m.changed("Document", document_id, "status_changed", ["status", "answeredAt"])

    return await _step(
        platform, principal, "edms.appeal.answer", document_id, work, client_mutation_id
    )


async def forward_appeal(
    platform: Platform,
    principal: Principal,
    document_id: str,
    state_body: str,
    reason: str,
    *,
    client_mutation_id: str | None = None,
) -> str:
    """Send an appeal outside the agency's competence to the competent state body."""
    errors: list[FieldError] = []
    body = text(errors, "stateBody", state_body, 100, required=True)
    why = text(errors, "reason", reason, MAX_TEXT, required=True, multiline=True)
    if errors:
        raise ValidationFailed(errors)

    async def work(m: Mutation, row: dict[str, Any]) -> None:
        await flows.advance(m.tx, document_id, "forward")
        if not await repo.body_exists(m.tx, body or ""):
            raise ValidationFailed(
                [
                    FieldError(
                        "stateBody",
                        f"reyestrdə belə dövlət orqanı yoxdur / no state body "
                        f"{body} in the registry",
                        "NOT_FOUND",
                    )
                ]
            )
        late = _late(row.get("forwardDue"))
        await repo.set_appeal(
            m.tx,
            document_id,
            {
                "forwardedTo": body,
                "forwardedAt": datetime.now(UTC),
                "forwardedLate": late,
                "forwardReason": why,
            },
        )
        await record_step(
            m.tx, document_id, "forward", m.principal, {"stateBody": body, "late": late}
        )
        m.changed("Document", document_id, "status_changed", ["status", "forwardedTo"])

    return await _step(
        platform, principal, "edms.appeal.forward", document_id, work, client_mutation_id
    )


async def extend_appeal(
    platform: Platform,
    principal: Principal,
    document_id: str,
    *,
    working_days: int,
    extra_study: bool,
    reason: str,
    client_mutation_id: str | None = None,
) -> str:
    """Move the answer term: to the 30-day term where extra study is needed, and/or by up to
    ``max_extension_days`` more working days in all; the reason is recorded."""
    errors: list[FieldError] = []
    why = text(errors, "reason", reason, MAX_TEXT, required=True, multiline=True)
    if errors:
        raise ValidationFailed(errors)
    settings = appeal_settings()

    async def work(m: Mutation, row: dict[str, Any]) -> None:
        await flows.advance(m.tx, document_id, "extend")
        already = int(row.get("extensionDays") or 0)
        had_study = bool(row.get("extraStudy"))
        refusal = terms.extension_refusal(
            settings,
            already=already,
            more=working_days,
            extra_study=extra_study,
            had_study=had_study,
        )
        if refusal is not None:
            raise ValidationFailed([FieldError("workingDays", refusal)])
        registered = repo.date_value(row.get("regDate")) or today_in_baku()
        new = terms.terms_of(
            registered,
            settings,
            extra_study=had_study or extra_study,
            extension_days=already + working_days,
        )
        await repo.set_appeal(
            m.tx,
            document_id,
            {
                "termDays": new.term_days,
                "extraStudy": had_study or extra_study,
                "extensionDays": new.extension_days,
                "dueDate": new.due,
            },
        )
        await record_step(
            m.tx,
            document_id,
            "extend",
            m.principal,
            {
                "workingDays": working_days,
                "extraStudy": extra_study,
                "reason": why,
                "dueDate": new.due,
            },
        )
        m.changed("Document", document_id, "updated", ["dueDate", "termDays", "extensionDays"])

    return await _step(
        platform, principal, "edms.appeal.extend", document_id, work, client_mutation_id
    )


async def leave_unconsidered(
    platform: Platform,
    principal: Principal,
    document_id: str,
    reason: str,
    *,
    no_new_information: bool,
    client_mutation_id: str | None = None,
) -> str:
    """Leave a repeated appeal unconsidered: allowed only when it repeats an earlier one of
    the same person on the same matter that got ``repeat_answers`` substantive answers within
    ``repeat_window_days``, and the official states it brings no new information."""
    errors: list[FieldError] = []
    why = text(errors, "reason", reason, MAX_TEXT, required=True, multiline=True)
    if not no_new_information:
        errors.append(
            FieldError(
                "noNewInformation",
                "yalnız yeni məlumat olmadıqda / only when the appeal brings no new information",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    settings = appeal_settings()

    async def work(m: Mutation, row: dict[str, Any]) -> None:
        await flows.advance(m.tx, document_id, "leave_unconsidered")
        since = datetime.now(UTC) - timedelta(days=settings.repeat_window_days)
        answers = await repo.substantive_answers_since(m.tx, document_id, since)
        if answers < settings.repeat_answers:
            raise Conflict(
                f"son {settings.repeat_window_days} gündə bu məsələ üzrə {answers} mahiyyətcə "
                f"cavab verilib, ən azı {settings.repeat_answers} lazımdır / {answers} "
                f"substantive answers on this matter within {settings.repeat_window_days} days, "
                f"at least {settings.repeat_answers} needed",
                field="id",
            )
        await repo.set_appeal(m.tx, document_id, {"unconsideredReason": why})
        await record_step(
            m.tx,
            document_id,
            "leave_unconsidered",
            m.principal,
            {"reason": why, "substantiveAnswers": answers},
        )
        m.changed("Document", document_id, "status_changed", ["status", "unconsideredReason"])

    return await _step(
        platform,
        principal,
        "edms.appeal.leave_unconsidered",
        document_id,
        work,
        client_mutation_id,
    )
