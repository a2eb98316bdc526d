"""Placing and lifting a hold (saxlama qadağası) on a case from its page.

The forms post to ``place_hold`` and ``lift_hold``, the use cases GraphQL's
``placeArchiveHold`` and ``liftArchiveHold`` call (audited ``run_mutation``, the holds
policy: archivists and legal experts). The reason is required by the use case; its refusal
is shown next to the field in the page's language. Lifting a hold someone lifted meanwhile is
the use case's ``InvalidTransition``: answered 409 with "changed meanwhile", nothing written.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.archive.holds.use_cases import lift_hold, place_hold
from asan.core.errors import DomainError, Forbidden, InvalidTransition, NotFound, ValidationFailed
from asan.web.archive.cases import render_case
from asan.web.archive.common import bounded_id, field_errors, not_found, refused
from asan.web.forms import posted
from asan.web.i18n import translate


async def place(request: Request) -> Response:
    form = await posted(request)
    if isinstance(form, Response):
        return form
    lang = form.lang
    case_id = bounded_id(request.path_params["case_id"])
    if case_id is None:
        return not_found(request, lang)
    values = {"kind": form.text("kind"), "reason": form.text("reason")}

    async def again(errors: dict[str, str], status: int) -> Response:
        return await render_case(
            request,
            lang,
            case_id,
            place_errors=errors,
            place_values=values,
            status_code=status,
        )

    try:
        await place_hold(
            request.app.state.platform,
            form.principal,
            case_id,
            values["kind"],
            values["reason"],
            client_mutation_id=form.mutation_id,
        )
    except Forbidden:
        return refused(request, lang)
    except NotFound:
        return not_found(request, lang)
    except ValidationFailed as exc:
        errors = field_errors(lang, exc, {"kind": "kind", "reason": "reason"}, "reason")
        if not values["reason"].strip():
            errors["reason"] = translate(lang, "archive.error.required")
        return await again(errors, 400)
    except InvalidTransition as exc:
        return await again({"reason": translate(lang, "archive.error", problem=exc.message)}, 409)
    except DomainError as exc:
        return await again({"reason": translate(lang, "archive.error", problem=exc.message)}, 400)
    return RedirectResponse(f"/{lang}/archive/cases/{case_id}#holds", status_code=303)


async def lift(request: Request) -> Response:
    form = await posted(request)
    if isinstance(form, Response):
        return form
    lang = form.lang
    hold_id = bounded_id(request.path_params["hold_id"])
    case_id = bounded_id(form.text("case_id"))
    if hold_id is None or case_id is None:
        return not_found(request, lang)
    reason = form.text("reason")

    async def again(message: str, status: int) -> Response:
        return await render_case(
            request, lang, case_id, lift_errors={hold_id: message}, status_code=status
        )

    try:
        await lift_hold(
            request.app.state.platform,
            form.principal,
            hold_id,
            reason,
            client_mutation_id=form.mutation_id,
        )
    except Forbidden:
        return refused(request, lang)
    except NotFound:
        return not_found(request, lang)
    except ValidationFailed as exc:
        if not reason.strip():
            return await again(translate(lang, "archive.error.required"), 400)
        problem = exc.errors[0].message if exc.errors else ""
        return await again(translate(lang, "archive.error", problem=problem), 400)
    except InvalidTransition:
        return await again(translate(lang, "archive.error.stale"), 409)
    except DomainError as exc:
        return await again(translate(lang, "archive.error", problem=exc.message), 400)
    return RedirectResponse(f"/{lang}/archive/cases/{case_id}#holds", status_code=303)
