"""The workspace's routes (listed in ``asan.web.routes.PARTS``)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from asan.web.workspace.actions import report, request_extension
from asan.web.workspace.document import document_page
from asan.web.workspace.document_files import add_file
from asan.web.workspace.inbox import inbox
from asan.web.workspace.registration import new_document_form, register
from asan.web.workspace.resolution_forms import decide_extension, forward, write_resolution

ROUTES: list[BaseRoute] = [
    Route("/{lang}/workspace", inbox, methods=["GET"]),
    # before /{lang}/documents/{document_id}: "new" is not a document's id
    Route("/{lang}/documents/new", new_document_form, methods=["GET"]),
    Route("/{lang}/documents/new", register, methods=["POST"]),
    Route("/{lang}/documents/{document_id}", document_page, methods=["GET"]),
    Route("/{lang}/documents/{document_id}/files", add_file, methods=["POST"]),
    Route("/{lang}/documents/{document_id}/resolution", write_resolution, methods=["POST"]),
    Route("/{lang}/tasks/{task_id}/report", report, methods=["POST"]),
    Route("/{lang}/tasks/{task_id}/extension", request_extension, methods=["POST"]),
    Route("/{lang}/tasks/{task_id}/forward", forward, methods=["POST"]),
    Route("/{lang}/extensions/{extension_id}/decision", decide_extension, methods=["POST"]),
]
