"""The appeal and reception pages' routes (listed in ``asan.web.routes.PARTS``)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from asan.web.appeals.actions import take_step
from asan.web.appeals.appeal import appeal_page
from asan.web.appeals.listing import appeals_list
from asan.web.appeals.reception import book, reception
from asan.web.appeals.register import new_appeal, register
from asan.web.appeals.sittings import schedule
from asan.web.appeals.visits import record

ROUTES: list[BaseRoute] = [
    Route("/{lang}/appeals", appeals_list, methods=["GET"]),
    Route("/{lang}/appeals/new", new_appeal, methods=["GET"]),
    Route("/{lang}/appeals/new", register, methods=["POST"]),
    Route("/{lang}/appeals/{appeal_id}", appeal_page, methods=["GET"]),
    Route("/{lang}/appeals/{appeal_id}/{step}", take_step, methods=["POST"]),
    Route("/{lang}/reception", reception, methods=["GET"]),
    Route("/{lang}/reception/visits", book, methods=["POST"]),
    Route("/{lang}/reception/sittings", schedule, methods=["POST"]),
    Route("/{lang}/reception/visits/{visit_id}/outcome", record, methods=["POST"]),
]
