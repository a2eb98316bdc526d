"""Adding a file to a document from its page (a new version of the original, an attachment).

The form posts multipart to ``files.use_cases.upload_document_file``, the use case of GraphQL's
``uploadDocumentFile``, through the audited ``run_mutation`` with a client mutation id; the body
is read at most the files limit (``upload.py``: 413 by ``Content-Length`` before reading, or as
soon as a chunked body passes it). Without JavaScript the form posts and the page comes back
(303); with it, ``workspace.js`` sends the same form by XHR with a progress bar.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.core.errors import DomainError, FieldError, Forbidden, NotFound, ValidationFailed
from asan.edms.files.use_cases import UPLOAD_ROLES, upload_document_file
from asan.web.forms import MAX_ID_CHARS, mutation_id_of, not_found, sign_in_redirect
from asan.web.i18n import translate
from asan.web.session.csrf import page_principal
from asan.web.session.pages import page_lang
from asan.web.workspace.document import RefusedForm, render_document
from asan.web.workspace.errors import FORM, field_errors
from asan.web.workspace.upload import file_form, posted_file

FIELDS = ("file", "role")


async def add_file(request: Request) -> Response:
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    document_id = request.path_params["document_id"]
    if len(document_id) > MAX_ID_CHARS:
        return not_found(request, lang)
    form = await file_form(request, lang)
    if isinstance(form, Response):
        return form
    role = str(form.get("role") or "attachment")
    mutation_id = mutation_id_of(form)
    upload = await posted_file(form)
    await form.close()

    async def refused(errors: dict[str, str], status: int) -> Response:
        shown = RefusedForm("upload", document_id, errors, {"role": role})
        return await render_document(request, lang, document_id, refused=shown, status_code=status)

    if upload is None:
        return await refused({"file": translate(lang, "documents.upload.required")}, 400)
    if role not in UPLOAD_ROLES:
        role = "attachment"
    try:
        await upload_document_file(
            request.app.state.platform,
            principal,
            document_id,
            upload.data,
            filename=upload.filename,
            content_type=upload.content_type,
            role=role,
            client_mutation_id=mutation_id,
        )
    except NotFound:
        return not_found(request, lang)
    except Forbidden:
        return await refused({FORM: translate(lang, "documents.error.forbidden")}, 403)
    except ValidationFailed as exc:
        return await refused(field_errors(lang, exc.errors, FIELDS), 400)
    except DomainError as exc:
        return await refused(
            field_errors(lang, [FieldError(exc.field or FORM, exc.message)], FIELDS), 400
        )
    return RedirectResponse(f"/{lang}/documents/{document_id}#files-heading", status_code=303)
