"""The visa route machine: which steps may decide now, what a decision does, what restarts.

Pure functions over the route's steps as read (under the document's lock) in the deciding
transaction; the document's own state machine (``asan.edms.documents.flows``) is advanced by
the use cases with the steps named here (``reject``, ``visas_complete``, ``new_version``).
Stages run in order; the steps of one stage run in parallel; a stage is complete when every
one of its steps approved (with or without remarks).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from asan.core.errors import Conflict, InvalidTransition
from asan.edms.drafts.models import (
    APPROVE,
    APPROVE_WITH_REMARKS,
    DONE_STATUSES,
    REJECT,
    STEP_APPROVED,
    STEP_APPROVED_WITH_REMARKS,
    STEP_PENDING,
    STEP_REJECTED,
    STEP_REPLACED,
    STEP_WAITING,
    VisaStep,
)

_STEP_STATUS = {
    APPROVE: STEP_APPROVED,
    APPROVE_WITH_REMARKS: STEP_APPROVED_WITH_REMARKS,
    REJECT: STEP_REJECTED,
}


@dataclass(frozen=True)
class Outcome:
    """What one visa decision did to the route."""

    step_status: str
    rejected: bool  # the draft goes back to its executing unit
    complete: bool  # every stage is done: the draft goes to the registrar's form check


def live(steps: Iterable[VisaStep]) -> list[VisaStep]:
    """The steps of the route in force (a replaced route's steps are history only)."""
    return [s for s in steps if s.status != STEP_REPLACED]


def current_stage(steps: Iterable[VisaStep]) -> int | None:
    """The first stage with a step not approved yet; None when every stage is done."""
    open_stages = [s.stage for s in live(steps) if s.status not in DONE_STATUSES]
    return min(open_stages) if open_stages else None


def arrange(steps: Sequence[VisaStep]) -> dict[str, str]:
    """The status every undecided step should have now: pending in the current stage,
    waiting in a later one (ids of steps whose status changes only)."""
    stage = current_stage(steps)
    changes: dict[str, str] = {}
    for step in live(steps):
        if step.status in DONE_STATUSES or step.status == STEP_REJECTED:
            continue
        wanted = STEP_PENDING if step.stage == stage else STEP_WAITING
        if step.status != wanted:
            changes[step.id] = wanted
    return changes


def decide(steps: Sequence[VisaStep], step_id: str, decision: str) -> Outcome:
    """Check that ``step_id`` may take ``decision`` now and say what follows.

    A step of a later stage, or one already decided in this round, is refused naming why;
    the caller holds the document's lock, so two racing decisions are judged one after the
    other and neither is lost.
    """
    route = live(steps)
    step = next((s for s in route if s.id == step_id), None)
    if step is None:
        raise Conflict(
            "bu viza addımı cari marşrutda yoxdur / this visa step is not on the current route",
            field="stepId",
        )
    if decision not in _STEP_STATUS:
        raise InvalidTransition(f"naməlum qərar / unknown decision: {decision}", field="decision")
    if step.status in DONE_STATUSES or step.status == STEP_REJECTED:
        raise Conflict(
            f"bu addım artıq qərar verib ({step.status}) / this step already decided "
            f"({step.status}) on this version",
            field="stepId",
        )
    stage = current_stage(route)
    if step.stage != stage:
        raise InvalidTransition(
            f"əvvəlki mərhələ ({stage}) bitməyib; addım mərhələ {step.stage}-dədir / "
            f"stage {stage} is not complete yet; this step is in stage {step.stage}",
            field="stepId",
        )
    status = _STEP_STATUS[decision]
    if status == STEP_REJECTED:
        return Outcome(status, rejected=True, complete=False)
    after = [s if s.id != step_id else replace(s, status=status) for s in route]
    return Outcome(status, rejected=False, complete=current_stage(after) is None)


def to_restart(steps: Sequence[VisaStep]) -> list[str]:
    """Steps a new version of the draft sends back to the start: those the route says restart,
    the one that rejected, and any not decided yet. Approvals of steps that do not restart
    stand (their visas remain, bound to the version they approved)."""
    return [s.id for s in live(steps) if s.restart_on_new_version or s.status not in DONE_STATUSES]


def missing_visas(steps: Sequence[VisaStep]) -> list[VisaStep]:
    """Steps of the route in force without an approval (the form check lists them)."""
    return [s for s in live(steps) if s.status not in DONE_STATUSES]
