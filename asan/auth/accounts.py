"""Account administration (administrators; the CLI acts as SYSTEM): users, positions held,
service accounts, and the changes that must reach tokens already issued.

Deactivating a user or changing their roles stamps the user (``authChangedAt``), which every
API process reads within ``auth_revocation_cache_seconds`` (asan/auth/revocation.py): cached
resolutions of that user are dropped, and on deactivation every access token issued so far is
refused, even if the account is later reactivated. ``now`` is the clock of that stamp, which
tests pass to drive time.
"""

from __future__ import annotations

import asyncio
import secrets
import time
import uuid

from asan.auth import repository
from asan.auth.models import NewServiceAccount, NewUser, PositionGrant
from asan.auth.passwords import hash_password, password_problem
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import CLEARANCE_LEVELS, ROLES, Principal
from asan.core.errors import BadInput, Conflict, NotFound
from asan.core.platform import Platform
from asan.core.text import fold, normalize

ASSIGNABLE_ROLES = ROLES - {"head"}  # "head" comes from the positions a user holds
USER_NOT_FOUND = "istifadəçi tapılmadı / user not found"
USER_FIELDS = ("username", "displayName", "roles", "stateBody", "clearance", "email", "externalId")
SERVICE_ACCOUNT_FIELDS = ("clientId", "name", "roles", "scopes", "stateBody")


def _check_roles(roles: frozenset[str]) -> None:
    unknown = roles - ASSIGNABLE_ROLES
    if unknown:
        raise BadInput(f"naməlum rol / unknown role: {', '.join(sorted(unknown))}", field="roles")


async def _check_state_body(m: Mutation, code: str | None) -> None:
    """An account acts for an existing body only: an unknown code is NOT_FOUND, never stored
    (an editor of a body that does not exist would hold rights nobody can see)."""
    if code is not None and not await repository.state_body_exists(m.tx, code):
        raise NotFound(f"'{code}' tapılmadı / '{code}' not found", field="stateBody")


async def create_user(platform: Platform, principal: Principal, new: NewUser) -> str:
    resource = Resource("User", normalize(new.username))
    username = normalize(new.username)

    async def write(m: Mutation) -> str:
        # checked once authorised, so a refused caller learns nothing about the input's rules
        if not username or len(username) > 64 or not username.isprintable() or " " in username:
            raise BadInput("istifadəçi adı yanlışdır / invalid username", field="username")
        problem = password_problem(new.password)
        if problem:
            raise BadInput(problem, field="password")
        _check_roles(new.roles)
        if new.clearance not in CLEARANCE_LEVELS:
            raise BadInput("naməlum buraxılış / unknown clearance", field="clearance")
        await _check_state_body(m, new.state_body)
        user_id = uuid.uuid4().hex
        password_hash = await asyncio.to_thread(hash_password, new.password)
        props = {
            "displayName": normalize(new.display_name) or username,
            "roles": sorted(new.roles),
            "stateBody": new.state_body,
            "clearance": new.clearance,
            "email": new.email,
            "externalId": new.external_id,
            "passwordHash": password_hash,
        }
        if not await repository.create_user(m.tx, user_id, username, fold(username), props):
            raise Conflict("bu istifadəçi adı artıq var / username already taken", field="username")
        m.changed("User", user_id, "created", USER_FIELDS)
        return user_id

    return await run_mutation(
        platform,
        principal,
        "auth.user.create",
        resource,
        write,
        details={"username": username, "roles": sorted(new.roles), "stateBody": new.state_body},
        audit_resource=lambda user_id: Resource("User", user_id),
    )


async def grant_position(
    platform: Platform, principal: Principal, grant: PositionGrant, *, now: float | None = None
) -> None:
    resource = Resource("Position", grant.position)

    async def write(m: Mutation) -> None:
        if not await repository.grant_position(
            m.tx, fold(grant.username), grant.position, grant.valid_from, grant.valid_until
        ):
            raise NotFound("istifadəçi və ya vəzifə tapılmadı / user or position not found")
        user_id = await repository.user_id_by_name(m.tx, fold(grant.username))
        if user_id is not None:  # a position can make a head: cached callers re-resolve
            await repository.mark_user_changed(m.tx, user_id, now or time.time(), False)
            m.changed("User", user_id, "updated", ["positions"])

    await run_mutation(
        platform,
        principal,
        "auth.position.grant",
        resource,
        write,
        details={"username": grant.username, "from": grant.valid_from, "until": grant.valid_until},
    )


async def create_service_account(
    platform: Platform, principal: Principal, account: NewServiceAccount
) -> str:
    """Returns the client secret, shown once; only its argon2 hash is stored."""
    resource = Resource("ServiceAccount", account.client_id, state_body=account.state_body)

    async def write(m: Mutation) -> str:
        _check_roles(account.roles)
        if (
            not account.client_id
            or len(account.client_id) > 64
            or not account.client_id.isprintable()
        ):
            raise BadInput("müştəri identifikatoru yanlışdır / invalid client id", field="clientId")
        if not account.scopes:
            raise BadInput(
                "ən azı bir əhatə lazımdır / at least one scope is needed", field="scopes"
            )
        await _check_state_body(m, account.state_body)
        secret = secrets.token_urlsafe(32)
        secret_hash = await asyncio.to_thread(hash_password, secret)
        if not await repository.create_service_account(m.tx, account, secret_hash):
            raise Conflict("bu müştəri artıq var / client id already taken", field="clientId")
        m.changed("ServiceAccount", account.client_id, "created", SERVICE_ACCOUNT_FIELDS)
        return secret

    return await run_mutation(
        platform,
        principal,
        "auth.service_account.create",
        resource,
        write,
        details={"scopes": sorted(account.scopes), "roles": sorted(account.roles)},
    )


async def set_user_active(
    platform: Platform,
    principal: Principal,
    username: str,
    active: bool,
    *,
    now: float | None = None,
) -> str:
    """Deactivate (or reactivate) a user; deactivation ends every token issued so far."""
    resource = Resource("User", normalize(username))
    at = time.time() if now is None else now

    async def write(m: Mutation) -> str:
        user_id = await repository.set_user_active(m.tx, fold(username), active)
        if user_id is None:
            raise NotFound(USER_NOT_FOUND, field="username")
        await repository.mark_user_changed(m.tx, user_id, at, end_tokens=not active)
        m.changed("User", user_id, "status_changed", ["active"])
        return user_id

    return await run_mutation(
        platform,
        principal,
        "auth.user.update",
        resource,
        write,
        details={"active": active},
        audit_resource=lambda user_id: Resource("User", user_id),
    )


async def set_user_roles(
    platform: Platform,
    principal: Principal,
    username: str,
    roles: frozenset[str],
    *,
    now: float | None = None,
) -> str:
    """Replace a user's roles; callers already signed in get the new roles within seconds."""
    resource = Resource("User", normalize(username))
    at = time.time() if now is None else now

    async def write(m: Mutation) -> str:
        _check_roles(roles)
        row = await repository.set_user_roles(m.tx, fold(username), sorted(roles))
        if row is None:
            raise NotFound(USER_NOT_FOUND, field="username")
        await repository.mark_user_changed(m.tx, row["id"], at, end_tokens=False)
        m.changed("User", row["id"], "updated", ["roles"])
        m.detail(roles={"from": sorted(row["before"]), "to": sorted(roles)})
        return str(row["id"])

    return await run_mutation(
        platform,
        principal,
        "auth.user.update",
        resource,
        write,
        audit_resource=lambda user_id: Resource("User", user_id),
    )
