"""The registry work pages' routes (listed in ``asan.web.routes.PARTS``; docs/web-registry.md)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from asan.web.registry.home import registry_home
from asan.web.registry.requests import approve, request_page, review, send_back
from asan.web.registry.services import create, edit_form, new_form, save, submit

ROUTES: list[BaseRoute] = [
    Route("/{lang}/registry", registry_home, methods=["GET"]),
    Route("/{lang}/registry/services/new", new_form, methods=["GET"]),
    Route("/{lang}/registry/services/new", create, methods=["POST"]),
    Route("/{lang}/registry/services/{code}/edit", edit_form, methods=["GET"]),
    Route("/{lang}/registry/services/{code}/edit", save, methods=["POST"]),
    Route("/{lang}/registry/services/{code}/submit", submit, methods=["POST"]),
    Route("/{lang}/registry/requests/{request_id}", request_page, methods=["GET"]),
    Route("/{lang}/registry/requests/{request_id}/approve", approve, methods=["POST"]),
    Route("/{lang}/registry/requests/{request_id}/return", send_back, methods=["POST"]),
    Route("/{lang}/registry/requests/{request_id}/review", review, methods=["POST"]),
]
