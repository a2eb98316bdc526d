"""An appeal's page: its card, terms (in colour and words), repeat links both ways, a link to
the document's timeline, and the step forms the state machine offers and the policy allows.

Read through ``reads.appeal`` (GraphQL's ``appeal``): an appeal the caller may not read is the
same 404 page as one that does not exist.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from typing import Final

from starlette.requests import Request
from starlette.responses import Response

from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.appeals import reads
from asan.edms.appeals.flows import APPEAL_TABLE
from asan.edms.appeals.settings import appeal_settings
from asan.web.appeals.listing import row_of
from asan.web.forms import MAX_ID_CHARS, not_found, signed_in
from asan.web.i18n import Lang
from asan.web.rendering import render
from asan.web.session.csrf import csrf_token, page_principal

# form name -> the domain's step (state machine) and the policy's action
STEPS: Final = {
    "answer": ("answer", "edms.appeal.answer"),
    "forward": ("forward", "edms.appeal.forward"),
    "extend": ("extend", "edms.appeal.extend"),
    "unconsidered": ("leave_unconsidered", "edms.appeal.leave_unconsidered"),
}


async def appeal_page(request: Request) -> Response:
    caller = signed_in(request)
    if isinstance(caller, Response):
        return caller
    return await render_appeal(request, caller.lang, request.path_params["appeal_id"])


async def render_appeal(
    request: Request,
    lang: Lang,
    appeal_id: str,
    *,
    form: str | None = None,
    errors: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The page; with a refused step form (``form``), its messages next to its fields."""
    principal = page_principal(request)
    if len(appeal_id) > MAX_ID_CHARS:
        return not_found(request, lang)
    platform: Platform = request.app.state.platform
    found = await reads.appeal(platform, principal, appeal_id)
    if found is None:
        return not_found(request, lang)
    # independent reads, each its own transaction: concurrently, not one after the other
    earlier, later, allowed = await asyncio.gather(
        reads.repeated(platform, principal, appeal_id),
        reads.repeated_by(platform, principal, appeal_id),
        reads.may_take(platform, principal, appeal_id, [action for _, action in STEPS.values()]),
    )
    offered = APPEAL_TABLE.get(found.status, {})
    forms = [
        name
        for name, (step, action) in STEPS.items()
        if name == form
        or (
            step in offered
            and action in allowed
            and (name != "unconsidered" or found.repeat_count > 0)
        )
    ]
    today = today_in_baku()
    return render(
        request,
        lang,
        "appeals/appeal.html",
        {
            "principal": principal,
            "csrf_token": csrf_token(request),
            "row": row_of(lang, found, today),
            "a": found,
            "earlier": earlier,
            "later": later,
            "forms": forms,
            "form": form,
            "errors": dict(errors or {}),
            "values": dict(values or {}),
            "max_extension": appeal_settings().max_extension_days,
            "new_id": lambda: uuid.uuid4().hex,
        },
        status_code=status_code,
    )
