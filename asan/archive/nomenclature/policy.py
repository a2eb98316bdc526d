"""Who plans the nomenclature of cases (işlərin nomenklaturu) and who may read it.

Each unit's head drafts the unit's own list; the EDMS department's registrars compile the
general nomenclature; the agency's head (the chairman, who leads the root unit) approves it.
Administrators pass every rule (asan.auth.policy). Reading needs only a signed-in person or
service: the nomenclature lists case titles and retention periods, never document contents.
"""

from __future__ import annotations

from typing import Final

from asan.auth.policy import Resource, acts_for_unit, rule
from asan.auth.principal import Principal

READ: Final = "archive.read"
DRAFT: Final = "archive.nomenclature.draft"
COMPILE: Final = "archive.nomenclature.compile"
APPROVE: Final = "archive.nomenclature.approve"


@rule(READ)
def _read(principal: Principal, resource: Resource) -> bool:
    return principal.kind in ("user", "service")


@rule(DRAFT)
def _draft(principal: Principal, resource: Resource) -> bool:
    return acts_for_unit(principal, resource.org_unit) or principal.has_role("registrar")


@rule(COMPILE)
def _compile(principal: Principal, resource: Resource) -> bool:
    return principal.has_role("registrar")


@rule(APPROVE)
def _approve(principal: Principal, resource: Resource) -> bool:
    # resource.org_unit is the agency's root unit: only the one who leads it approves
    return acts_for_unit(principal, resource.org_unit)
