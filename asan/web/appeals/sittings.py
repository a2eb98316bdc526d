"""Adding a sitting to the leadership's reception schedule from the reception page
(``reception.use_cases.schedule_reception``, GraphQL's ``scheduleReception``): the official's
username, the day and hours in Baku time, the place, how many visitors it takes and,
optionally, the unit whose matters it receives. Registrars schedule for anyone; a head for the
units they lead (the policy, as for the API).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Final

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.core.errors import DomainError, Forbidden, ValidationFailed
from asan.core.workdays import BAKU
from asan.edms.reception import use_cases
from asan.edms.reception.models import MAX_CAPACITY, NewSlot
from asan.web.appeals.common import field_errors
from asan.web.appeals.reception import page
from asan.web.forms import Caller, in_lang, posted
from asan.web.i18n import Lang, translate

FIELDS: Final = ("official", "day", "starts", "ends", "place", "capacity", "unit")
DOMAIN_FIELDS: Final = {
    "official": "official",
    "place": "place",
    "unit": "unit",
    "capacity": "capacity",
    "startsAt": "starts",
    "endsAt": "ends",
}


def _parsed(lang: Lang, values: dict[str, str]) -> tuple[NewSlot | None, dict[str, str]]:
    errors: dict[str, str] = {}
    try:
        day = date.fromisoformat(values["day"])
    except ValueError:
        errors["day"] = translate(lang, "appeals.error.date")
        day = None
    hours: dict[str, time] = {}
    for name in ("starts", "ends"):
        try:
            hours[name] = time.fromisoformat(values[name])
        except ValueError:
            errors[name] = translate(lang, "appeals.error.time")
    capacity = values["capacity"].strip() or "10"
    if not capacity.isdigit() or not 1 <= int(capacity) <= MAX_CAPACITY:
        errors["capacity"] = translate(lang, "appeals.error.capacity", most=MAX_CAPACITY)
    if errors or day is None:
        return None, errors
    return (
        NewSlot(
            values["official"],
            datetime.combine(day, hours["starts"], BAKU),
            datetime.combine(day, hours["ends"], BAKU),
            values["place"],
            capacity=int(capacity),
            unit=values["unit"] or None,
        ),
        {},
    )


async def schedule(request: Request) -> Response:
    sent = await posted(request)
    if isinstance(sent, Response):
        return sent
    lang = sent.lang
    caller = Caller(lang, sent.principal)
    values = {name: sent.text(name) for name in FIELDS}

    async def refused(errors: dict[str, str], status: int) -> Response:
        return await page(
            request, caller, status_code=status, sitting_values=values, sitting_errors=errors
        )

    slot, errors = _parsed(lang, values)
    if slot is None:
        return await refused(errors, 400)
    try:
        await use_cases.schedule_reception(
            request.app.state.platform, sent.principal, slot, client_mutation_id=sent.mutation_id
        )
    except Forbidden:
        return await refused({"official": translate(lang, "appeals.error.forbidden")}, 403)
    except ValidationFailed as exc:
        return await refused(field_errors(lang, exc, DOMAIN_FIELDS, "official"), 400)
    except DomainError as exc:
        field = DOMAIN_FIELDS.get(exc.field or "", "official")
        return await refused({field: in_lang(lang, exc.message)}, 400)
    return RedirectResponse(f"/{lang}/reception#schedule-heading", status_code=303)
