"""Recording a reception visit's outcome from the reception page: received or did not come,
with notes, and a received matter registered as an appeal at once (``reception.use_cases.
record_visit``, GraphQL's ``recordReceptionVisit``, through the audited pipeline).

A visit recorded meanwhile (by a colleague, in another tab) is the use case's Conflict: 409
with its message next to the form, nothing overwritten.
"""

from __future__ import annotations

from typing import Final

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.core.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed
from asan.edms.appeals.models import APPEAL_TYPES, Applicant, NewAppeal
from asan.edms.reception import use_cases
from asan.web.appeals.common import field_errors
from asan.web.appeals.reception import Outcome, page
from asan.web.forms import MAX_ID_CHARS, Caller, in_lang, not_found, posted
from asan.web.i18n import translate

OUTCOMES: Final = ("received", "no_show")
FIELDS: Final = ("outcome", "notes", "appeal_type", "subject")
DOMAIN_FIELDS: Final = {"notes": "notes", "appeal": "appeal_type", "subject": "subject"}


async def record(request: Request) -> Response:
    sent = await posted(request)
    if isinstance(sent, Response):
        return sent
    lang = sent.lang
    caller = Caller(lang, sent.principal)
    visit_id = request.path_params["visit_id"]
    if len(visit_id) > MAX_ID_CHARS:
        return not_found(request, lang)
    values = {name: sent.text(name) for name in FIELDS}

    async def refused(errors: dict[str, str], status: int) -> Response:
        return await page(
            request, caller, status_code=status, outcome=Outcome(visit_id, errors, values)
        )

    if values["outcome"] not in OUTCOMES:
        return await refused({"outcome": translate(lang, "appeals.error.choice")}, 400)
    if values["appeal_type"] and values["appeal_type"] not in APPEAL_TYPES:
        return await refused({"appeal_type": translate(lang, "appeals.error.choice")}, 400)
    appeal = None
    if values["appeal_type"]:
        appeal = NewAppeal(values["appeal_type"], "reception", Applicant(""), values["subject"])
    try:
        await use_cases.record_visit(
            request.app.state.platform,
            sent.principal,
            visit_id,
            attended=values["outcome"] == "received",
            notes=values["notes"] or None,
            appeal=appeal,
            client_mutation_id=sent.mutation_id,
        )
    except NotFound:
        return not_found(request, lang)
    except Forbidden:
        return await refused({"outcome": translate(lang, "appeals.error.forbidden")}, 403)
    except ValidationFailed as exc:
        return await refused(field_errors(lang, exc, DOMAIN_FIELDS, "outcome"), 400)
    except Conflict as exc:  # recorded meanwhile
        return await refused({"outcome": in_lang(lang, exc.message)}, 409)
    except DomainError as exc:
        field = DOMAIN_FIELDS.get(exc.field or "", "outcome")
        return await refused({field: in_lang(lang, exc.message)}, 400)
    return RedirectResponse(f"/{lang}/reception#visit-{visit_id}", status_code=303)
