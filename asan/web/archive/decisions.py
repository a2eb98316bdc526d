"""The expert commission's decision on a case (ekspert komissiyasının qərarı) from the case's
page: approve destruction, extend retention by some years, or keep permanently.

The form posts to ``decide_disposal``, the use case GraphQL's ``decideDisposal`` calls (the
disposition policy: the ``archive_expert`` role); the case's page shows the form only to whom
``can`` says may decide. The use case's refusals of the input are shown next to their field in
the page's language; a case that left the decidable states meanwhile (destroyed, made
permanent, put in an act) is answered 409 with the use case's words.
"""

from __future__ import annotations

from typing import Final

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.archive.disposition.decisions import decide_disposal
from asan.core.errors import (
    BadInput,
    Conflict,
    DomainError,
    Forbidden,
    InvalidTransition,
    NotFound,
)
from asan.web.archive.cases import render_case
from asan.web.archive.common import bounded_id, not_found, refused
from asan.web.forms import posted
from asan.web.i18n import translate

FORM_FIELD: Final = {"decision": "decision", "extendYears": "extend_years", "reason": "reason"}


async def decide(request: Request) -> Response:
    form = await posted(request)
    if isinstance(form, Response):
        return form
    lang = form.lang
    case_id = bounded_id(request.path_params["case_id"])
    if case_id is None:
        return not_found(request, lang)
    values = {name: form.text(name) for name in FORM_FIELD.values()}

    async def again(errors: dict[str, str], status: int) -> Response:
        return await render_case(
            request,
            lang,
            case_id,
            decision_errors=errors,
            decision_values=values,
            status_code=status,
        )

    years_text = values["extend_years"].strip()
    if years_text and not (years_text.isdigit() and len(years_text) <= 3):
        return await again({"extend_years": translate(lang, "archive.decision.error.years")}, 400)
    try:
        await decide_disposal(
            request.app.state.platform,
            form.principal,
            case_id,
            values["decision"],
            extend_years=int(years_text) if years_text else None,
            reason=values["reason"],
            client_mutation_id=form.mutation_id,
        )
    except Forbidden:
        return refused(request, lang)
    except NotFound:
        return not_found(request, lang)
    except BadInput as exc:
        name = FORM_FIELD.get(exc.field or "", "reason")
        return await again({name: translate(lang, "archive.error", problem=exc.message)}, 400)
    except (InvalidTransition, Conflict) as exc:
        message = translate(lang, "archive.act.error.stale", problem=exc.message)
        return await again({"decision": message}, 409)
    except DomainError as exc:
        return await again({"reason": translate(lang, "archive.error", problem=exc.message)}, 400)
    return RedirectResponse(f"/{lang}/archive/cases/{case_id}#decision", status_code=303)
