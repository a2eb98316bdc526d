"""The appeals list: the page of ``reads.appeals_page`` (GraphQL's ``appeals``) with its
filters, each row with its legal deadline in colour and words, repeats marked.

A filter value the list does not know is answered 400 with the message next to that filter
(a hand-edited URL), not silently widened to "any".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final
from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from asan.core.platform import Platform
from asan.core.text import clean
from asan.core.workdays import today_in_baku
from asan.edms.appeals import reads
from asan.edms.appeals.flows import APPEAL_TABLE, OPEN_STATUSES
from asan.edms.appeals.models import APPEAL_CHANNELS, APPEAL_TYPES, Appeal
from asan.registry.catalog import queries
from asan.web.appeals.settings import web_appeals_settings
from asan.web.forms import signed_in
from asan.web.i18n import Lang, translate
from asan.web.rendering import render
from asan.web.session.csrf import csrf_token
from asan.web.workspace.deadlines import Urgency, urgency

STATUSES: Final = tuple(APPEAL_TABLE)
MAX_FILTER: Final = 100
MAX_CENTRES: Final = 500  # the country has a few dozen: one select holds them all


@dataclass(frozen=True)
class Row:
    appeal: Appeal
    urgency: Urgency | None  # None once answered, forwarded or left unconsidered


def row_of(lang: Lang, appeal: Appeal, today: date) -> Row:
    open_ = appeal.status in OPEN_STATUSES and appeal.due_date is not None
    return Row(appeal, urgency(lang, appeal.due_date, today) if open_ and appeal.due_date else None)


def _filters(
    lang: Lang, query: QueryParams, today: date
) -> tuple[reads.AppealFilter, dict[str, str], dict[str, str]]:
    """The filter, the values as typed (kept in the form) and the errors per filter."""
    names = ("type", "status", "channel", "centre", "unit", "q")
    values = {k: str(query.get(k) or "") for k in names}
    values["overdue"] = "1" if query.get("overdue") else ""
    errors: dict[str, str] = {}
    for name, allowed in (
        ("type", APPEAL_TYPES),
        ("status", STATUSES),
        ("channel", APPEAL_CHANNELS),
    ):
        if values[name] and values[name] not in allowed:
            errors[name] = translate(lang, "appeals.error.filter")
    texts: dict[str, str | None] = {}
    for name in ("centre", "unit", "q"):
        cleaned, error = clean(values[name], name, max_length=MAX_FILTER, required=False)
        if error is not None:
            errors[name] = translate(lang, "appeals.error.filter")
        texts[name] = cleaned or None
    return (
        reads.AppealFilter(
            status=values["status"] or None,
            appeal_type=values["type"] or None,
            channel=values["channel"] or None,
            centre=texts["centre"],
            unit=texts["unit"],
            overdue_on=today if values["overdue"] else None,
            applicant=texts["q"],
        ),
        values,
        errors,
    )


def _after(value: str | None) -> list[object] | None:
    """The keyset position of the next page: ``<createdAt millis>.<id>``."""
    if not value:
        return None
    millis, sep, document_id = value.partition(".")
    if not sep or not millis.isdigit() or not document_id or len(document_id) > 128:
        return None
    return [int(millis), document_id]


async def appeals_list(request: Request) -> Response:
    caller = signed_in(request)
    if isinstance(caller, Response):
        return caller
    lang, principal = caller.lang, caller.principal
    today = today_in_baku()
    criteria, values, errors = _filters(lang, request.query_params, today)
    limit = web_appeals_settings().page_size
    rows: list[Row] = []
    total = 0
    next_after: str | None = None
    if not errors:
        platform: Platform = request.app.state.platform
        page, total = await reads.appeals_page(
            platform, principal, criteria, _after(request.query_params.get("after")), limit + 1
        )
        rows = [row_of(lang, a, today) for a, _ in page[:limit]]
        if len(page) > limit:
            created, last_id = page[limit - 1][1]
            next_after = f"{created}.{last_id}"
    kept = {k: v for k, v in values.items() if v}
    centres = await queries.list_asan_centres(
        request.app.state.platform, after=None, limit=MAX_CENTRES
    )
    return render(
        request,
        lang,
        "appeals/list.html",
        {
            "principal": principal,
            "csrf_token": csrf_token(request),
            "rows": rows,
            "total": total,
            "values": values,
            "errors": errors,
            "types": APPEAL_TYPES,
            "statuses": STATUSES,
            "channels": APPEAL_CHANNELS,
            "centres": [(c.code, f"{c.name} ({c.code})") for c in centres.rows],
            "next_query": urlencode({**kept, "after": next_after}) if next_after else None,
        },
        status_code=400 if errors else 200,
    )
