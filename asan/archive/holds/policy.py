"""Who places and lifts holds on archive cases, and who reads them.

A hold for litigation or investigation is a legal decision carried out by the archive: the
legal department's experts (legal_expert) ask for it and the archivists keep the records, so
both may place and lift one. Registrars are not included: they register and file documents,
they do not decide what outlives its retention. Administrators pass every rule
(asan.auth.policy). Reading holds (who placed one, why) needs only a signed-in person or
service of the agency, like the rest of the archive's metadata (archive.read).
"""

from __future__ import annotations

from typing import Final

from asan.auth.policy import Resource, rule
from asan.auth.principal import Principal

PLACE: Final = "archive.hold.place"
LIFT: Final = "archive.hold.lift"
HOLD_ROLES: Final = ("archivist", "legal_expert")


@rule(PLACE)
def _place(principal: Principal, resource: Resource) -> bool:
    return principal.has_role(*HOLD_ROLES)


@rule(LIFT)
def _lift(principal: Principal, resource: Resource) -> bool:
    return principal.has_role(*HOLD_ROLES)
