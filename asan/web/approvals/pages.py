"""The approval pages' routes (listed in ``asan.web.routes.PARTS``); ``/drafts/new`` comes
before ``/drafts/{document_id}`` so it is not taken for an id."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from asan.web.approvals import actions
from asan.web.approvals.create import create, new_draft_form
from asan.web.approvals.draft import draft_page
from asan.web.approvals.queue import queue

ROUTES: list[BaseRoute] = [
    Route("/{lang}/approvals", queue, methods=["GET"]),
    Route("/{lang}/drafts/new", new_draft_form, methods=["GET"]),
    Route("/{lang}/drafts/new", create, methods=["POST"]),
    Route("/{lang}/drafts/{document_id}", draft_page, methods=["GET"]),
    Route("/{lang}/drafts/{document_id}/visa", actions.visa, methods=["POST"]),
    Route("/{lang}/drafts/{document_id}/form-check", actions.form_check, methods=["POST"]),
    Route("/{lang}/drafts/{document_id}/sign", actions.sign, methods=["POST"]),
    Route("/{lang}/drafts/{document_id}/return", actions.return_unsigned, methods=["POST"]),
    Route("/{lang}/drafts/{document_id}/route", actions.set_route, methods=["POST"]),
    Route("/{lang}/drafts/{document_id}/send", actions.send, methods=["POST"]),
    Route("/{lang}/drafts/{document_id}/version", actions.new_version, methods=["POST"]),
]
