"""Drawing up, submitting, returning and accepting a transfer inventory (təhvil siyahısı).

Every step is one audited ``run_mutation`` unit that locks the inventory, so racing steps
serialise and the second sees the first's result. Listing locks the cases too: a case is on
one open inventory (draft, submitted or returned) at a time, and a second listing is a
CONFLICT naming the inventory that holds it. Acceptance moves every listed case from the
unit's archive to ``transferred`` in the same unit (one change event per case); the ingest
of their files runs after the commit (``asan.archive.transfer.ingest``), because it is long
and can be resumed, while the acceptance itself must be all or nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from asan.archive.cases.models import UNIT_ARCHIVE
from asan.archive.transfer import repository as repo
from asan.archive.transfer.models import (
    ACCEPTED,
    DRAFT,
    EDITABLE,
    MAX_CASES,
    RETURNED,
    SUBMITTED,
    inventory_number,
)
from asan.archive.transfer.policy import ACCEPT, RESUME
from asan.archive.transfer.policy import DRAFT as DRAFT_ACTION
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import (
    BadInput,
    FieldError,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from asan.core.platform import Platform
from asan.core.text import clean
from asan.core.workdays import today_in_baku

KIND = "TransferInventory"
CASE_KIND = "Case"
MAX_REASON = 2000


def _not_found(inventory_id: str) -> NotFound:
    return NotFound(
        f"təhvil siyahısı {inventory_id[:60]} tapılmadı / transfer inventory not found",
        field="inventoryId",
    )


def _target(inventory_id: str) -> Callable[[Tx], Awaitable[Resource]]:
    """The inventory as it is in the transaction (locked); an unknown id is hidden, so a
    caller who may not act learns nothing and is refused like any other."""

    async def resolve(tx: Tx) -> Resource:
        row = await repo.lock(tx, inventory_id)
        if row is None:
            return Resource(KIND, id=inventory_id, hidden_if_denied=True)
        return Resource(KIND, id=inventory_id, org_unit=row["unit"], status=row["status"])

    return resolve


def _require(m: Mutation, inventory_id: str, allowed: Sequence[str], step: str) -> str:
    status = m.resource.status
    if status is None:
        raise _not_found(inventory_id)
    if status not in allowed:
        raise InvalidTransition(
            f"təhvil siyahısı '{status}' vəziyyətindədir, '{step}' olmaz (gərəkən: "
            f"{', '.join(allowed)}) / the inventory is '{status}': cannot {step} it "
            f"(needs {', '.join(allowed)})",
            field="inventoryId",
        )
    return status


def _listing_errors(
    unit: str, year: int, case_ids: Sequence[str], rows: Sequence[Any], inventory_id: str
) -> list[FieldError]:
    """Why the cases cannot be listed on this inventory (every reason, one per case)."""
    errors: list[FieldError] = []
    if not case_ids:
        errors.append(FieldError("caseIds", "ən azı bir iş / at least one case"))
    if len(case_ids) > MAX_CASES:
        errors.append(FieldError("caseIds", f"ən çoxu {MAX_CASES} iş / at most {MAX_CASES}"))
    if len(set(case_ids)) != len(case_ids):
        errors.append(FieldError("caseIds", "iş təkrarlanır / a case is listed twice"))
    found = {r["id"]: r for r in rows}
    for case_id in dict.fromkeys(case_ids):
        row = found.get(case_id)
        if row is None:
            errors.append(
                FieldError("caseIds", f"iş {case_id[:60]} tapılmadı / case not found", "NOT_FOUND")
            )
            continue
        index = row["index"]
        if row["unit"] != unit or int(row["year"]) != year:
            errors.append(
                FieldError(
                    "caseIds",
                    f"{index} ({row['year']}) {unit} bölməsinin {year} ili işi deyil / case "
                    f"{index} ({row['year']}) is not a {year} case of unit {unit}",
                )
            )
        if row["status"] != UNIT_ARCHIVE:
            errors.append(
                FieldError(
                    "caseIds",
                    f"{index} işi '{row['status']}' vəziyyətindədir, bölmənin arxivində deyil / "
                    f"case {index} is '{row['status']}', not in the unit's archive",
                    "INVALID_TRANSITION",
                )
            )
        others = [
            number
            for holder, number in zip(row["holders"], row["holderNumbers"], strict=True)
            if holder != inventory_id
        ]
        if others:
            errors.append(
                FieldError(
                    "caseIds",
                    f"{index} işi artıq {others[0]} təhvil siyahısındadır / case {index} is "
                    f"already on open transfer inventory {others[0]}",
                    "CONFLICT",
                )
            )
    return errors


async def _list_cases(
    m: Mutation, inventory_id: str, unit: str, year: int, case_ids: Sequence[str]
) -> None:
    ids = list(case_ids)
    await repo.lock_cases(m.tx, ids[:MAX_CASES])
    rows = await repo.cases_for_listing(m.tx, ids[:MAX_CASES])
    errors = _listing_errors(unit, year, ids, rows, inventory_id)
    if errors:
        raise ValidationFailed(errors)
    await repo.set_lines(m.tx, inventory_id, ids)


async def create_inventory(
    platform: Platform,
    principal: Principal,
    unit: str,
    year: int,
    case_ids: Sequence[str],
    *,
    client_mutation_id: str | None = None,
) -> str:
    """A draft inventory of ``unit``'s cases of ``year``, numbered in this year; its id."""

    async def work(m: Mutation) -> str:
        if not await repo.unit_exists(m.tx, unit):
            raise BadInput(f"bölmə {unit[:40]} yoxdur / no unit {unit[:40]}", field="unit")
        now = datetime.now(UTC)
        this_year = today_in_baku().year
        inventory_id = str(uuid.uuid4())
        number = inventory_number(this_year, await repo.next_sequence(m.tx, this_year))
        await repo.create(
            m.tx,
            {
                "id": inventory_id,
                "number": number,
                "unit": unit,
                "year": year,
                "status": DRAFT,
                "createdBy": principal.subject,
                "createdAt": now,
            },
        )
        await _list_cases(m, inventory_id, unit, year, case_ids)
        m.changed(KIND, inventory_id, "created", ("number", "unit", "year", "status", "cases"))
        m.detail(number=number, unit=unit, year=year, cases=len(case_ids))
        return inventory_id

    return await run_mutation(
        platform,
        principal,
        DRAFT_ACTION,
        Resource(KIND, org_unit=unit),
        work,
        client_mutation_id=client_mutation_id,
    )


