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


# (Azerbaijani, English) names of what moves through a table, for messages
_SERVICE = ("xidmət", "service")
_REQUEST = ("müraciət", "request")


def _check(
    status: str,
    target: str,
    table: dict[tuple[str, str], str],
    what: tuple[str, str],
    field: str | None,
) -> str:
    action = table.get((status, target))
    if action is not None:
        return action
    allowed = allowed_from(status, table)
    options_az = ", ".join(allowed) if allowed else "heç biri"
    options_en = ", ".join(allowed) if allowed else "none"
    # each language names the current state and the allowed steps once
    raise InvalidTransition(
        f"{what[0]} '{status}' vəziyyətindən '{target}' vəziyyətinə keçə bilməz "
        f"(mümkün: {options_az}) / "
        f"{what[1]} cannot go from '{status}' to '{target}' (allowed: {options_en})",
        field=field,
    )


def service_transition(status: str, target: str, *, field: str | None = None) -> str:
    """The policy action for a service status change; InvalidTransition names the allowed ones.

    ``field`` is the input field that asked for ``target`` (``status`` of transitionService);
    None where the step is implied by the mutation (submit, register), so the error does not
    point at a field the input does not have.
    """
    return _check(status, target, SERVICE_TRANSITIONS, _SERVICE, field)


def request_transition(status: str, target: str, *, field: str | None = None) -> str:
    return _check(status, target, REQUEST_TRANSITIONS, _REQUEST, field)


# Anyone may read services in these statuses; others only their body and the reviewers.
PUBLIC_STATUSES: Final = (PUBLISHED, SUSPENDED)
