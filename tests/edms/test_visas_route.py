"""The visa route machine on its own: stages in order, parallel steps, what restarts."""

from __future__ import annotations

import pytest

from asan.core.errors import Conflict, InvalidTransition
from asan.edms.drafts import flows
from asan.edms.drafts.models import VisaStep


def step(id: str, stage: int, status: str = "waiting", restart: bool = True) -> VisaStep:
    return VisaStep(id, stage, "other", f"user-{id}", None, restart, status, 1)


def test_stages_run_in_order_and_steps_of_a_stage_in_parallel() -> None:
    route = [step("a", 1), step("b", 2), step("c", 2), step("d", 3)]
    assert flows.current_stage(route) == 1
    assert flows.arrange(route) == {"a": "pending"}
    with pytest.raises(InvalidTransition, match="stage 1 is not complete"):
        flows.decide(route, "b", "approve")

    route = [
        step("a", 1, "approved"),
        step("b", 2, "pending"),
        step("c", 2, "pending"),
        step("d", 3),
    ]
    outcome = flows.decide(route, "c", "approve_with_remarks")
    assert (outcome.step_status, outcome.complete, outcome.rejected) == (
        "approved_with_remarks",
        False,
        False,
    )
    route[2] = step("c", 2, "approved_with_remarks")
    assert flows.arrange(route) == {}  # b is still pending: stage 2 stays current
    route[1] = step("b", 2, "approved")
    assert flows.arrange(route) == {"d": "pending"}
    assert flows.decide(route, "d", "approve").complete


def test_a_decided_step_cannot_decide_again_and_a_rejection_returns() -> None:
    route = [step("a", 1, "approved"), step("b", 2, "pending")]
    with pytest.raises(Conflict):
        flows.decide(route, "a", "reject")
    outcome = flows.decide(route, "b", "reject")
    assert outcome.rejected and not outcome.complete
    with pytest.raises(Conflict):
        flows.decide(route, "zzz", "approve")


def test_a_new_version_restarts_flagged_rejected_and_open_steps_only() -> None:
    route = [
        step("kept", 1, "approved", restart=False),
        step("again", 1, "approved", restart=True),
        step("rejected", 2, "rejected", restart=False),
        step("open", 2, "pending", restart=False),
        step("old", 1, "replaced"),
    ]
    assert sorted(flows.to_restart(route)) == ["again", "open", "rejected"]
    assert [s.id for s in flows.missing_visas(route)] == ["rejected", "open"]
