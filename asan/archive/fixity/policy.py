"""Who runs fixity audits and reads their reports.

Running one is the archive's work (archivists); registrars and auditors read the reports
(the auditor checks the archive's integrity, the registrars answer for the files archived).
The scheduled and CLI runs are the system's (it passes every rule, as administrators do).
"""

from __future__ import annotations

from typing import Final

from asan.auth.policy import Resource, rule
from asan.auth.principal import Principal

RUN: Final = "archive.fixity.run"
READ: Final = "archive.fixity.read"


@rule(RUN)
def _run(principal: Principal, resource: Resource) -> bool:
    return principal.has_role("archivist")


@rule(READ)
def _read(principal: Principal, resource: Resource) -> bool:
    return principal.has_role("archivist", "registrar", "auditor")