async def set_inventory_cases(
    platform: Platform,
    principal: Principal,
    inventory_id: str,
    case_ids: Sequence[str],
    *,
    client_mutation_id: str | None = None,
) -> str:
    """Correct the list of a draft or returned inventory (the whole list, in order)."""

    async def work(m: Mutation) -> str:
        _require(m, inventory_id, EDITABLE, "correct")
        row = await repo.by_id(m.tx, inventory_id)
        assert row is not None  # locked by the resolver
        await _list_cases(m, inventory_id, row["unit"], int(row["year"]), case_ids)
        m.changed(KIND, inventory_id, "updated", ("cases",))
        m.detail(cases=len(case_ids))
        return inventory_id

    return await run_mutation(
        platform,
        principal,
        DRAFT_ACTION,
        _target(inventory_id),
        work,
        client_mutation_id=client_mutation_id,
    )


async def submit_inventory(
    platform: Platform,
    principal: Principal,
    inventory_id: str,
    *,
    client_mutation_id: str | None = None,
) -> str:
    """The unit hands the inventory to the archive; its cases must still be in the unit's
    archive (nothing else moves them while they are listed, but the check costs nothing)."""

    async def work(m: Mutation) -> str:
        before = _require(m, inventory_id, EDITABLE, "submit")
        rows = await repo.listed_cases(m.tx, inventory_id)
        if not rows:
            raise BadInput("siyahı boşdur / the inventory lists no case", field="inventoryId")
        moved = [r["index"] for r in rows if r["status"] != UNIT_ARCHIVE]
        if moved:
            raise InvalidTransition(
                f"bölmənin arxivində olmayan işlər: {', '.join(moved)} / cases not in the "
                f"unit's archive: {', '.join(moved)}",
                field="inventoryId",
            )
        await repo.set_status(
            m.tx,
            inventory_id,
            {
                "status": SUBMITTED,
                "submittedAt": datetime.now(UTC),
                "submittedBy": m.principal.subject,
            },
        )
        m.changed(KIND, inventory_id, "status_changed", ("status", "submittedAt"))
        m.detail(status=SUBMITTED, before=before, cases=len(rows))
        return inventory_id

    return await run_mutation(
        platform,
        principal,
        DRAFT_ACTION,
        _target(inventory_id),
        work,
        client_mutation_id=client_mutation_id,
    )


