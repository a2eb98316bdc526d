"""The registrar's dispatch page: signed documents waiting to be sent, and the dispatch
register (göndəriş reyestri) with filters and pages; the same register as CSV.

The waiting list is the documents read GraphQL's ``documents(filter: {status: SIGNED})`` uses,
the register a read over every document with ``visible_where`` (asan/edms/dispatch/register.py):
the policy decides what either holds. The filters are the URL's query, so a filtered register
is a link one can share.
"""

from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from asan.core.platform import Platform
from asan.core.workdays import BAKU
from asan.edms.dispatch import models as md
from asan.edms.dispatch.register import RegisterFilter, RegisterLine, register
from asan.edms.dispatch.use_cases import DISPATCH_STEP
from asan.edms.documents.reads import DocumentFilter, list_documents
from asan.web.forms import sign_in_redirect
from asan.web.i18n import Lang, translate
from asan.web.rendering import render
from asan.web.session.csrf import csrf_token, page_principal
from asan.web.session.pages import page_lang

PAGE_SIZE: Final = 25
READY_LIMIT: Final = 50
CSV_LIMIT: Final = 5000  # rows of one download (a year of a busy records office)
MAX_PAGE: Final = 1000
FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Filters:
    """The register's filters as the query has them: kept as typed to refill the form."""

    sent_from: str
    sent_to: str
    method: str
    status: str
    page: int
    errors: dict[str, str]

    def domain(self) -> RegisterFilter:
        return RegisterFilter(
            sent_from=_day(self.sent_from),
            sent_to=_day(self.sent_to),
            method=self.method or None,
            status=self.status or None,
        )

    def query(self, page: int | None = None) -> str:
        values = {
            "from": self.sent_from,
            "to": self.sent_to,
            "method": self.method,
            "status": self.status,
        }
        if page is not None and page > 1:
            values["page"] = str(page)
        return urlencode({k: v for k, v in values.items() if v})


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def filters_of(request: Request, lang: Lang) -> Filters:
    q = request.query_params
    sent_from, sent_to = q.get("from", "")[:10], q.get("to", "")[:10]
    method, status = q.get("method", ""), q.get("status", "")
    errors: dict[str, str] = {}
    for name, text in (("from", sent_from), ("to", sent_to)):
        if text and _day(text) is None:
            errors[name] = translate(lang, "dispatch.error.date")
    if method and method not in md.METHODS:
        errors["method"] = translate(lang, "dispatch.error.choice")
        method = ""
    if status and status not in md.STATUSES[1:]:
        errors["status"] = translate(lang, "dispatch.error.choice")
        status = ""
    page_text = q.get("page", "1")
    page = int(page_text) if page_text.isdigit() and 0 < len(page_text) < 5 else 1
    return Filters(sent_from, sent_to, method, status, max(1, min(page, MAX_PAGE)), errors)


async def overview(request: Request) -> Response:
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    platform: Platform = request.app.state.platform
    flt = filters_of(request, lang)
    # the two reads are independent: one after the other the page would wait for both in turn
    (ready, _), (rows, total) = await asyncio.gather(
        list_documents(
            platform, principal, DocumentFilter(status="signed"), after=None, limit=READY_LIMIT
        ),
        register(
            platform, principal, flt.domain(), skip=(flt.page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        ),
    )
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    return render(
        request,
        lang,
        "dispatch/overview.html",
        {
            "csrf_token": csrf_token(request),
            "ready": [d for d in ready if d["kind"] in DISPATCH_STEP],
            "rows": rows,
            "total": total,
            "flt": flt,
            "pages": pages,
            "methods": md.METHODS,
            "statuses": md.STATUSES[1:],
            "at": _at,
        },
        status_code=400 if flt.errors else 200,
    )


def _at(value: datetime | None) -> str:
    """Baku's time, to the minute (the register's dates are the agency's)."""
    return value.astimezone(BAKU).strftime("%Y-%m-%d %H:%M") if value else ""


def _cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


def csv_row(lang: Lang, line: RegisterLine) -> list[str]:
    e = line.entry
    done = e.delivered_at or e.returned_at
    return [
        _cell(value)
        for value in (
            line.reg_number or "",
            line.subject or "",
            e.state_body or e.org_unit or e.name or "",
            translate(lang, f"dispatch.method.{e.method}"),
            translate(lang, f"dispatch.status.{e.status}"),
            _at(e.sent_at),
            _at(done),
            e.reason or "",
            e.tracking or "",
            e.sha256 or "",
        )
    ]


async def register_csv(request: Request) -> Response:
    """The filtered register (every page of it, up to ``CSV_LIMIT`` rows) as UTF-8 CSV."""
    lang = page_lang(request)
    principal = page_principal(request)
    if not principal.is_authenticated:
        return sign_in_redirect(request, lang)
    flt = filters_of(request, lang)
    rows, _ = await register(
        request.app.state.platform, principal, flt.domain(), skip=0, limit=CSV_LIMIT
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([translate(lang, f"dispatch.csv.{n}") for n in CSV_HEADINGS])
    writer.writerows(csv_row(lang, line) for line in rows)
    return Response(
        "\ufeff" + out.getvalue(),  # the BOM: spreadsheets then read the letters as UTF-8
        media_type="text/csv; charset=utf-8",
        headers={
            "content-disposition": 'attachment; filename="dispatch-register.csv"',
            "cache-control": "private, no-store",
        },
    )


CSV_HEADINGS: Final = (
    "number",
    "subject",
    "addressee",
    "method",
    "status",
    "sent",
    "outcome",
    "reason",
    "tracking",
    "sha256",
)
