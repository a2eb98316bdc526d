"""Who may register, answer, forward, extend and leave unconsidered a citizen's appeal.

Reading an appeal is reading its document (``edms.document.read``, the documents part's rule;
lists AND in ``access.visible_where``). The clearance guard of the engine applies as always.
"""

from __future__ import annotations

from asan.auth.policy import Resource, acts_for_unit, rule
from asan.auth.principal import Principal


@rule("edms.appeal.register")
def _appeal_register(principal: Principal, resource: Resource) -> bool:
    # the registrars of the document circulation department, and the systems that take
    # appeals in (the website, call centre 108, ASAN centres' queue system): service accounts
    # pass only with the edms.appeal.register scope (the engine's scope guard)
    return principal.has_role("registrar") or principal.kind == "service"


@rule(
    "edms.appeal.answer",
    "edms.appeal.forward",
    "edms.appeal.extend",
    "edms.appeal.leave_unconsidered",
)
def _appeal_decide(principal: Principal, resource: Resource) -> bool:
    # the head of the unit considering it (or the deputy within a delegation), or a registrar
    # of the appeals journal for a public appeal or one they work on
    if acts_for_unit(principal, resource.org_unit):
        return True
    return principal.has_role("registrar") and (
        resource.classification is None or principal.subject in resource.involved
    )
