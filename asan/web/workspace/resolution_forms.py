"""Forms of a document's execution: write a resolution, forward one's part, decide an extension.

Each posts to the use case GraphQL's mutation calls (``writeResolution``,
``forwardExecutionTask``, ``decideDeadlineExtension``) through the audited ``run_mutation``,
with a client mutation id rendered into the form (sent twice, done once). The page shows a form
only to those the policy allows, but the POST relies on the use case's own check: a caller who
may read the document but not act is answered 403 with the message on the page, one who may not
read it the 404 page. A form whose subject changed since the page was rendered (the document
already resolved, the part forwarded, the request decided) is the use case's
``InvalidTransition``: 409 with "changed meanwhile", nothing overwritten. Refused input is shown
next to its field in the page's language, the typed values kept.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Final

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.core.errors import (
    DomainError,
    FieldError,
    Forbidden,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from asan.edms.resolutions import execution
from asan.edms.resolutions.models import ResolutionDraft
from asan.edms.resolutions.use_cases import issue_resolution
from asan.web.forms import MAX_ID_CHARS, mutation_id_of, not_found, sign_in_redirect
from asan.web.i18n import Lang, translate
from asan.web.session.csrf import page_principal, posted_form
from asan.web.session.pages import page_lang
from asan.web.workspace.actions import task_form
from asan.web.workspace.document import RefusedForm, render_document
from asan.web.workspace.errors import FORM, field_errors

RESOLUTION_FIELDS: Final = ("mainExecutor", "coExecutors", "instruction", "deadline", "workingDays")
FORWARD_FIELDS: Final = ("to", "instruction", "deadline")
DECIDE_FIELDS: Final = ("decision", "note")


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


async def _run(
    request: Request,
    lang: Lang,
    document_id: str,
    refused_as: Callable[[dict[str, str]], RefusedForm],
    fields: tuple[str, ...],
    call: Callable[[], Awaitable[object]],
    anchor: str,
    stale: str = "documents.error.stale",
) -> Response:
    """Call the use case; the answer a page gives to each of its refusals."""

    async def refused(errors: dict[str, str], status: int) -> Response:
        return await render_document(
            request, lang, document_id, refused=refused_as(errors), status_code=status
        )

    try:
        await call()
    except NotFound:
        return not_found(request, lang)
    except Forbidden:
        return await refused({FORM: translate(lang, "documents.error.forbidden")}, 403)
    except ValidationFailed as exc:
        return await refused(field_errors(lang, exc.errors, fields), 400)
    except InvalidTransition:
        return await refused({FORM: translate(lang, stale)}, 409)
    except DomainError as exc:  # a conflict (already an executor), ...
        return await refused(
            field_errors(lang, [FieldError(exc.field or FORM, exc.message)], fields), 400
        )
    return RedirectResponse(f"/{lang}/documents/{document_id}#{anchor}", status_code=303)


async def write_resolution(request: Request) -> Response:
    """``issue_resolution``: executors by username, a deadline by date or in working days."""
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    form = await posted_form(request, lang)
    if isinstance(form, Response):
        return form
    document_id = request.path_params["document_id"]
    if len(document_id) > MAX_ID_CHARS:
        return not_found(request, lang)
    values = {name: str(form.get(name) or "") for name in RESOLUTION_FIELDS}
    mutation_id = mutation_id_of(form)

    def as_form(errors: dict[str, str]) -> RefusedForm:
        return RefusedForm("resolution", document_id, errors, values)

    errors: dict[str, str] = {}
    deadline = _date(values["deadline"])
    if values["deadline"].strip() and deadline is None:
        errors["deadline"] = translate(lang, "documents.error.date")
    days_text = values["workingDays"].strip()
    days = int(days_text) if days_text.isdigit() and len(days_text) < 4 else None
    if days_text and days is None:
        errors["workingDays"] = translate(lang, "documents.error.number")
    if not values["mainExecutor"].strip():
        errors["mainExecutor"] = translate(lang, "documents.error.required")
    if errors:
        return await render_document(
            request, lang, document_id, refused=as_form(errors), status_code=400
        )
    co = tuple(
        part.strip() for part in values["coExecutors"].replace("\n", ",").split(",") if part.strip()
    )
    draft = ResolutionDraft(
        document_id=document_id,
        main_executor=values["mainExecutor"],
        co_executors=co,
        instruction=values["instruction"],
        deadline=deadline,
        working_days=days,
    )
    return await _run(
        request,
        lang,
        document_id,
        as_form,
        RESOLUTION_FIELDS,
        lambda: issue_resolution(
            request.app.state.platform, principal, draft, client_mutation_id=mutation_id
        ),
        "resolutions-heading",
    )


async def forward(request: Request) -> Response:
    """``execution.forward_task``: one's part handed to a colleague of the part's unit."""
    posted = await task_form(request)
    if isinstance(posted, Response):
        return posted
    lang, document_id, task_id = posted.lang, posted.document_id, posted.task_id
    values = {name: str(posted.form.get(name) or "") for name in FORWARD_FIELDS}

    def as_form(errors: dict[str, str]) -> RefusedForm:
        return RefusedForm("forward", task_id, errors, values)

    deadline = _date(values["deadline"])
    if values["deadline"].strip() and deadline is None:
        errors = {"deadline": translate(lang, "documents.error.date")}
        return await render_document(
            request, lang, document_id, refused=as_form(errors), status_code=400
        )
    if not values["to"].strip():
        errors = {"to": translate(lang, "documents.error.required")}
        return await render_document(
            request, lang, document_id, refused=as_form(errors), status_code=400
        )
    return await _run(
        request,
        lang,
        document_id,
        as_form,
        FORWARD_FIELDS,
        lambda: execution.forward_task(
            request.app.state.platform,
            posted.principal,
            task_id,
            values["to"],
            instruction=values["instruction"],
            deadline=deadline,
            client_mutation_id=posted.mutation_id,
        ),
        f"task-{task_id}",
        stale="workspace.report.error.stale",  # the part was forwarded or reported meanwhile
    )


async def decide_extension(request: Request) -> Response:
    """``execution.decide_extension``: grant (the deadline moves) or refuse, with a note."""
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    form = await posted_form(request, lang)
    if isinstance(form, Response):
        return form
    extension_id = request.path_params["extension_id"]
    document_id = str(form.get("document_id") or "")
    if len(extension_id) > MAX_ID_CHARS or not document_id or len(document_id) > MAX_ID_CHARS:
        return not_found(request, lang)
    values = {name: str(form.get(name) or "") for name in DECIDE_FIELDS}
    mutation_id = mutation_id_of(form)

    def as_form(errors: dict[str, str]) -> RefusedForm:
        return RefusedForm("decide", extension_id, errors, values)

    if values["decision"] not in ("grant", "refuse"):
        errors = {"decision": translate(lang, "documents.error.required")}
        return await render_document(
            request, lang, document_id, refused=as_form(errors), status_code=400
        )
    return await _run(
        request,
        lang,
        document_id,
        as_form,
        DECIDE_FIELDS,
        lambda: execution.decide_extension(
            request.app.state.platform,
            principal,
            extension_id,
            grant=values["decision"] == "grant",
            note=values["note"],
            client_mutation_id=mutation_id,
        ),
        "resolutions-heading",
    )
