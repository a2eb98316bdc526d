"""The step forms of an appeal's page: answer, forward to the competent state body, extend the
term (or extra study), leave unconsidered. Each posts to the use case GraphQL's mutation calls
(``answerAppeal``, ``forwardAppeal``, ``extendAppealTerm``, ``leaveAppealUnconsidered``)
through the audited pipeline, with the form's client mutation id (sent twice, done once).

A step the appeal's state no longer allows (answered or forwarded meanwhile by someone else)
is the state machine's InvalidTransition: answered 409 with "changed meanwhile" next to the
form, nothing overwritten. Refused input: 400, the message next to the field, values kept.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
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
from asan.core.platform import Platform
from asan.edms.appeals import use_cases
from asan.web.appeals.appeal import render_appeal
from asan.web.appeals.common import field_errors
from asan.web.forms import MAX_ID_CHARS, Posted, in_lang, not_found, posted
from asan.web.i18n import translate

MAX_WORKING_DAYS: Final = 120
# per form: its fields, the domain's field names -> the form's, the field for other messages
FIELDS: Final[dict[str, tuple[tuple[str, ...], dict[str, str], str]]] = {
    "answer": (("answer", "substantive"), {"answer": "answer"}, "answer"),
    "forward": (
        ("state_body", "reason"),
        {"stateBody": "state_body", "reason": "reason"},
        "reason",
    ),
    "extend": (
        ("working_days", "extra_study", "reason"),
        {"workingDays": "working_days", "reason": "reason"},
        "working_days",
    ),
    "unconsidered": (
        ("reason", "no_new_information"),
        {"reason": "reason", "noNewInformation": "no_new_information"},
        "reason",
    ),
}

Step = Callable[[Platform, Posted, str], Awaitable[str]]


class NotANumber(Exception):
    """The working days typed are not a whole number the law could allow (checked before the
    use case, which takes an int)."""


async def _answer(platform: Platform, sent: Posted, appeal_id: str) -> str:
    return await use_cases.answer_appeal(
        platform,
        sent.principal,
        appeal_id,
        sent.text("answer"),
        substantive=bool(sent.form.get("substantive")),
        client_mutation_id=sent.mutation_id,
    )


async def _forward(platform: Platform, sent: Posted, appeal_id: str) -> str:
    return await use_cases.forward_appeal(
        platform,
        sent.principal,
        appeal_id,
        sent.text("state_body"),
        sent.text("reason"),
        client_mutation_id=sent.mutation_id,
    )


async def _extend(platform: Platform, sent: Posted, appeal_id: str) -> str:
    raw = sent.text("working_days").strip() or "0"
    if not raw.isdigit() or int(raw) > MAX_WORKING_DAYS:
        raise NotANumber
    return await use_cases.extend_appeal(
        platform,
        sent.principal,
        appeal_id,
        working_days=int(raw),
        extra_study=bool(sent.form.get("extra_study")),
        reason=sent.text("reason"),
        client_mutation_id=sent.mutation_id,
    )


async def _unconsidered(platform: Platform, sent: Posted, appeal_id: str) -> str:
    return await use_cases.leave_unconsidered(
        platform,
        sent.principal,
        appeal_id,
        sent.text("reason"),
        no_new_information=bool(sent.form.get("no_new_information")),
        client_mutation_id=sent.mutation_id,
    )


STEPS: Final[dict[str, Step]] = {
    "answer": _answer,
    "forward": _forward,
    "extend": _extend,
    "unconsidered": _unconsidered,
}


async def take_step(request: Request) -> Response:
    name = request.path_params["step"]
    step = STEPS.get(name)
    sent = await posted(request)
    if isinstance(sent, Response):
        return sent
    lang = sent.lang
    appeal_id = request.path_params["appeal_id"]
    if step is None or len(appeal_id) > MAX_ID_CHARS:
        return not_found(request, lang)
    names, domain_fields, fallback = FIELDS[name]
    values = {field: sent.text(field) for field in names}

    async def refused(errors: dict[str, str], status: int) -> Response:
        return await render_appeal(
            request, lang, appeal_id, form=name, errors=errors, values=values, status_code=status
        )

    try:
        await step(request.app.state.platform, sent, appeal_id)
    except NotFound:
        return not_found(request, lang)
    except Forbidden:
        return await refused({fallback: translate(lang, "appeals.error.forbidden")}, 403)
    except NotANumber:
        return await refused({"working_days": translate(lang, "appeals.error.number")}, 400)
    except ValidationFailed as exc:
        return await refused(field_errors(lang, exc, domain_fields, fallback), 400)
    except InvalidTransition:
        return await refused({fallback: translate(lang, "appeals.error.stale")}, 409)
    except DomainError as exc:
        field = domain_fields.get(exc.field or "", fallback)
        return await refused(
            {field: in_lang(lang, exc.message)}, 409 if isinstance(exc, Conflict) else 400
        )
    return RedirectResponse(f"/{lang}/appeals/{appeal_id}", status_code=303)
