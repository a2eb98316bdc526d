"""Who may draft, route, visa, re-version and form-check a draft; registered on import.

The executing unit (icraçı bölmə) owns its draft: its staff and heads create it, set its visa
route, send it to visa and upload new versions. A visa is given by the holder of the step (the
person named on the route) or by the deputy acting for them within a delegation. The form
check before signature is the registrar's (Electronic Document Circulation Department, 5.x).
Clearance against classification is a guard of the engine and holds for every action here.
"""

from __future__ import annotations

from asan.auth.policy import Resource, acts_for_unit, in_unit, rule
from asan.auth.principal import Principal

CREATE = "edms.draft.create"
EDIT = "edms.draft.edit"  # the route, sending to visa, new versions
VISA = "edms.visa.decide"
FORM_CHECK = "edms.draft.form_check"
SIGNATORY_RETURN = "edms.draft.signatory_return"


@rule(CREATE, EDIT)
def _executing_unit(principal: Principal, resource: Resource) -> bool:
    return in_unit(principal, resource.org_unit) or acts_for_unit(principal, resource.org_unit)


@rule(VISA, SIGNATORY_RETURN)
def _holder_or_acting_deputy(principal: Principal, resource: Resource) -> bool:
    # the resource's ``involved`` is the one subject this step belongs to (the visa holder,
    # or the route's signatory), resolved in the deciding transaction
    if principal.subject in resource.involved:
        return True
    return principal.acting_for is not None and principal.acting_for in resource.involved


@rule(FORM_CHECK)
def _registrar(principal: Principal, resource: Resource) -> bool:
    return principal.has_role("registrar")
