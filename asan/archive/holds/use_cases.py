"""Placing and lifting holds on archive cases, and keeping MinIO's legal holds in step.

Order of effects, chosen so that a crash never leaves a record unprotected while the graph
says it is held:
- placing sets the MinIO legal hold on every archived version of the case inside the unit,
  BEFORE the graph commits the hold. A crash or a refusal after that leaves versions held
  without a hold in the graph: over-protected, never under-protected (lifting or
  ``sync_case_holds`` takes such stray holds off once no hold applies).
- lifting commits the graph first (the hold stays as history, marked lifted with who, when,
  why) and only then, in ``sync_case_holds``, removes the MinIO holds, and only when no other
  active hold remains and the case is not permanent (permanent cases always keep theirs).
  A crash in between leaves versions held that the graph no longer holds; running the lift
  again with the same clientMutationId (or ``sync_case_holds``) finishes it.
Placing, lifting and the sync each write-lock the case node first, so they serialise: a sync
never removes what a concurrent placement has just set.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from asan.archive.holds import reads
from asan.archive.holds import repository as repo
from asan.archive.holds.apply import set_holds
from asan.archive.holds.models import KINDS, MAX_REASON, Hold
from asan.archive.holds.policy import LIFT, PLACE
from asan.archive.nomenclature.policy import READ
from asan.archive.records import repository as records_repo
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource, authorize
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import FieldError, InvalidTransition, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.core.text import clean

KIND = "ArchiveHold"
CASE_KIND = "Case"


def _reason(reason: str, field: str = "reason") -> tuple[str, list[FieldError]]:
    text, error = clean(reason, field, max_length=MAX_REASON, multiline=True)
    return text, [error] if error is not None else []


def _case_target(case_id: str) -> Callable[[Tx], Awaitable[Resource]]:
    async def resolve(tx: Tx) -> Resource:
        rows = await tx.run(
            "MATCH (c:Case {id: $id}) RETURN c.unit AS unit, c.status AS status", {"id": case_id}
        )
        if not rows:
            return Resource("Case", id=case_id, hidden_if_denied=True)
        return Resource("Case", id=case_id, org_unit=rows[0]["unit"], status=rows[0]["status"])

    return resolve


def _hold_target(hold_id: str) -> Callable[[Tx], Awaitable[Resource]]:
    async def resolve(tx: Tx) -> Resource:
        found = await reads.by_id(tx, hold_id)
        if found is None:
            return Resource(KIND, id=hold_id, hidden_if_denied=True)
        return Resource(KIND, id=hold_id, status="active" if found.active else "lifted")

    return resolve


async def _who(tx: Tx, principal: Principal) -> str:
    return principal.name or await repo.display_name(tx, principal.subject) or principal.subject


async def place_hold(
    platform: Platform,
    principal: Principal,
    case_id: str,
    kind: str,
    reason: str,
    *,
    client_mutation_id: str | None = None,
) -> Hold:
    """Hold the case: nothing of it may be destroyed until every hold is lifted."""
    text, errors = _reason(reason)
    if kind not in KINDS:
        errors.append(FieldError("kind", f"{', '.join(KINDS)} olmalıdır / must be one of them"))
    if errors:
        raise ValidationFailed(errors)

    async def work(m: Mutation) -> str:
        now = datetime.now(UTC)
        case = await repo.lock_case(m.tx, case_id, now)
        if case is None:
            raise NotFound(f"iş {case_id[:60]} tapılmadı / case not found", field="caseId")
        if case["status"] == "destroyed":
            raise InvalidTransition(
                f"{case['index']} işi məhv edilib, saxlanıla bilməz / case {case['index']} "
                "was destroyed and cannot be held",
                field="caseId",
            )
        records = await repo.live_records(m.tx, case_id)
        missing = await set_holds(platform.store, records, True)  # before the graph commits
        await records_repo.set_legal_hold(m.tx, case_id, True)
        hold_id = str(uuid.uuid4())
        await repo.create(
            m.tx,
            {
                "id": hold_id,
                "caseId": case_id,
                "kind": kind,
                "reason": text,
                "placedBy": principal.subject,
                "placedByName": await _who(m.tx, principal),
                "placedAt": now,
                "active": True,
            },
        )
        m.changed(KIND, hold_id, "created", ("kind", "reason", "placedBy", "placedAt", "active"))
        m.changed(CASE_KIND, case_id, "updated", ("holds", "activeHold"))
        m.detail(
            holdId=hold_id,
            caseId=case_id,
            index=case["index"],
            kind=kind,
            reason=text,
            records=len(records),
            missing=missing,
        )
        return hold_id

    hold_id = await run_mutation(
        platform,
        principal,
        PLACE,
        _case_target(case_id),
        work,
        client_mutation_id=client_mutation_id,
    )
    return await _read(platform, str(hold_id))


async def lift_hold(
    platform: Platform,
    principal: Principal,
    hold_id: str,
    reason: str,
    *,
    client_mutation_id: str | None = None,
) -> Hold:
    """Lift one hold (it stays, marked lifted); the MinIO holds go once nothing holds the case.

    Running it again with the same ``client_mutation_id`` after a crash finishes the MinIO
    part without lifting anything twice.
    """
    text, errors = _reason(reason)
    if errors:
        raise ValidationFailed(errors)

    async def work(m: Mutation) -> str:
        now = datetime.now(UTC)
        hold = await reads.by_id(m.tx, hold_id)
        if hold is None:
            raise NotFound(f"qadağa {hold_id[:60]} tapılmadı / hold not found", field="holdId")
        case = await repo.lock_case(m.tx, hold.case_id, now)
        if not hold.active:
            raise InvalidTransition(
                f"qadağa artıq götürülüb ({hold.lifted_by_name}) / the hold was already "
                f"lifted by {hold.lifted_by_name}",
                field="holdId",
            )
        by = await _who(m.tx, principal)
        changes = {"liftedBy": principal.subject, "liftedByName": by, "liftedAt": now}
        await repo.lift(m.tx, hold_id, {**changes, "liftReason": text})
        remaining = int(case["activeHolds"]) - 1 if case is not None else 0
        released = case is not None and remaining == 0 and not case["permanent"]
        if released:
            await records_repo.set_legal_hold(m.tx, hold.case_id, False)
        m.changed(KIND, hold_id, "updated", ("active", "liftedBy", "liftedAt", "liftReason"))
        m.changed(CASE_KIND, hold.case_id, "updated", ("holds", "activeHold"))
        m.detail(
            holdId=hold_id,
            caseId=hold.case_id,
            reason=text,
            remaining=remaining,
            released=released,
        )
        return hold_id

    done = await run_mutation(
        platform,
        principal,
        LIFT,
        _hold_target(hold_id),
        work,
        client_mutation_id=client_mutation_id,
    )
    lifted = await _read(platform, str(done))
    await sync_case_holds(platform, lifted.case_id)  # only after the graph committed
    return lifted


async def sync_case_holds(platform: Platform, case_id: str) -> dict[str, Any]:
    """Take the MinIO holds off the case's versions when the graph says nothing holds it.

    Under the case's lock, so a placement waits for it (or it for the placement). When the case
    is still held (another active hold, or permanent) nothing is touched: placing already set
    every hold before committing. Idempotent: run it again after a crash.
    """
    async with platform.db.transaction() as tx:
        case = await repo.lock_case(tx, case_id, datetime.now(UTC))
        if case is None:
            return {"released": 0, "missing": 0}
        if int(case["activeHolds"]) > 0 or case["permanent"]:
            return {"released": 0, "missing": 0}
        records = await repo.live_records(tx, case_id)
        missing = await set_holds(platform.store, records, False)
        await records_repo.set_legal_hold(tx, case_id, False)
    return {"released": len(records) - missing, "missing": missing}


async def _read(platform: Platform, hold_id: str) -> Hold:
    found = await reads.by_id(platform.db, hold_id)
    if found is None:  # committed a moment ago: never expected
        raise NotFound(f"qadağa {hold_id[:60]} tapılmadı / hold not found", field="holdId")
    return found


async def read_hold(platform: Platform, principal: Principal, hold_id: str) -> Hold | None:
    authorize(principal, READ, Resource(KIND, id=hold_id))
    return await reads.by_id(platform.db, hold_id)


async def list_holds(
    platform: Platform,
    principal: Principal,
    *,
    case_id: str | None,
    active: bool | None,
    after: list[Any] | None,
    limit: int,
) -> tuple[list[Hold], int]:
    authorize(principal, READ, Resource(KIND))
    return await reads.page(platform.db, case_id=case_id, active=active, after=after, limit=limit)


async def holds_of_cases(
    platform: Platform, principal: Principal, case_ids: list[str], *, limit_each: int
) -> dict[str, list[Hold]]:
    authorize(principal, READ, Resource(CASE_KIND))
    return await reads.holds_of_cases(platform.db, case_ids, limit_each=limit_each)


async def active_of_cases(
    platform: Platform, principal: Principal, case_ids: list[str]
) -> dict[str, list[Hold]]:
    authorize(principal, READ, Resource(CASE_KIND))
    return await reads.active_holds(platform.db, case_ids)


def cursor_of(hold: Hold) -> list[Any]:
    return [hold.placed_at.isoformat(), hold.id]
