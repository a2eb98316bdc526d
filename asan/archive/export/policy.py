"""Who exports permanent cases as BagIt packages, who downloads and who imports them.

Export and download are the archive's work: archivists and registrars. Import restores a
package into a (new) system and is for archivists only. Every action also passes the clearance
guard against the highest classification among the case's documents, so a case holding a
secret document is exported, listed and downloaded only by people cleared for it (a package
carries every card and file in clear). Administrators pass the rules, not the guards; the CLI
runs as the system principal.
"""

from __future__ import annotations

from typing import Final

from asan.auth.policy import Resource, rule
from asan.auth.principal import Principal

EXPORT: Final = "archive.export.create"
READ: Final = "archive.export.read"
IMPORT: Final = "archive.export.import"


@rule(EXPORT, READ)
def _export(principal: Principal, resource: Resource) -> bool:
    return principal.has_role("archivist", "registrar")


@rule(IMPORT)
def _import(principal: Principal, resource: Resource) -> bool:
    return principal.has_role("archivist")
