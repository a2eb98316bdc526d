"""Who copies a case's files into the archive bucket: the archive's own people.

Ingest normally runs when the archivist accepts a transfer inventory (under that mutation's
policy); running it again for one case (to resume an interrupted ingest) is for archivists and
registrars. Administrators pass every rule.
"""

from __future__ import annotations

from typing import Final

from asan.auth.policy import Resource, rule
from asan.auth.principal import Principal

INGEST: Final = "archive.records.ingest"


@rule(INGEST)
def _ingest(principal: Principal, resource: Resource) -> bool:
    return principal.has_role("archivist", "registrar")
