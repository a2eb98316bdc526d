"""The leadership's reception of citizens (vətəndaş qəbulu): who receives when and where, how
many places are booked, the visitors (for those the policy lets read them), and booking a
visitor into a sitting (``use_cases.register_visitor``, GraphQL's ``registerVisitor``).

Read through ``reads.schedule`` (GraphQL's ``receptionSchedule``) for the days from today on.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.auth.policy import Resource, can
from asan.auth.principal import Principal
from asan.core.errors import DomainError, Forbidden, ValidationFailed
from asan.core.platform import Platform
from asan.core.workdays import BAKU, today_in_baku
from asan.edms.appeals.models import APPEAL_TYPES
from asan.edms.reception import reads, use_cases
from asan.edms.reception.models import NewVisit, Slot, Visit, Visitor
from asan.web.appeals.common import field_errors
from asan.web.appeals.settings import web_appeals_settings
from asan.web.forms import Caller, in_lang, posted, signed_in
from asan.web.i18n import translate
from asan.web.rendering import render
from asan.web.session.csrf import csrf_token

FIELDS: Final = ("slot", "name", "contact", "address", "matter", "matter_unit")
DOMAIN_FIELDS: Final = {
    "visitor.name": "name",
    "visitor.contact": "contact",
    "visitor.address": "address",
    "matter": "matter",
    "matterUnit": "matter_unit",
    "slotId": "slot",
}


@dataclass(frozen=True)
class Sitting:
    slot: Slot
    day: str  # Baku date, ISO
    starts: str  # Baku time, HH:MM
    ends: str
    visits: list[Visit] | None  # None: the caller may not read the visitors
    may_record: bool  # the policy lets the caller record its visits' outcome


@dataclass(frozen=True)
class Outcome:
    """A refused outcome form: the visit, its messages and the values sent."""

    visit_id: str
    errors: Mapping[str, str]
    values: Mapping[str, str]


def may_schedule(principal: Principal) -> bool:
    """Whether to offer the scheduling form: for any unit (registrars) or one the caller
    leads (heads), as the policy decides."""
    units: list[str | None] = [None, *sorted(principal.led_units)]
    return any(
        can(principal, "edms.reception.schedule", Resource("ReceptionSlot", org_unit=unit))
        for unit in units
    )


def may_record(principal: Principal, slot: Slot) -> bool:
    resource = Resource("ReceptionVisit", org_unit=slot.unit, involved=frozenset({slot.official}))
    return can(principal, "edms.reception.record_visit", resource)


async def page(
    request: Request,
    caller: Caller,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    status_code: int = 200,
    outcome: Outcome | None = None,
    sitting_values: Mapping[str, str] | None = None,
    sitting_errors: Mapping[str, str] | None = None,
) -> Response:
    platform: Platform = request.app.state.platform
    today = today_in_baku()
    end = today + timedelta(days=web_appeals_settings().reception_days)
    slots = await reads.schedule(platform, caller.principal, today, end, None)
    readable = [s.id for s in slots if reads.may_see_visitors(caller.principal, s)]
    visits = await reads.visits_of(platform, readable) if readable else {}
    sittings = [
        Sitting(
            s,
            s.starts_at.astimezone(BAKU).date().isoformat(),
            s.starts_at.astimezone(BAKU).strftime("%H:%M"),
            s.ends_at.astimezone(BAKU).strftime("%H:%M"),
            visits.get(s.id) if s.id in visits else None,
            may_record(caller.principal, s),
        )
        for s in slots
    ]
    may_book = can(caller.principal, "edms.reception.register_visitor", Resource("ReceptionVisit"))
    return render(
        request,
        caller.lang,
        "appeals/reception.html",
        {
            "principal": caller.principal,
            "csrf_token": csrf_token(request),
            "sittings": sittings,
            "may_book": may_book or bool(errors),
            "values": dict(values or {}),
            "errors": dict(errors or {}),
            "mutation_id": uuid.uuid4().hex,
            "days": web_appeals_settings().reception_days,
            "outcome": outcome,
            "may_schedule": may_schedule(caller.principal) or bool(sitting_errors),
            "sitting_values": dict(sitting_values or {"capacity": "10"}),
            "sitting_errors": dict(sitting_errors or {}),
            "types": APPEAL_TYPES,
            "new_id": lambda: uuid.uuid4().hex,
        },
        status_code=status_code,
    )


async def reception(request: Request) -> Response:
    caller = signed_in(request)
    if isinstance(caller, Response):
        return caller
    if caller.principal.kind == "service":
        return RedirectResponse(f"/{caller.lang}/workspace", status_code=303)
    return await page(request, caller)


async def book(request: Request) -> Response:
    sent = await posted(request)
    if isinstance(sent, Response):
        return sent
    caller = Caller(sent.lang, sent.principal)
    lang = sent.lang
    values = {name: sent.text(name) for name in FIELDS}
    visit = NewVisit(
        Visitor(values["name"], values["contact"] or None, values["address"] or None),
        values["matter"],
        values["matter_unit"],
        slot_id=values["slot"][:128] or None,
    )
    try:
        await use_cases.register_visitor(
            request.app.state.platform, sent.principal, visit, client_mutation_id=sent.mutation_id
        )
    except ValidationFailed as exc:
        return await page(
            request, caller, values, field_errors(lang, exc, DOMAIN_FIELDS, "matter"), 400
        )
    except Forbidden:
        message = translate(lang, "appeals.error.forbidden")
        return await page(request, caller, values, {"name": message}, 403)
    except DomainError as exc:  # the sitting is full, over or cancelled: said next to it
        field = DOMAIN_FIELDS.get(exc.field or "", "slot")
        return await page(request, caller, values, {field: in_lang(lang, exc.message)}, 409)
    return RedirectResponse(f"/{lang}/reception#booked", status_code=303)
