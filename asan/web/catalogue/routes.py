"""The catalogue's routes (listed in ``asan.web.routes.PARTS``); every page is a GET whose
whole state is in its URL, so a link shares exactly what one sees."""

from __future__ import annotations

from typing import Final

from starlette.routing import BaseRoute, Route

from asan.web.catalogue.helper import helper_page
from asan.web.catalogue.org import org_page, unit_page
from asan.web.catalogue.places import buses_page, centres_page
from asan.web.catalogue.service import service_page
from asan.web.catalogue.services import services_page, suggest

ROUTES: Final[list[BaseRoute]] = [
    Route("/{lang}/services", services_page, methods=["GET"]),
    Route("/{lang}/services/suggest", suggest, methods=["GET"]),
    Route("/{lang}/services/{code}", service_page, methods=["GET"]),
    Route("/{lang}/centres", centres_page, methods=["GET"]),
    Route("/{lang}/buses", buses_page, methods=["GET"]),
    Route("/{lang}/org", org_page, methods=["GET"]),
    Route("/{lang}/org/{code}", unit_page, methods=["GET"]),
    Route("/{lang}/helper", helper_page, methods=["GET"]),
]
