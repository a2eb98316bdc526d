"""The dispatch part's routes (listed in ``asan.web.routes.PARTS``)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from asan.web.dispatch.copies import certify, copies_page
from asan.web.dispatch.mailing import dispatch_page, save_list
from asan.web.dispatch.overview import overview, register_csv
from asan.web.dispatch.sending import record, send
from asan.web.dispatch.verify import verify_page

ROUTES: list[BaseRoute] = [
    Route("/{lang}/dispatch", overview, methods=["GET"]),
    Route("/{lang}/dispatch/register.csv", register_csv, methods=["GET"]),
    Route("/{lang}/documents/{document_id}/dispatch", dispatch_page, methods=["GET"]),
    Route("/{lang}/documents/{document_id}/dispatch/list", save_list, methods=["POST"]),
    Route("/{lang}/documents/{document_id}/dispatch/send", send, methods=["POST"]),
    Route("/{lang}/dispatch/entries/{entry_id}/outcome", record, methods=["POST"]),
    Route("/{lang}/copies", copies_page, methods=["GET"]),
    Route("/{lang}/copies/certify", certify, methods=["POST"]),
    Route("/{lang}/copies/verify", verify_page, methods=["GET"]),
]
