"""The org structure's authorisation rules, registered with the policy engine on import.

Imported by the org package (``asan/registry/org/__init__.py``), so the rules exist before
any org use case asks.
"""

from __future__ import annotations

from asan.auth.policy import Resource, acts_for_unit, rule
from asan.auth.principal import Principal


@rule("org.delegation.create")
def _org_delegation_create(principal: Principal, resource: Resource) -> bool:
    # the unit's own head (administrators pass before rules); a deputy acting under a
    # delegation may not delegate the head's powers onwards
    return (
        principal.has_role("head")
        and principal.acting_for is None
        and acts_for_unit(principal, resource.org_unit)
    )


@rule("org.import")
def _org_administrators_only(principal: Principal, resource: Resource) -> bool:
    # the org structure comes from the approved regulations: only administrators import it
    return False
