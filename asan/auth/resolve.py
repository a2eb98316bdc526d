"""The Principal behind a token's subject, read from the graph (one query per caller).

Kept apart from the sign-in use cases: it only reads, and it runs for every request's caller.
"""

from __future__ import annotations

from asan.auth import repository
from asan.auth.principal import Principal
from asan.core.platform import Platform


async def resolve_user(platform: Platform, user_id: str, today: str) -> Principal | None:
    """Roles and units of a user today: positions held, delegations in force, units led."""
    row = await repository.user_scope(platform.db, user_id, today)
    if row is None:
        return None
    roles = set(row["roles"])
    for position in [*row["held"], *row["delegated"]]:
        roles.update(position["roles"])
        if position["kind"] in repository.HEAD_KINDS or position["leads"]:
            roles.add("head")
    led = frozenset(row["led"])
    acting_for = next((s for s in row["actingFor"] if s != user_id), None)
    return Principal(
        subject=row["id"],
        kind="user",
        roles=frozenset(roles),
        state_body=row["stateBody"],
        org_units=frozenset(row["member"]) | led,
        led_units=led,
        acting_for=acting_for,
        clearance=row["clearance"],
        name=row["displayName"] or row["username"],
    )


async def resolve_service(
    platform: Platform, client_id: str, granted: frozenset[str]
) -> Principal | None:
    row = await repository.service_scope(platform.db, client_id)
    if row is None:
        return None
    return Principal(
        subject=row["clientId"],
        kind="service",
        roles=frozenset(row["roles"]),
        state_body=row["stateBody"],
        # scopes withdrawn since the token was issued stop working at once
        scopes=granted & frozenset(row["scopes"]),
        name=row["name"],
    )
