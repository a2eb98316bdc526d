"""The expert commission's decision on a case due (or coming due) for disposal.

- ``destroy`` approves destruction: the case may then be listed in a destruction act once its
  disposal date has passed.
- ``extend`` keeps it N more years: its retention grows by N, the disposal date moves N years
  later, and every archived version with a date gets the new, later retain-until in MinIO
  (COMPLIANCE only ever lengthens); a version without one (its old date had passed) gets one
  when the new date lies ahead.
- ``permanent`` keeps it for good: the case is marked permanent (a transferred case takes the
  status ``permanent``), its disposal date is cleared and its archived versions get a legal
  hold.
Each decision is its own node (the history stays); the case carries the latest. A case listed
in an act not yet executed takes no new decision: the act would otherwise destroy what the
commission has just kept. Storage calls are repeatable (a retried unit sets the same date or
hold again); a failure after them leaves versions locked longer, never shorter.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

from asan.archive.disposition import repository as repo
from asan.archive.disposition.models import (
    DECISIONS,
    DESTROY,
    DISPOSABLE_STATUSES,
    EXTEND,
    MAX_EXTEND_YEARS,
    MAX_REASON,
    PERMANENT,
)
from asan.archive.disposition.objects import extend_retention
from asan.archive.disposition.policy import DECIDE
from asan.archive.records import repository as records_repo
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import BadInput, Conflict, InvalidTransition, NotFound
from asan.core.platform import Platform
from asan.edms.signatures.repository import user_names

CASE_KIND = "Case"
DECISION_KIND = "DisposalDecision"


def case_target(case_id: str) -> Callable[[Tx], Awaitable[Resource]]:
    async def resolve(tx: Tx) -> Resource:
        row = await repo.case_for_disposal(tx, case_id)
        if row is None:
            return Resource("Case", id=case_id, hidden_if_denied=True)
        return Resource("Case", id=case_id, org_unit=row["unit"], status=row["status"])

    return resolve


def _check_input(decision: str, extend_years: int | None, reason: str) -> str:
    if decision not in DECISIONS:
        raise BadInput(f"naməlum qərar / unknown decision: {decision[:40]}", field="decision")
    if decision == EXTEND and (extend_years is None or not 1 <= extend_years <= MAX_EXTEND_YEARS):
        raise BadInput(
            f"uzatma 1..{MAX_EXTEND_YEARS} il olmalıdır / extendYears must be "
            f"1..{MAX_EXTEND_YEARS} for an extension",
            field="extendYears",
        )
    if decision != EXTEND and extend_years is not None:
        raise BadInput(
            "extendYears yalnız uzadılanda verilir / extendYears is given only with EXTEND",
            field="extendYears",
        )
    cleaned = " ".join(reason.split())
    if not cleaned or len(cleaned) > MAX_REASON:
        raise BadInput(
            f"əsas 1..{MAX_REASON} simvol olmalıdır / the reason must be 1..{MAX_REASON} "
            "characters",
            field="reason",
        )
    return cleaned


def _refuse(row: Any) -> Exception | None:
    if row["status"] not in DISPOSABLE_STATUSES or row["permanent"]:
        what = "daimi" if row["permanent"] else row["status"]
        return InvalidTransition(
            f"{row['index']} işi '{what}' vəziyyətindədir, ekspert qərarı verilmir / case "
            f"{row['index']} is '{what}': only a closed case that is not permanent is decided",
            field="caseId",
        )
    if row["actNumber"] is not None:
        return Conflict(
            f"{row['index']} işi {row['actNumber']} aktındadır / case {row['index']} is listed "
            f"in act {row['actNumber']}, which is not executed yet",
            field="caseId",
        )
    return None


async def _extend(
    m: Mutation, platform: Platform, row: Any, years: int
) -> tuple[dict[str, Any], int]:
    old: date = row["disposalDate"].to_native()
    new = date(old.year + years, old.month, old.day)
    until = datetime(new.year, new.month, new.day, tzinfo=UTC)
    relocked: list[str] = []
    if until > datetime.now(UTC):
        for rec in await repo.live_records(m.tx, row["id"]):
            await extend_retention(
                platform.store, rec["bucket"], rec["key"], rec["versionId"], until
            )
            relocked.append(rec["id"])
        await repo.set_records_retention(m.tx, relocked, until)
    props = {"disposalDate": new, "retentionYears": int(row["retentionYears"] or 0) + years}
    return props, len(relocked)


async def _make_permanent(m: Mutation, platform: Platform, row: Any) -> tuple[dict[str, Any], int]:
    records = await repo.live_records(m.tx, row["id"])
    for rec in records:
        await platform.store.set_legal_hold(rec["bucket"], rec["key"], True, rec["versionId"])
    await records_repo.set_legal_hold(m.tx, row["id"], True)
    props: dict[str, Any] = {"permanent": True, "disposalDate": None}
    if row["status"] == "transferred":
        props["status"] = "permanent"
    return props, len(records)


async def decide_disposal(
    platform: Platform,
    principal: Principal,
    case_id: str,
    decision: str,
    *,
    extend_years: int | None,
    reason: str,
    client_mutation_id: str | None = None,
) -> str:
    """Record the commission's decision on the case; returns the case's id."""
    cleaned = _check_input(decision, extend_years, reason)

    async def work(m: Mutation) -> str:
        row = await repo.case_for_disposal(m.tx, case_id)
        if row is None:
            raise NotFound(f"iş {case_id[:60]} tapılmadı / case not found", field="caseId")
        refused = _refuse(row)
        if refused is not None:
            raise refused
        names = await user_names(m.tx, [principal.subject])
        name = names.get(principal.subject) or principal.name or principal.subject
        at = datetime.now(UTC)
        props: dict[str, Any] = {}
        touched = 0
        if decision == EXTEND:
            assert extend_years is not None
            props, touched = await _extend(m, platform, row, extend_years)
        elif decision == PERMANENT:
            props, touched = await _make_permanent(m, platform, row)
        decision_id = "dd_" + uuid.uuid4().hex
        before = row["disposalDate"].to_native() if row["disposalDate"] is not None else None
        await repo.add_decision(
            m.tx,
            {
                "id": decision_id,
                "caseId": case_id,
                "decision": decision,
                "extendYears": extend_years,
                "reason": cleaned,
                "decidedBy": principal.subject,
                "decidedByName": name,
                "decidedAt": at,
                "disposalDateBefore": before,
                "disposalDateAfter": props.get("disposalDate", before),
                "records": touched,
            },
            {
                **props,
                "disposalDecision": decision,
                "disposalDecisionId": decision_id,
                "disposalDecidedAt": at,
                "disposalDecidedBy": principal.subject,
                "disposalDecidedByName": name,
                "disposalDecisionReason": cleaned,
            },
        )
        m.changed(DECISION_KIND, decision_id, "created", ("decision", "reason"))
        fields = ["disposalDecision", *props]
        operation = "status_changed" if "status" in props else "updated"
        m.changed(CASE_KIND, case_id, operation, fields)
        m.detail(
            index=row["index"],
            decision=decision,
            extendYears=extend_years,
            disposalDateBefore=before.isoformat() if before else None,
            records=touched,
        )
        return case_id

    return await run_mutation(
        platform,
        principal,
        DECIDE,
        case_target(case_id),
        work,
        client_mutation_id=client_mutation_id,
    )


__all__ = ["DESTROY", "EXTEND", "PERMANENT", "case_target", "decide_disposal"]
