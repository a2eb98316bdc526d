"""Who may sign a document: the signatory, or the deputy acting for them within a delegation.

The signatory is the one the draft's visa route names (drafts part); a draft without one is
signed by a person with the ``signatory`` role in its unit or by the head of its unit. The
resource the rule sees is the document with ``involved`` narrowed to that named signatory,
resolved in the signing transaction (so a route changed a moment ago is the one that counts).
Clearance against classification stays the engine's guard.
"""

from __future__ import annotations

from asan.auth.policy import Resource, acts_for_unit, in_unit, rule
from asan.auth.principal import Principal

SIGN = "edms.document.sign"


@rule(SIGN)
def _signatory_or_acting_deputy(principal: Principal, resource: Resource) -> bool:
    if resource.involved:  # the route names the signatory
        if principal.subject in resource.involved:
            return True
        return principal.acting_for is not None and principal.acting_for in resource.involved
    if principal.has_role("signatory") and in_unit(principal, resource.org_unit):
        return True
    return acts_for_unit(principal, resource.org_unit)
