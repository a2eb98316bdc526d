"""Who takes part in disposition.

- The expert commission (ekspert komissiyası) decides: holders of the ``archive_expert`` role
  (the commission's members, as the chairman's order names them; administrators assign the
  role).
- Archivists draw up destruction acts and run their execution (registrars of the EDMS
  department too: they keep the archive where no archivist is appointed).
- The act is signed by the agency's head: a ``signatory`` who leads the configured signer
  unit (``ASAN_ARCHIVE_DISPOSITION_SIGNER_UNIT``, the agency itself), or the deputy acting for
  them by delegation.
- The calendar and acts are read by all of the above and by auditors.
Administrators pass every rule.
"""

from __future__ import annotations

from typing import Final

from asan.archive.disposition.settings import disposition_settings
from asan.auth.policy import Resource, acts_for_unit, rule
from asan.auth.principal import Principal

DECIDE: Final = "archive.disposition.decide"
ACT_CREATE: Final = "archive.disposition.act.create"
ACT_SIGN: Final = "archive.disposition.act.sign"
ACT_EXECUTE: Final = "archive.disposition.act.execute"
READ: Final = "archive.disposition.read"


@rule(DECIDE)
def _decide(principal: Principal, resource: Resource) -> bool:
    return principal.has_role("archive_expert")


@rule(ACT_CREATE, ACT_EXECUTE)
def _act(principal: Principal, resource: Resource) -> bool:
    return principal.has_role("archivist", "registrar")


@rule(ACT_SIGN)
def _sign(principal: Principal, resource: Resource) -> bool:
    return principal.has_role("signatory") and acts_for_unit(
        principal, disposition_settings().signer_unit
    )


@rule(READ)
def _read(principal: Principal, resource: Resource) -> bool:
    if principal.has_role("archivist", "registrar", "archive_expert", "auditor"):
        return True
    return _sign(principal, resource)
