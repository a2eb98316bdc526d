"""A destruction act's next steps from the disposal page: signing (the agency's head) and
executing (archivists), the use cases GraphQL's ``signDestructionAct`` and
``executeDestructionAct`` call.

The disposition policy decides who may; the page shows each button only to whom ``can`` says
may take that step (the post is checked again by the use case). An act that moved on meanwhile
(signed or executed by someone else) is the use case's ``InvalidTransition``: 409 "changed
meanwhile". A refusal the use case explains (a case held since the act was drawn up, its
records changed) is shown above the acts with the use case's words. Execution runs within the
request up to the same ``sync_max_records`` as GraphQL; a larger act is refused with the
command line's way named by the use case.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.archive.disposition import acts, execute
from asan.archive.disposition.settings import disposition_settings
from asan.core.errors import DomainError, Forbidden, InvalidTransition, NotFound
from asan.core.platform import Platform
from asan.web.archive.common import bounded_id, not_found, refused
from asan.web.archive.disposal import render_disposal
from asan.web.forms import posted
from asan.web.i18n import translate


async def act_step(request: Request) -> Response:
    form = await posted(request)
    if isinstance(form, Response):
        return form
    lang = form.lang
    act_id = bounded_id(request.path_params["act"])
    step = str(request.path_params["step"])
    if act_id is None or step not in ("sign", "execute"):
        return not_found(request, lang)
    platform: Platform = request.app.state.platform
    try:
        if step == "sign":
            await acts.sign_act(
                platform, form.principal, act_id, client_mutation_id=form.mutation_id
            )
        else:
            await execute.execute_act(
                platform,
                form.principal,
                act_id,
                max_records=disposition_settings().sync_max_records,
            )
    except Forbidden:
        return refused(request, lang)
    except NotFound:
        return not_found(request, lang)
    except InvalidTransition as exc:
        message = translate(lang, "archive.act.error.stale", problem=exc.message)
        return await render_disposal(request, lang, act_error=message, status_code=409)
    except DomainError as exc:
        message = translate(lang, "archive.error", problem=exc.message)
        return await render_disposal(request, lang, act_error=message, status_code=400)
    return RedirectResponse(f"/{lang}/archive/disposal#acts", status_code=303)
