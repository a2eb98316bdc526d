"""Filing a document into the open case its card's index names, inside the caller's mutation.

Registration files into the case of the registration year, completion into the case of the
year the document was completed in (documents go into the cases of the year their matter
ended). The card's ``caseIndex`` is the request, the ``FILED_IN`` link the result: a document
already filed into a case with the card's index is left where it is.

When no open case of that year has the index, what happens depends on the year's
nomenclature. Once it is approved the list of cases is fixed, so an index outside it is a
mistake and the step is refused (a userError on ``caseIndex`` naming the index and the case
of another year still open with it, if any). Before approval (or with no nomenclature at all,
and in free-text numbering schemes that predate the archive) the document is registered
unfiled and the warning is written to its timeline and the audit event: a registrar cannot
be made to wait for the nomenclature. Completion never refuses: taking a document off control
must not depend on the archive; it only files when it can, and warns otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from asan.archive.cases import repository as cases_repo
from asan.archive.cases.models import OPEN
from asan.archive.filing import repository as repo
from asan.archive.nomenclature.models import APPROVED
from asan.auth.pipeline import Mutation
from asan.core.db import Tx
from asan.core.errors import FieldError, ValidationFailed
from asan.core.workdays import today_in_baku
from asan.edms.documents.timeline import record_step

REGISTRATION: Final = "registration"
COMPLETION: Final = "completion"
STEP: Final = "file_into_case"  # the document timeline's step


@dataclass(frozen=True)
class Filing:
    """What automatic filing did: the case it filed into, or why it did not."""

    index: str
    year: int
    case_id: str | None
    warning: str | None = None
    code: str | None = None  # NOT_FOUND (no such case) or CONFLICT (the case is not open)


async def _open_elsewhere(tx: Tx, index: str) -> str:
    other = await cases_repo.open_for_index(tx, index)
    if other is None:
        return f"; {index} üzrə açıq iş yoxdur / no case is open for {index}"
    return (
        f"; {index} üzrə açıq iş: {other['year']} ili ({other['id']}) / the open case for "
        f"{index} is {other['year']}'s ({other['id']})"
    )


async def _unfiled(tx: Tx, index: str, year: int, case: Any | None) -> Filing:
    hint = await _open_elsewhere(tx, index)
    if case is None:
        message = (
            f"{year} ilin nomenklaturasında {index} indeksli açıq iş yoxdur / {year}'s "
            f"nomenclature has no case {index}{hint}"
        )
        return Filing(index, year, None, message, "NOT_FOUND")
    message = (
        f"{index} ({year}) işi '{case['status']}' vəziyyətindədir / case {index} ({year}) is "
        f"'{case['status']}', not open{hint}"
    )
    return Filing(index, year, None, message, "CONFLICT")


async def _file(
    m: Mutation, document_id: str, moment: str, on: date, refuse: bool
) -> Filing | None:
    row = await repo.document_filing(m.tx, document_id)
    index = row["caseIndex"] if row is not None else None
    if not index or (row is not None and row["caseId"] and row["filedIndex"] == index):
        return None
    year = on.year
    case = await repo.case_of_year(m.tx, year, index)
    if case is not None and case["status"] == OPEN:
        left = await cases_repo.file_document(m.tx, document_id, case["id"])
        m.changed("Document", document_id, "updated", ("caseIndex",))
        m.changed("Case", case["id"], "updated", ("documents",))
        if left is not None and left != case["id"]:
            m.changed("Case", left, "updated", ("documents",))
        filing = Filing(index, year, case["id"])
        details: dict[str, Any] = {"caseIndex": index, "year": year, "at": moment}
        details["caseId"] = filing.case_id
        on_timeline = True
    else:
        filing = await _unfiled(m.tx, index, year, case)
        status = await repo.nomenclature_status(m.tx, year)
        if refuse and status == APPROVED:
            assert filing.warning is not None and filing.code is not None
            raise ValidationFailed([FieldError("caseIndex", filing.warning, filing.code)])
        details = {"caseIndex": index, "year": year, "at": moment, "warning": filing.warning}
        # a year without a nomenclature does not use the archive yet: its warning stays in
        # the audit event; once the year has one, the document's timeline shows it too
        on_timeline = status is not None
    m.detail(filing=details)
    if on_timeline:
        await record_step(m.tx, document_id, STEP, m.principal, details)
    return filing


async def check_index(m: Mutation, index: str, *, on: date | None = None) -> None:
    """Refuse early (a draft being created) an index the approved nomenclature of the year has
    no open case for; the same rule and message as at registration, nothing filed yet."""
    year = (on or today_in_baku()).year
    case = await repo.case_of_year(m.tx, year, index)
    if case is not None and case["status"] == OPEN:
        return
    if await repo.nomenclature_status(m.tx, year) == APPROVED:
        filing = await _unfiled(m.tx, index, year, case)
        assert filing.warning is not None and filing.code is not None
        raise ValidationFailed([FieldError("caseIndex", filing.warning, filing.code)])


async def file_at_registration(
    m: Mutation, document_id: str, *, on: date | None = None
) -> Filing | None:
    """File a just registered (or just signed and numbered) document by its card's index.

    None when the card names no index or the document already lies in that case; refused
    (ValidationFailed on ``caseIndex``) only when the year's nomenclature is approved.
    """
    return await _file(m, document_id, REGISTRATION, on or today_in_baku(), refuse=True)


async def file_at_completion(
    m: Mutation, document_id: str, *, on: date | None = None, refuse: bool = False
) -> Filing | None:
    """File a completed document by its card's index into the case of the completion year.

    ``refuse`` is for a step where the caller names the index itself (filing without action):
    the same rule as registration. Otherwise an index without an open case only warns.
    """
    return await _file(m, document_id, COMPLETION, on or today_in_baku(), refuse=refuse)
