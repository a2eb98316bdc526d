"""Rules of resolutions and execution control (dərkənar, icra nəzarəti).

Clearance against the document's classification is the engine's guard; these rules say who by
position: the head (or the deputy within a delegation) writes the resolution, each executor
acts on their own part, the resolution's author decides extensions, and the controller (a
registrar or the author) removes the document from control. A part's resource lists its
executor (tasks) or the author and the head they acted for (resolutions, extensions) as
``involved``.
"""

from __future__ import annotations

from asan.auth.policy import Resource, acts_for_unit, in_unit, rule
from asan.auth.principal import Principal

ISSUE = "edms.resolution.issue"
FORWARD = "edms.task.forward"
REPORT = "edms.task.report"
REQUEST_EXTENSION = "edms.extension.request"
DECIDE_EXTENSION = "edms.extension.decide"
REMOVE_FROM_CONTROL = "edms.resolution.remove_from_control"
LIST_UNIT = "edms.task.list_unit"

CONTROLLERS = ("registrar",)  # the document circulation department keeps execution control
OVERSEERS = ("registrar", "auditor")  # see every unit's tasks (within secrecy)


def speaks_for(principal: Principal, resource: Resource) -> bool:
    """The person named in ``involved``, or the deputy acting for them today."""
    return principal.subject in resource.involved or (
        principal.acting_for is not None and principal.acting_for in resource.involved
    )


@rule(ISSUE)
def _resolution_issue(principal: Principal, resource: Resource) -> bool:
    # a dərkənar (resolution) is the head's instruction: the unit's head, its sectors' heads,
    # or the deputy while a delegation from the head is in force
    return acts_for_unit(principal, resource.org_unit)


@rule(FORWARD, REPORT, REQUEST_EXTENSION)
def _own_task(principal: Principal, resource: Resource) -> bool:
    # only the executor acts on their part; their head does so by writing a resolution
    return principal.subject in resource.involved


@rule(DECIDE_EXTENSION)
def _decide_extension(principal: Principal, resource: Resource) -> bool:
    # the resolution's author (or the head they acted for, or that person's acting deputy)
    return speaks_for(principal, resource)


@rule(REMOVE_FROM_CONTROL)
def _remove_from_control(principal: Principal, resource: Resource) -> bool:
    return principal.has_role(*CONTROLLERS) or speaks_for(principal, resource)


@rule(LIST_UNIT)
def _list_unit(principal: Principal, resource: Resource) -> bool:
    # a unit's staff and heads see its tasks; registrars and auditors see every unit's
    return in_unit(principal, resource.org_unit) or principal.has_role(*OVERSEERS)
