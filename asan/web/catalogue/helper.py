"""Where does my matter go: the competent-unit suggestion for a citizen's own words.

The same ``suggest_competent_units`` and input check (``text_problem``) as GraphQL's
``suggestCompetentUnit``; the form is a GET so the answer is a link one can share.
"""

from __future__ import annotations

from typing import Final

from starlette.requests import Request
from starlette.responses import Response

from asan.search.querying import suggest_competent_units, text_problem
from asan.search.suggest import UnitSuggestion
from asan.web.catalogue.common import caller
from asan.web.rendering import render

MAX_TEXT: Final = 2000  # characters of a described matter taken from a URL
SHOWN: Final = 3


def problem(text: str) -> str | None:
    """A message key for text the suggester must not get, None when it may."""
    if len(text) > MAX_TEXT:
        return "catalogue.helper.too_long"
    if text_problem(text) is not None:  # GraphQL's check: control or invisible characters
        return "catalogue.error.control"
    return None


async def helper_page(request: Request) -> Response:
    c = caller(request)
    raw = request.query_params.get("text")
    error = problem(raw) if raw is not None else None
    found: list[UnitSuggestion] = []
    asked = raw is not None and error is None and bool(raw.strip())
    if asked and raw is not None:
        found = await suggest_competent_units(c.platform, raw, SHOWN)
    return render(
        request,
        c.lang,
        "catalogue/helper.html",
        {
            "text": raw if raw is not None and error is None else "",
            "error": error,
            "asked": asked,
            "found": found,
        },
    )
