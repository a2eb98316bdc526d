"""The dispatch register across documents (göndəriş reyestri): what the records office sent,
filtered by date, method and status, a page at a time.

GraphQL's ``dispatchRegister`` lists one document's lines for whoever may read it; this is the
same rule over every document at once: ``visible_where`` on the document, so a line of a
document the caller may not read is not there (not even counted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from asan.auth.principal import Principal
from asan.core.platform import Platform
from asan.core.workdays import BAKU
from asan.edms.dispatch import models as md
from asan.edms.dispatch import repository as repo
from asan.edms.documents.access import visible_where

MAX_PAGE: Final = 5000  # rows one read returns (a page, or a whole CSV download)
MAX_SKIP: Final = 100_000  # deeper than any register page a person reads


@dataclass(frozen=True)
class RegisterFilter:
    sent_from: date | None = None  # Baku calendar days, both ends included
    sent_to: date | None = None
    method: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class RegisterLine:
    entry: md.DispatchEntry
    reg_number: str | None
    subject: str | None


def _start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=BAKU)


async def register(
    platform: Platform, principal: Principal, flt: RegisterFilter, *, skip: int, limit: int
) -> tuple[list[RegisterLine], int]:
    """Sent lines newest first, and how many match in all."""
    visible, params = visible_where("doc", principal)
    params.update(
        {
            "sentFrom": _start(flt.sent_from) if flt.sent_from else None,
            "sentTo": _start(flt.sent_to + timedelta(days=1)) if flt.sent_to else None,
            "method": flt.method if flt.method in md.METHODS else None,
            "status": flt.status if flt.status in md.STATUSES else None,
        }
    )
    rows, total = await repo.register_rows(
        platform.db,
        visible,
        params,
        max(0, min(skip, MAX_SKIP)),
        max(1, min(limit, MAX_PAGE)),
    )
    return [RegisterLine(md.DispatchEntry.of(r), r["regNumber"], r["subject"]) for r in rows], total
