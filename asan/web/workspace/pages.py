"""The workspace's routes (listed in ``asan.web.routes.PARTS``)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from asan.web.workspace.actions import report, request_extension
from asan.web.workspace.document import document_page
from asan.web.workspace.inbox import inbox

ROUTES: list[BaseRoute] = [
    Route("/{lang}/workspace", inbox, methods=["GET"]),
    Route("/{lang}/documents/{document_id}", document_page, methods=["GET"]),
    Route("/{lang}/tasks/{task_id}/report", report, methods=["POST"]),
    Route("/{lang}/tasks/{task_id}/extension", request_extension, methods=["POST"]),
]
