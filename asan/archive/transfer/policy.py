"""Who draws up, submits, accepts and returns transfer inventories, and who resumes ingest.

The unit hands its cases over: the unit's head (or the deputy acting for the head) or a
registrar drafts, corrects and submits the inventory. The agency's archive receives them: an
archivist accepts or returns it. Resuming an interrupted ingest is archive work too
(archivists and registrars, like ``archive.records.ingest``). Reading follows the archive's
rule (any signed-in user or service: an inventory lists case titles, never contents).
Administrators pass every rule.
"""

from __future__ import annotations

from typing import Final

from asan.auth.policy import Resource, acts_for_unit, rule
from asan.auth.principal import Principal

DRAFT: Final = "archive.transfer.draft"
ACCEPT: Final = "archive.transfer.accept"
RESUME: Final = "archive.transfer.resume"


@rule(DRAFT)
def _draft(principal: Principal, resource: Resource) -> bool:
    return principal.has_role("registrar") or acts_for_unit(principal, resource.org_unit)


@rule(ACCEPT)
def _accept(principal: Principal, resource: Resource) -> bool:
    return principal.has_role("archivist")


@rule(RESUME)
def _resume(principal: Principal, resource: Resource) -> bool:
    return principal.has_role("archivist", "registrar")
