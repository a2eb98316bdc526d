"""The demo users as callers: principals resolved for today, the way a request resolves them,
and client mutation ids that make every step of a sample load happen once."""

from __future__ import annotations

from dataclasses import dataclass, field

from asan.auth.principal import Principal
from asan.auth.resolve import resolve_user
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku

# who plays which part on a sample document's way (usernames of asan/auth/demo.py)
REGISTRAR = "demo.clerk"
HEAD = "demo.head"
SECTOR_HEAD = "demo.sector"
EXECUTOR = "demo.it1"
DRAFTER = "demo.it2"
LAWYER = "demo.lawyer"
SIGNATORY = "demo.chairman"
CAST = (REGISTRAR, HEAD, SECTOR_HEAD, EXECUTOR, DRAFTER, LAWYER, SIGNATORY)


class MissingCast(LookupError):
    """A demo user or their position is missing (demo users or org structure not loaded)."""


@dataclass
class People:
    """Principals and user ids of the cast; ``key`` names a step for idempotent replays."""

    principals: dict[str, Principal] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)

    def __call__(self, username: str) -> Principal:
        return self.principals[username]

    def id(self, username: str) -> str:
        return self.ids[username]

    @staticmethod
    def key(name: str, step: str) -> str:
        """A client mutation id: the same sample step sent again does nothing twice."""
        return f"sample-documents:{name}:{step}"


async def resolve_people(platform: Platform) -> People:
    rows = await platform.db.read(
        """
        UNWIND $names AS name
        MATCH (u:User {username: name})
        OPTIONAL MATCH (u)-[:HOLDS]->(p:Position)
        RETURN u.username AS username, u.id AS id, count(p) AS positions
        """,
        {"names": list(CAST)},
    )
    found = {r["username"]: r for r in rows}
    missing = [n for n in CAST if n not in found]
    if missing:
        raise MissingCast(f"demo users missing: {', '.join(missing)}")
    without = [n for n in CAST if not found[n]["positions"]]
    if without:
        raise MissingCast(f"demo users without a position: {', '.join(without)}")
    people = People()
    today = today_in_baku().isoformat()
    for name in CAST:
        principal = await resolve_user(platform, found[name]["id"], today)
        if principal is None:
            raise MissingCast(f"demo user {name} cannot act (disabled?)")
        people.principals[name] = principal
        people.ids[name] = found[name]["id"]
    return people
