"""The demo users who build the archive sample, resolved as a request would resolve them, and
the client mutation ids that make each step happen once however often the sample is loaded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from asan.auth.principal import Principal
from asan.auth.resolve import resolve_user
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku

REGISTRAR: Final = "demo.clerk"  # registers and files documents, drafts nomenclatures
CHAIRMAN: Final = "demo.chairman"  # leads the agency: approves nomenclatures
ARCHIVIST: Final = "demo.archivist"  # closes cases, accepts transfers, ingests, places holds
CAST: Final = (REGISTRAR, CHAIRMAN, ARCHIVIST)


class MissingCast(LookupError):
    """A demo user is missing or cannot act (demo users or org structure not loaded)."""


@dataclass(frozen=True)
class Cast:
    registrar: Principal
    chairman: Principal
    archivist: Principal

    @staticmethod
    def key(name: str, step: str) -> str:
        return f"sample-archive:{name}:{step}"


async def resolve_cast(platform: Platform) -> Cast:
    rows = await platform.db.read(
        "UNWIND $names AS name MATCH (u:User {username: name}) "
        "RETURN u.username AS username, u.id AS id",
        {"names": list(CAST)},
    )
    ids = {r["username"]: r["id"] for r in rows}
    today = today_in_baku().isoformat()
    found: dict[str, Principal] = {}
    for name in CAST:
        principal = await resolve_user(platform, ids[name], today) if name in ids else None
        if principal is None:
            raise MissingCast(f"demo user {name} missing or unable to act")
        found[name] = principal
    return Cast(found[REGISTRAR], found[CHAIRMAN], found[ARCHIVIST])