async def return_inventory(
    platform: Platform,
    principal: Principal,
    inventory_id: str,
    reason: str,
    *,
    client_mutation_id: str | None = None,
) -> str:
    """The archivist sends a submitted inventory back to the unit, saying what to correct."""
    text, error = clean(reason, "reason", max_length=MAX_REASON, multiline=True)
    if error is not None:
        raise ValidationFailed([error])

    async def work(m: Mutation) -> str:
        _require(m, inventory_id, (SUBMITTED,), "return")
        await repo.set_status(
            m.tx,
            inventory_id,
            {
                "status": RETURNED,
                "returnedAt": datetime.now(UTC),
                "returnedBy": m.principal.subject,
                "returnedReason": text,
            },
        )
        m.changed(KIND, inventory_id, "status_changed", ("status", "returnedReason"))
        m.detail(status=RETURNED, reason=text)
        return inventory_id

    return await run_mutation(
        platform,
        principal,
        ACCEPT,
        _target(inventory_id),
        work,
        client_mutation_id=client_mutation_id,
    )


async def accept_inventory(
    platform: Platform,
    principal: Principal,
    inventory_id: str,
    *,
    client_mutation_id: str | None = None,
) -> str:
    """Accept a submitted inventory: it is accepted and each listed case is transferred, in
    one unit. Ingest of the files comes after (``ingest.ingest_inventory``)."""

    async def work(m: Mutation) -> str:
        _require(m, inventory_id, (SUBMITTED,), "accept")
        case_ids = await repo.listed_case_ids(m.tx, inventory_id)
        await repo.lock_cases(m.tx, case_ids)
        now = datetime.now(UTC)
        moved = await repo.transfer_cases(m.tx, case_ids, now)
        if len(moved) != len(case_ids):
            raise InvalidTransition(
                "siyahıdakı bəzi işlər artıq bölmənin arxivində deyil / some listed cases "
                "are no longer in the unit's archive",
                field="inventoryId",
            )
        await repo.set_status(
            m.tx,
            inventory_id,
            {"status": ACCEPTED, "acceptedAt": now, "acceptedBy": m.principal.subject},
        )
        m.changed(KIND, inventory_id, "status_changed", ("status", "acceptedAt", "acceptedBy"))
        for case_id in case_ids:
            m.changed(CASE_KIND, case_id, "status_changed", ("status",))
        m.detail(status=ACCEPTED, cases=len(case_ids))
        return inventory_id

    return await run_mutation(
        platform,
        principal,
        ACCEPT,
        _target(inventory_id),
        work,
        client_mutation_id=client_mutation_id,
    )


async def authorize_resume(platform: Platform, principal: Principal, inventory_id: str) -> str:
    """The audited decision to finish an accepted inventory's ingest (nothing in the graph
    changes here; the ingest that follows records each case's files in its own units)."""

    async def work(m: Mutation) -> str:
        _require(m, inventory_id, (ACCEPTED,), "resume the ingest of")
        m.detail(resumed=True)
        return inventory_id

    return await run_mutation(platform, principal, RESUME, _target(inventory_id), work)
