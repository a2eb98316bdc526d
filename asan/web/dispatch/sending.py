"""The dispatch button and the register's outcome forms of a document's dispatch page.

Both post to the use cases GraphQL's ``dispatchDocument`` and ``recordDispatchOutcome`` call,
through the audited ``run_mutation`` with the form's client mutation id (a form sent twice
acts once). A document dispatched meanwhile, or a line whose outcome someone recorded first,
is answered 409 with the page saying so; nothing is overwritten.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Final

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from asan.core.workdays import BAKU, today_in_baku
from asan.edms.dispatch import models as md
from asan.edms.dispatch import use_cases
from asan.web.dispatch.mailing import list_now, refused_page, render_mailing, stamp
from asan.web.forms import in_lang, not_found, posted
from asan.web.i18n import translate

OUTCOME_FIELDS: Final = ("outcome", "date", "reason", "tracking")
# the use case's field -> the outcome form's
OUTCOME_FIELD_OF: Final = {
    "status": "outcome",
    "at": "date",
    "reason": "reason",
    "tracking": "tracking",
}
LATE_IN_DAY: Final = time(23, 59)


async def send(request: Request) -> Response:
    """``dispatch_document``: signed -> dispatched, every line of the list sent now."""
    document_id = request.path_params["document_id"]
    form = await posted(request, document_id)
    if isinstance(form, Response):
        return form
    lang = form.lang

    async def refused(message: str, status: int) -> Response:
        return await render_mailing(
            request, lang, document_id, send_errors=[message], status_code=status
        )

    try:
        entries = await list_now(request, document_id)
        unsent = all(e.status == md.PLANNED for e in entries)
        if unsent and stamp(entries) != form.text("list_stamp"):
            # the list changed since the registrar looked at it: look again before sending
            return await refused(translate(lang, "dispatch.error.stale"), 409)
        await use_cases.dispatch_document(
            request.app.state.platform,
            form.principal,
            document_id,
            client_mutation_id=form.mutation_id,
        )
    except NotFound:
        return not_found(request, lang)
    except Forbidden:
        return refused_page(request, lang)
    except InvalidTransition:
        return await refused(translate(lang, "dispatch.error.stale"), 409)
    except ValidationFailed as exc:
        return await refused("; ".join(in_lang(lang, e.message) for e in exc.errors), 400)
    except DomainError as exc:
        return await refused(in_lang(lang, exc.message), 400)
    return RedirectResponse(f"/{lang}/documents/{document_id}/dispatch#register", status_code=303)


def _moment(day: date) -> datetime | None:
    """A day's outcome: now for today (after the sending, whenever it was), late that day for
    an earlier day (a letter sent in the morning and returned the same afternoon)."""
    if day >= today_in_baku():
        return None
    return datetime.combine(day, LATE_IN_DAY, tzinfo=BAKU)


async def record(request: Request) -> Response:
    """``record_outcome``: delivered, or returned with a reason, on a day."""
    entry_id = request.path_params["entry_id"]
    form = await posted(request, entry_id)
    if isinstance(form, Response):
        return form
    lang = form.lang
    document_id = form.text("document_id")
    values = {name: form.text(name)[:1000] for name in OUTCOME_FIELDS}

    async def refused(errors: dict[str, str], status: int) -> Response:
        return await render_mailing(
            request,
            lang,
            document_id,
            outcome_errors={entry_id: errors},
            outcome_values=values,
            status_code=status,
        )

    if not document_id or len(document_id) > 128:
        return not_found(request, lang)
    errors: dict[str, str] = {}
    if values["outcome"] not in (md.DELIVERED, md.RETURNED):
        errors["outcome"] = translate(lang, "dispatch.error.outcome")
    try:
        day = date.fromisoformat(values["date"]) if values["date"] else today_in_baku()
    except ValueError:
        errors["date"] = translate(lang, "dispatch.error.date")
        day = today_in_baku()
    if values["outcome"] == md.RETURNED and not values["reason"].strip():
        errors["reason"] = translate(lang, "dispatch.error.reason")
    if errors:
        return await refused(errors, 400)
    outcome = md.Outcome(
        entry_id=entry_id,
        status=values["outcome"],
        at=_moment(day),
        reason=values["reason"].strip() or None,
        tracking=values["tracking"].strip() or None,
    )
    try:
        await use_cases.record_outcome(
            request.app.state.platform, form.principal, outcome, client_mutation_id=form.mutation_id
        )
    except NotFound:
        return not_found(request, lang)
    except Forbidden:
        return refused_page(request, lang)
    except ValidationFailed as exc:
        return await refused(
            {OUTCOME_FIELD_OF.get(e.field, "reason"): in_lang(lang, e.message) for e in exc.errors},
            400,
        )
    except (Conflict, InvalidTransition):
        return await refused({"outcome": translate(lang, "dispatch.error.stale")}, 409)
    except DomainError as exc:
        return await refused({"outcome": in_lang(lang, exc.message)}, 400)
    return RedirectResponse(
        f"/{lang}/documents/{document_id}/dispatch#entry-{entry_id}", status_code=303
    )
