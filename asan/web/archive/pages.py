"""The archive pages' routes (listed in ``asan.web.routes.PARTS``)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from asan.web.archive.acts import act_step
from asan.web.archive.cases import case_page, cases_page
from asan.web.archive.decisions import decide
from asan.web.archive.disposal import act_pdf, create_act, disposal_page
from asan.web.archive.holds import lift, place
from asan.web.archive.nomenclature import add, create, nomenclature_page, step
from asan.web.archive.transfers import accept, download, send_back, submit, transfers_page
from asan.web.archive.transfers import create as create_inventory

ROUTES: list[BaseRoute] = [
    Route("/{lang}/archive/nomenclature", nomenclature_page, methods=["GET"]),
    Route("/{lang}/archive/nomenclature/{year}/create", create, methods=["POST"]),
    Route("/{lang}/archive/nomenclature/{year}/cases", add, methods=["POST"]),
    Route("/{lang}/archive/nomenclature/{year}/{step}", step, methods=["POST"]),
    Route("/{lang}/archive/cases", cases_page, methods=["GET"]),
    Route("/{lang}/archive/cases/{case_id}", case_page, methods=["GET"]),
    Route("/{lang}/archive/cases/{case_id}/holds", place, methods=["POST"]),
    Route("/{lang}/archive/holds/{hold_id}/lift", lift, methods=["POST"]),
    Route("/{lang}/archive/cases/{case_id}/decision", decide, methods=["POST"]),
    Route("/{lang}/archive/transfers", transfers_page, methods=["GET"]),
    Route("/{lang}/archive/transfers", create_inventory, methods=["POST"]),
    Route("/{lang}/archive/transfers/{inventory_id}.{fmt}", download, methods=["GET"]),
    Route("/{lang}/archive/transfers/{inventory_id}/submit", submit, methods=["POST"]),
    Route("/{lang}/archive/transfers/{inventory_id}/accept", accept, methods=["POST"]),
    Route("/{lang}/archive/transfers/{inventory_id}/return", send_back, methods=["POST"]),
    Route("/{lang}/archive/disposal", disposal_page, methods=["GET"]),
    Route("/{lang}/archive/disposal/acts", create_act, methods=["POST"]),
    Route("/{lang}/archive/disposal/acts/{act}.pdf", act_pdf, methods=["GET"]),
    Route("/{lang}/archive/disposal/acts/{act}/{step}", act_step, methods=["POST"]),
]
