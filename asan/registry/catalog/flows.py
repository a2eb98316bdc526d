"""Lifecycle state machines of the catalog, as explicit transition tables.

Each allowed (from, to) pair names the policy action that performs it, so authorisation and
the state machine cannot drift apart: a transition that is not in the table does not exist.
"""

from __future__ import annotations

from typing import Final

from asan.core.errors import InvalidTransition

DRAFT: Final = "draft"
UNDER_REVIEW: Final = "under_review"
PUBLISHED: Final = "published"
SUSPENDED: Final = "suspended"
WITHDRAWN: Final = "withdrawn"

SERVICE_STATUSES: Final = (DRAFT, UNDER_REVIEW, PUBLISHED, SUSPENDED, WITHDRAWN)

# (from, to) -> policy action
SERVICE_TRANSITIONS: Final[dict[tuple[str, str], str]] = {
    (DRAFT, UNDER_REVIEW): "registry.service.submit",
    (UNDER_REVIEW, PUBLISHED): "registry.service.register",
    (UNDER_REVIEW, DRAFT): "registry.service.return",
    (PUBLISHED, SUSPENDED): "registry.service.suspend",
    (SUSPENDED, PUBLISHED): "registry.service.resume",
    (SUSPENDED, WITHDRAWN): "registry.service.withdraw",
}

# Content may change only while the agency is not reviewing it and it is not withdrawn.
EDITABLE_STATUSES: Final = frozenset({DRAFT, PUBLISHED, SUSPENDED})

# Registration requests: submitted -> registered | returned; returned -> submitted (resubmit).
REQUEST_SUBMITTED: Final = "submitted"
REQUEST_REGISTERED: Final = "registered"
REQUEST_RETURNED: Final = "returned"
REQUEST_TRANSITIONS: Final[dict[tuple[str, str], str]] = {
    (REQUEST_SUBMITTED, REQUEST_REGISTERED): "registry.service.register",
    (REQUEST_SUBMITTED, REQUEST_RETURNED): "registry.service.return",
    (REQUEST_RETURNED, REQUEST_SUBMITTED): "registry.service.submit",
}
OPEN_REQUEST_STATUSES: Final = frozenset({REQUEST_SUBMITTED, REQUEST_RETURNED})


def allowed_from(status: str, table: dict[tuple[str, str], str]) -> list[str]:
    return sorted(to for (frm, to) in table if frm == status)


def _check(status: str, target: str, table: dict[tuple[str, str], str], what: str) -> str:
    action = table.get((status, target))
    if action is not None:
        return action
    allowed = allowed_from(status, table)
    options = ", ".join(allowed) if allowed else "heç biri / none"
    raise InvalidTransition(
        f"{what} '{status}' -> '{target}' keçidi mümkün deyil; icazə verilən: {options} / "
        f"{what} cannot go from '{status}' to '{target}'; allowed from '{status}': {options}",
        field="status",
    )


def service_transition(status: str, target: str) -> str:
    """The policy action for a service status change; InvalidTransition names the allowed ones."""
    return _check(status, target, SERVICE_TRANSITIONS, "xidmət / service")


def request_transition(status: str, target: str) -> str:
    return _check(status, target, REQUEST_TRANSITIONS, "müraciət / request")


# Anyone may read services in these statuses; others only their body and the reviewers.
PUBLIC_STATUSES: Final = (PUBLISHED, SUSPENDED)
