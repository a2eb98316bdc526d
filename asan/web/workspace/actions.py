"""Forms that change a document: reporting one's part of a resolution done, asking for a
later deadline.

The form posts to the use case GraphQL's ``reportExecution`` calls (``execution.report_task``
through the audited ``run_mutation``), with a client mutation id rendered into the form: a form
sent twice (a double click, a resend after a lost answer) reports once. A part that changed
since the page was rendered (reported or forwarded meanwhile) is refused by the use case's own
transition check and said so, instead of overwriting; refused input is shown next to the field
in the page's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.auth.principal import Principal
from asan.core.errors import DomainError, Forbidden, InvalidTransition, NotFound, ValidationFailed
from asan.edms.resolutions import execution
from asan.web.forms import MAX_ID_CHARS, mutation_id_of, not_found, sign_in_redirect
from asan.web.i18n import Lang, translate
from asan.web.session.csrf import page_principal, posted_form
from asan.web.session.pages import page_lang
from asan.web.workspace.document import render_document


@dataclass(frozen=True)
class TaskForm:
    """A signed-in, CSRF-checked POST about one execution task of one document."""

    lang: Lang
    principal: Principal
    form: FormData
    task_id: str
    document_id: str
    mutation_id: str | None


async def task_form(request: Request) -> TaskForm | Response:
    """The shared first steps of a task's form, or the page to answer with instead (sign-in,
    CSRF refusal, 404 for ids no document could have)."""
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    form = await posted_form(request, lang)
    if isinstance(form, Response):
        return form
    task_id = request.path_params["task_id"]
    document_id = str(form.get("document_id") or "")
    mutation_id = mutation_id_of(form)
    if len(task_id) > MAX_ID_CHARS or not document_id or len(document_id) > MAX_ID_CHARS:
        return not_found(request, lang)
    return TaskForm(lang, principal, form, task_id, document_id, mutation_id)


async def report(request: Request) -> Response:
    posted = await task_form(request)
    if isinstance(posted, Response):
        return posted
    lang, principal, task_id, document_id = (
        posted.lang,
        posted.principal,
        posted.task_id,
        posted.document_id,
    )
    text = str(posted.form.get("report") or "")

    async def refused(message: str, status: int) -> Response:
        """The document again, the message next to this part's report, the text kept."""
        return await render_document(
            request,
            lang,
            document_id,
            report_errors={task_id: message},
            report_text=text,
            status_code=status,
        )

    try:
        await execution.report_task(
            request.app.state.platform,
            principal,
            task_id,
            text,
            client_mutation_id=posted.mutation_id,
        )
    except (NotFound, Forbidden):
        return not_found(request, lang)
    except ValidationFailed as exc:
        key = "workspace.report.error.required" if not text.strip() else "workspace.report.error"
        problem = exc.errors[0].message if exc.errors else ""
        return await refused(translate(lang, key, problem=problem), 400)
    except InvalidTransition:
        return await refused(translate(lang, "workspace.report.error.stale"), 409)
    except DomainError as exc:
        return await refused(translate(lang, "workspace.report.error", problem=exc.message), 400)
    return RedirectResponse(f"/{lang}/documents/{document_id}#task-{task_id}", status_code=303)


async def request_extension(request: Request) -> Response:
    """``execution.request_extension``, GraphQL's ``requestDeadlineExtension``."""
    posted = await task_form(request)
    if isinstance(posted, Response):
        return posted
    lang, principal, task_id, document_id = (
        posted.lang,
        posted.principal,
        posted.task_id,
        posted.document_id,
    )
    form, mutation_id = posted.form, posted.mutation_id
    values = {"deadline": str(form.get("deadline") or ""), "reason": str(form.get("reason") or "")}

    async def refused(errors: dict[str, str], status: int) -> Response:
        return await render_document(
            request,
            lang,
            document_id,
            extension_errors={task_id: errors},
            extension_values=values,
            status_code=status,
        )

    try:
        wanted = date.fromisoformat(values["deadline"])
    except ValueError:
        return await refused({"deadline": translate(lang, "workspace.extension.error.date")}, 400)
    if not values["reason"].strip():
        return await refused({"reason": translate(lang, "workspace.report.error.required")}, 400)
    try:
        await execution.request_extension(
            request.app.state.platform,
            principal,
            task_id,
            wanted,
            values["reason"],
            client_mutation_id=mutation_id,
        )
    except (NotFound, Forbidden):
        return not_found(request, lang)
    except ValidationFailed as exc:
        errors = {
            (e.field if e.field in values else "reason"): translate(
                lang, "workspace.report.error", problem=e.message
            )
            for e in exc.errors
        }
        return await refused(errors, 400)
    except InvalidTransition:
        return await refused({"reason": translate(lang, "workspace.report.error.stale")}, 409)
    except DomainError as exc:
        return await refused(
            {"reason": translate(lang, "workspace.report.error", problem=exc.message)}, 400
        )
    return RedirectResponse(f"/{lang}/documents/{document_id}#task-{task_id}", status_code=303)
