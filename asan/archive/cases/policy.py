"""Who moves a case along its lifecycle and who files documents into it.

Lifecycle steps (closing, handing to the unit's archive, transfer, destruction, keeping
permanently) belong to the case's unit head, the registrars and the archivists. Filing follows
the document: its registrars and the people of its unit. Administrators pass every rule.
"""

from __future__ import annotations

from typing import Final

from asan.auth.policy import Resource, acts_for_unit, in_unit, rule
from asan.auth.principal import Principal

CASE_STEP: Final = "archive.case.step"
FILE: Final = "archive.case.file"


@rule(CASE_STEP)
def _case_step(principal: Principal, resource: Resource) -> bool:
    if principal.has_role("registrar", "archivist"):
        return True
    return acts_for_unit(principal, resource.org_unit)


@rule(FILE)
def _file(principal: Principal, resource: Resource) -> bool:
    if principal.has_role("registrar"):
        return True
    return in_unit(principal, resource.org_unit) or acts_for_unit(principal, resource.org_unit)
