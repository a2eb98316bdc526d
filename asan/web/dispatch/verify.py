"""Checking a certified copy by the code printed on it: public, no sign-in.

Anyone holding a copy (a bank, a court, the citizen) types the code; the page answers what
GraphQL's ``verifyCertifiedCopy(code:)`` answers, through the same read
(``copies.reads.verify``): who certified it, their position, the date, the registration number,
and whether the agency still keeps the original with the hash the copy names. Never the
document's subject or content. Checking an uploaded copy byte for byte stays in the API.
"""

from __future__ import annotations

from typing import Final

from starlette.requests import Request
from starlette.responses import Response

from asan.edms.copies.making import normalise_code
from asan.edms.copies.reads import verify
from asan.web.forms import in_lang
from asan.web.rendering import render
from asan.web.session.pages import page_lang

MAX_CODE: Final = 40


async def verify_page(request: Request) -> Response:
    lang = page_lang(request)
    typed = request.query_params.get("code", "")[:MAX_CODE].strip()
    code = normalise_code(typed) if typed else ""
    result = await verify(request.app.state.platform, code, None) if code else None
    valid = result is not None and result.found and result.original_matches
    return render(
        request,
        lang,
        "dispatch/verify.html",
        {
            "typed": typed,
            "result": result,
            "valid": valid,
            "problems": [in_lang(lang, p) for p in (result.problems if result else ())],
        },
        status_code=200 if result is None or result.found else 404,
    )
