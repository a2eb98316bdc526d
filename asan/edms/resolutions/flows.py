"""The state machines of a resolution's parts: execution tasks and deadline extensions.

The document's own steps (``resolve``, ``complete``, ``remove_from_control``) are the
document state machine's (``asan.edms.documents.flows``); these tables say what may happen to
one executor's part and to one extension request, so a step in the wrong state is refused
the same way, naming the current state and the steps allowed from it.
"""

from __future__ import annotations

from asan.core.errors import InvalidTransition

# Resolution statuses mirror the document's: executing, every part reported, removed from
# control by the controller.
RESOLUTION_IN_EXECUTION = "in_execution"
RESOLUTION_EXECUTED = "executed"
RESOLUTION_CLOSED = "closed"
ON_CONTROL = (RESOLUTION_IN_EXECUTION, RESOLUTION_EXECUTED)

TASK_ASSIGNED = "assigned"
TASK_FORWARDED = "forwarded"
TASK_REPORTED = "reported"

ROLE_MAIN = "main"
ROLE_CO = "co"

EXTENSION_REQUESTED = "requested"
EXTENSION_GRANTED = "granted"
EXTENSION_REFUSED = "refused"
EXTENSION_WITHDRAWN = "withdrawn"  # the part was reported before a decision

Table = dict[str, dict[str, str]]

TASK_TRANSITIONS: Table = {
    TASK_ASSIGNED: {
        "forward": TASK_FORWARDED,
        "report": TASK_REPORTED,
        "request_extension": TASK_ASSIGNED,
    },
    TASK_FORWARDED: {},
    TASK_REPORTED: {},
}

EXTENSION_TRANSITIONS: Table = {
    EXTENSION_REQUESTED: {
        "grant": EXTENSION_GRANTED,
        "refuse": EXTENSION_REFUSED,
        "withdraw": EXTENSION_WITHDRAWN,
    },
    EXTENSION_GRANTED: {},
    EXTENSION_REFUSED: {},
    EXTENSION_WITHDRAWN: {},
}

RESOLUTION_TRANSITIONS: Table = {
    RESOLUTION_IN_EXECUTION: {"complete": RESOLUTION_EXECUTED},
    RESOLUTION_EXECUTED: {"remove_from_control": RESOLUTION_CLOSED},
    RESOLUTION_CLOSED: {},
}

_NAMES = {
    "task": ("tapşırıq", "task"),
    "extension": ("müddətin uzadılması sorğusu", "extension request"),
    "resolution": ("dərkənar", "resolution"),
}


def _table(entity: str) -> Table:
    return {
        "task": TASK_TRANSITIONS,
        "extension": EXTENSION_TRANSITIONS,
        "resolution": RESOLUTION_TRANSITIONS,
    }[entity]


def next_status(entity: str, status: str, step: str, *, field: str = "id") -> str:
    """The status ``step`` leads to, or InvalidTransition naming the state and allowed steps."""
    table = _table(entity)
    target = table.get(status, {}).get(step)
    if target is not None:
        return target
    steps = sorted(table.get(status, {}))
    listed = ", ".join(steps) if steps else "-"
    az, en = _NAMES[entity]
    raise InvalidTransition(
        f"'{step}' mümkün deyil: {az} '{status}' vəziyyətindədir, mümkün addımlar: {listed} / "
        f"'{step}' is not allowed: the {en} is in state '{status}', allowed steps: {listed}",
        field=field,
    )
