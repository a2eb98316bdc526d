"""Who certifies copies, registered on import.

Certifying that a copy matches the original (əslinə uyğunluğun təsdiqi) is the records office's
act, or the owning unit's head's; for a secret, only someone working on it. Verifying a copy
is public: anyone holding one may check it, and learns only the binding (who, when, hashes).
"""

from __future__ import annotations

from typing import Final

from asan.auth.policy import Resource, acts_for_unit, rule
from asan.auth.principal import Principal

CERTIFY: Final = "edms.copy.certify"


@rule(CERTIFY)
def _certify(principal: Principal, resource: Resource) -> bool:
    if acts_for_unit(principal, resource.org_unit):
        return True
    if not principal.has_role("registrar"):
        return False
    return resource.classification is None or principal.subject in resource.involved
