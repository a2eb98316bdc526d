"""The forms that move a draft on: a visa, the registrar's form check, signing, the
signatory's return, setting the route, sending to visa, a new version.

Each posts to the use case GraphQL's mutation calls (``decide_visa``, ``check_form``,
``sign_document``, ``return_from_signature``, ``set_visa_route``, ``send_to_visa``,
``new_draft_version``), through the audited ``run_mutation``, with the client mutation id
rendered into the form: sent twice, it acts once. A form about a version or a state the draft
has left meanwhile (a new version uploaded, a rejection by another holder, signed by someone
else) answers 409 "changed meanwhile" instead of acting on what the sender did not see;
refused input is shown next to its field in the page's language (400).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

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
from asan.edms.drafts import use_cases as drafts
from asan.edms.drafts import visas
from asan.edms.drafts.models import APPROVE_WITH_REMARKS, DECISIONS, REJECT
from asan.edms.signatures.use_cases import sign_document
from asan.web.approvals.draft import current_draft, render_draft
from asan.web.approvals.forms import Posted, draft_form, lines
from asan.web.approvals.inputs import FORM, field_errors, route_of
from asan.web.forms import not_found
from asan.web.i18n import translate
from asan.web.workspace.upload import posted_file

Call = Callable[[], Awaitable[Any]]


def _back(posted: Posted, anchor: str) -> str:
    if posted.text("back") == "queue":
        return f"/{posted.lang}/approvals"
    return f"/{posted.lang}/drafts/{posted.document_id}#{anchor}"


async def _refuse(
    request: Request,
    posted: Posted,
    form: str,
    errors: Mapping[str, str],
    status: int,
    values: Mapping[str, str] | None = None,
) -> Response:
    return await render_draft(
        request,
        posted.lang,
        posted.document_id,
        errors={form: errors},
        values=values,
        status_code=status,
    )


async def _act(
    request: Request,
    posted: Posted,
    form: str,
    call: Call,
    *,
    anchor: str,
    values: Mapping[str, str] | None = None,
    steps: Sequence[int] = (),
    versioned: bool = False,
) -> Response:
    """Run the use case (first checking, for a ``versioned`` form, that it was made from the
    draft's current version); map its refusals to this form's messages."""
    lang = posted.lang
    if versioned and (moved_on := await _stale_version(request, posted, form)) is not None:
        return moved_on

    def wrap(message: str) -> str:
        return translate(lang, "approvals.error", problem=message)

    try:
        await call()
    except (NotFound, Forbidden):
        return not_found(request, lang)
    except ValidationFailed as exc:
        return await _refuse(
            request, posted, form, field_errors(exc.errors, wrap, steps), 400, values
        )
    except (InvalidTransition, Conflict):
        stale = {FORM: translate(lang, "approvals.error.stale")}
        return await _refuse(request, posted, form, stale, 409, values)
    except DomainError as exc:
        return await _refuse(request, posted, form, {FORM: wrap(exc.message)}, 400, values)
    return RedirectResponse(_back(posted, anchor), status_code=303)


async def _stale_version(request: Request, posted: Posted, form: str) -> Response | None:
    """409 when the form was about another version than the draft's current one (a new
    version came meanwhile); the 404 page when the caller cannot see the draft."""
    draft = await current_draft(request.app.state.platform, request, posted.document_id)
    if draft is None:
        return not_found(request, posted.lang)
    if posted.text("version") != str(draft.version):
        stale = {FORM: translate(posted.lang, "approvals.error.stale")}
        return await _refuse(request, posted, form, stale, 409)
    return None


async def visa(request: Request) -> Response:
    posted = await draft_form(request)
    if isinstance(posted, Response):
        return posted
    decision = posted.text("decision")
    remarks, reasons = posted.text("remarks"), posted.text("reasons")
    values = {"remarks": remarks, "reasons": reasons}
    required = translate(posted.lang, "approvals.error.required")
    if decision not in DECISIONS:
        return await _refuse(request, posted, "visa", {FORM: required}, 400, values)
    if decision == REJECT and not lines(reasons):
        return await _refuse(request, posted, "visa", {"reasons": required}, 400, values)
    if decision == APPROVE_WITH_REMARKS and not remarks.strip():
        return await _refuse(request, posted, "visa", {"remarks": required}, 400, values)
    return await _act(
        request,
        posted,
        "visa",
        lambda: visas.decide_visa(
            request.app.state.platform,
            posted.principal,
            posted.document_id,
            posted.text("step_id")[:128],
            decision,
            remarks=remarks if decision == APPROVE_WITH_REMARKS else "",
            reasons=lines(reasons) if decision == REJECT else (),
            client_mutation_id=posted.mutation_id,
        ),
        anchor="visas",
        values=values,
        versioned=True,
    )


async def form_check(request: Request) -> Response:
    posted = await draft_form(request)
    if isinstance(posted, Response):
        return posted
    reasons = posted.text("reasons")
    values = {"reasons": reasons}
    rejecting = posted.text("outcome") == "reject"
    if rejecting and not lines(reasons):
        required = translate(posted.lang, "approvals.error.required")
        return await _refuse(request, posted, "form_check", {"reasons": required}, 400, values)
    return await _act(
        request,
        posted,
        "form_check",
        lambda: drafts.check_form(
            request.app.state.platform,
            posted.principal,
            posted.document_id,
            reasons=lines(reasons) if rejecting else (),
            client_mutation_id=posted.mutation_id,
        ),
        anchor="form-checks",
        values=values,
        versioned=True,
    )


async def sign(request: Request) -> Response:
    posted = await draft_form(request)
    if isinstance(posted, Response):
        return posted
    return await _act(
        request,
        posted,
        "sign",
        lambda: sign_document(
            request.app.state.platform,
            posted.principal,
            posted.document_id,
            client_mutation_id=posted.mutation_id,
        ),
        anchor="signature",
        versioned=True,
    )


async def return_unsigned(request: Request) -> Response:
    posted = await draft_form(request)
    if isinstance(posted, Response):
        return posted
    reasons = posted.text("reasons")
    values = {"reasons": reasons}
    if not lines(reasons):
        required = translate(posted.lang, "approvals.error.required")
        return await _refuse(request, posted, "return", {"reasons": required}, 400, values)
    return await _act(
        request,
        posted,
        "return",
        lambda: visas.return_from_signature(
            request.app.state.platform,
            posted.principal,
            posted.document_id,
            lines(reasons),
            client_mutation_id=posted.mutation_id,
        ),
        anchor="signature",
        values=values,
        versioned=True,
    )


async def send(request: Request) -> Response:
    posted = await draft_form(request)
    if isinstance(posted, Response):
        return posted
    return await _act(
        request,
        posted,
        "send",
        lambda: drafts.send_to_visa(
            request.app.state.platform,
            posted.principal,
            posted.document_id,
            client_mutation_id=posted.mutation_id,
        ),
        anchor="route",
    )


async def set_route(request: Request) -> Response:
    posted = await draft_form(request)
    if isinstance(posted, Response):
        return posted
    lang = posted.lang
    values = {k: v for k, v in posted.form.items() if isinstance(v, str) and k != "csrf_token"}
    typed = route_of(
        posted.text,
        translate(lang, "approvals.error.required"),
        translate(lang, "approvals.error.stage"),
    )
    if typed.errors or typed.route is None:
        errors = typed.errors or {"step_position_0": translate(lang, "approvals.error.required")}
        return await _refuse(request, posted, "route", errors, 400, values)
    route = typed.route
    return await _act(
        request,
        posted,
        "route",
        lambda: drafts.set_visa_route(
            request.app.state.platform,
            posted.principal,
            posted.document_id,
            route,
            client_mutation_id=posted.mutation_id,
        ),
        anchor="route",
        values=values,
        steps=typed.rows,
    )


async def new_version(request: Request) -> Response:
    posted = await draft_form(request, multipart=True)
    if isinstance(posted, Response):
        return posted
    try:
        file = await posted_file(posted.form)
        comment = posted.text("comment")
    finally:
        await posted.form.close()
    change = drafts.NewVersion(
        file=drafts.DraftFile(file.data, file.filename, file.content_type) if file else None,
        comment=comment,
    )
    return await _act(
        request,
        posted,
        "version",
        lambda: drafts.new_draft_version(
            request.app.state.platform,
            posted.principal,
            posted.document_id,
            change,
            client_mutation_id=posted.mutation_id,
        ),
        anchor="files",
        values={"comment": comment},
    )
