"""Use cases of the auth domain: sign-in, token refresh, client credentials, account admin,
and turning a presented token into the request's Principal.

Each write is one transaction that also appends its audit event; a refusal is recorded in the
same transaction as the throttle update that it caused, and the error is raised only after
that transaction committed, so refused attempts are never lost from the trail.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from asan.auth import audit, repository, throttle, tokens
from asan.auth.keys import KeyStore
from asan.auth.models import NewServiceAccount, NewUser, PositionGrant, TokenPair
from asan.auth.oidc import JwksCache, JwksUnavailable
from asan.auth.passwords import hash_password, password_problem, verify_password
from asan.auth.policy import Resource
from asan.auth.principal import ANONYMOUS, CLEARANCE_LEVELS, ROLES, Principal
from asan.core.errors import BadInput, Conflict, DomainError, NotFound, RateLimited, Unauthenticated
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.core.text import fold, normalize

Clock = Callable[[], float]
VERIFIED_CACHE_SIZE = 10_000

BAD_CREDENTIALS = "istifadəçi adı və ya parol yanlışdır / wrong username or password"
BAD_CLIENT = "müştəri identifikatoru və ya sirri yanlışdır / wrong client id or secret"
ASSIGNABLE_ROLES = ROLES - {"head"}  # "head" comes from the positions a user holds


def _token_id(refresh_token: str) -> str:
    return hashlib.sha256(refresh_token.encode()).hexdigest()


class AuthService:
    """Per-process: the signing keys, the external provider's key cache, the clock."""

    def __init__(
        self,
        settings: Settings,
        keys: KeyStore,
        *,
        clock: Clock = time.time,
        oidc_keys: JwksCache | None = None,
    ) -> None:
        self.settings = settings
        self.keys = keys
        self.clock = clock
        if oidc_keys is None and settings.oidc_jwks_url and settings.oidc_issuer:
            oidc_keys = JwksCache(settings.oidc_jwks_url, settings.oidc_jwks_cache_seconds)
        self.oidc_keys = oidc_keys
        # token -> verified claims: a token verified once stays valid until its exp, so repeat
        # requests skip the signature check (bounded; only tokens that verified get in)
        self._verified: OrderedDict[str, dict[str, Any]] = OrderedDict()
        # (issuer, subject, kind, scopes, day) -> (expires at, principal): resolving a caller
        # costs a graph query, which would otherwise be most of what auth adds to a request
        self._resolved: OrderedDict[tuple[str, ...], tuple[float, Principal | None]] = OrderedDict()

    @classmethod
    def for_settings(cls, settings: Settings, **kwargs: Any) -> AuthService:
        return cls(settings, KeyStore.open(settings.data_path, settings.auth_algorithm), **kwargs)

    # --- tokens ----------------------------------------------------------------------------

    def access_token(
        self, subject: str, kind: str, scopes: frozenset[str] | None = None
    ) -> tuple[str, int]:
        now = int(self.clock())
        ttl = self.settings.access_token_ttl_seconds
        claims: dict[str, Any] = {
            "iss": self.settings.auth_issuer,
            "aud": self.settings.auth_audience,
            "sub": subject,
            "kind": kind,
            "iat": now,
            "nbf": now,
            "exp": now + ttl,
            "jti": uuid.uuid4().hex,
        }
        if scopes is not None:
            claims["scope"] = " ".join(sorted(scopes))
        return tokens.sign(claims, self.keys.active), ttl

    async def verify(self, token: str) -> dict[str, Any]:
        """Verified claims of our own or the configured external issuer's token."""
        cached = self._verified.get(token)
        if cached is not None:
            if time.time() < cached["exp"] + self.settings.token_leeway_seconds:
                self._verified.move_to_end(token)
                return cached
            del self._verified[token]
        claims = await self._verify(token)
        self._verified[token] = claims
        if len(self._verified) > VERIFIED_CACHE_SIZE:
            self._verified.popitem(last=False)
        return claims

    async def _verify(self, token: str) -> dict[str, Any]:
        issuer = tokens.unverified_issuer(token)
        head = tokens.header(token)
        s = self.settings
        if issuer == s.auth_issuer:
            jwk = self.keys.public_key(head["kid"])
            if jwk is None:
                raise tokens.TokenError("unknown key id (kid)")
            return tokens.verify(
                token,
                jwk,
                issuer=s.auth_issuer,
                audience=s.auth_audience,
                leeway=s.token_leeway_seconds,
            )
        if self.oidc_keys is not None and s.oidc_issuer and issuer == s.oidc_issuer:
            try:
                jwk = await self.oidc_keys.key(head["kid"])
            except JwksUnavailable as exc:
                raise tokens.TokenError("the identity provider's keys are unavailable") from exc
            if jwk is None:
                raise tokens.TokenError("unknown key id (kid)")
            return tokens.verify(
                token,
                jwk,
                issuer=s.oidc_issuer,
                audience=s.oidc_audience or s.auth_audience,
                leeway=s.token_leeway_seconds,
            )
        raise tokens.TokenError("token issuer is not accepted")

    async def authenticate(self, platform: Platform, token: str, source: str | None) -> Principal:
        """The Principal a bearer token stands for; Unauthenticated when it must be refused."""
        try:
            claims = await self.verify(token)
        except tokens.TokenError as exc:
            raise Unauthenticated(f"token yanlışdır / invalid token: {exc.reason}") from exc
        kind = claims.get("kind")
        today = datetime.fromtimestamp(self.clock(), UTC).date().isoformat()
        key = (
            str(claims["iss"]),
            str(claims["sub"]),
            str(kind),
            str(claims.get("scope", "")),
            today,
        )
        cached = self._resolved.get(key)
        if cached is not None and cached[0] > self.clock():
            principal = cached[1]
        else:
            principal = await self._resolve(platform, claims, kind, today)
            self._remember(key, principal)
        if principal is None:
            raise Unauthenticated("hesab aktiv deyil / account is not active")
        return Principal(**{**principal.__dict__, "source": source, "issuer": claims["iss"]})

    def _remember(self, key: tuple[str, ...], principal: Principal | None) -> None:
        ttl = self.settings.auth_principal_cache_seconds
        if ttl <= 0:
            return
        self._resolved[key] = (self.clock() + ttl, principal)
        self._resolved.move_to_end(key)
        while len(self._resolved) > 10_000:
            self._resolved.popitem(last=False)

    def forget_resolved(self) -> None:
        """Drop cached callers at once (after a role, position or delegation change here)."""
        self._resolved.clear()

    async def _resolve(
        self, platform: Platform, claims: dict[str, Any], kind: object, today: str
    ) -> Principal | None:
        if claims["iss"] != self.settings.auth_issuer:
            external = f"{claims['iss']}|{claims['sub']}"
            user_id = await repository.user_id_for_external(platform.db, external)
            if user_id is None:
                # known to the provider but not to us: signed in, with public rights only
                return Principal(
                    subject=f"oidc:{claims['sub']}",
                    kind="user",
                    roles=frozenset({"public_reader"}),
                )
            return await resolve_user(platform, user_id, today)
        if kind == "service":
            granted = frozenset(str(claims.get("scope", "")).split())
            return await resolve_service(platform, str(claims["sub"]), granted)
        if kind == "user":
            return await resolve_user(platform, str(claims["sub"]), today)
        raise Unauthenticated("token yanlışdır / invalid token: unknown subject kind")

    # --- sign-in ---------------------------------------------------------------------------

    async def login(
        self, platform: Platform, username: str, password: str, source: str | None = None
    ) -> TokenPair:
        key = "user:" + fold(username)
        now = self.clock()
        who = Principal(
            subject="anonymous", kind="anonymous", source=source, name=normalize(username)[:200]
        )
        target = Resource("User", normalize(username)[:200])
        error: DomainError | None = None
        pair: TokenPair | None = None
        async with platform.db.transaction() as tx:
            state = await repository.lock_throttle(tx, key)
            wait = throttle.wait_seconds(state, now, self.settings)
            if wait > 0:
                await audit.record(
                    tx, who, "auth.login", target, "refused", {"reason": "throttled"}
                )
                error = _throttled(wait)
            else:
                user = await repository.user_for_login(tx, fold(username))
                ok = await asyncio.to_thread(
                    verify_password, user["passwordHash"] if user else None, password
                )
                if user is not None and ok and user["active"]:
                    await repository.clear_throttle(tx, key)
                    refresh = await self._new_refresh(tx, user["id"], "user", None, now)
                    actor = Principal(
                        subject=user["id"], kind="user", source=source, name=user["username"]
                    )
                    await audit.record(tx, actor, "auth.login", Resource("User", user["id"]))
                    pair = TokenPair(*self.access_token(user["id"], "user"), refresh_token=refresh)
                else:
                    new_state = throttle.after_failure(state, now, self.settings)
                    await repository.save_throttle(tx, key, new_state)
                    reason = "locked" if new_state.locked_until else "bad credentials"
                    await audit.record(tx, who, "auth.login", target, "refused", {"reason": reason})
                    error = Unauthenticated(BAD_CREDENTIALS)
        if error is not None:
            raise error
        assert pair is not None
        return pair

    async def _new_refresh(
        self, tx: Any, subject: str, kind: str, family: str | None, now: float
    ) -> str:
        token = "rt_" + secrets.token_urlsafe(32)
        await repository.create_refresh_token(
            tx,
            _token_id(token),
            family or uuid.uuid4().hex,
            subject,
            kind,
            now,
            now + self.settings.refresh_token_ttl_seconds,
        )
        return token

    async def refresh(
        self, platform: Platform, refresh_token: str, source: str | None = None
    ) -> TokenPair:
        """Rotate: the presented token is spent; presenting a spent one revokes its family."""
        now = self.clock()
        error: DomainError | None = None
        pair: TokenPair | None = None
        async with platform.db.transaction() as tx:
            row = await repository.lock_refresh_token(tx, _token_id(refresh_token))
            who = ANONYMOUS.from_source(source)
            if row is None:
                error = Unauthenticated("yeniləmə tokeni tanınmır / unknown refresh token")
            else:
                who = Principal(subject=row["subject"], kind=row["kind"], source=source)
                target = Resource("Session", row["family"])
                if row["revokedAt"] is not None or row["usedAt"] is not None:
                    await repository.revoke_family(tx, row["family"], now, "reuse")
                    await audit.record(
                        tx,
                        who,
                        "auth.refresh",
                        target,
                        "refused",
                        {"reason": "refresh token reused; session revoked"},
                    )
                    error = Unauthenticated(
                        "yeniləmə tokeni artıq istifadə olunub, sessiya ləğv edildi / "
                        "refresh token already used or revoked; the session is revoked"
                    )
                elif row["expiresAt"] <= now:
                    error = Unauthenticated("yeniləmə tokeni vaxtı bitib / refresh token expired")
                elif await resolve_user(platform, row["subject"], _day(now)) is None:
                    await repository.revoke_family(tx, row["family"], now, "account inactive")
                    error = Unauthenticated("hesab aktiv deyil / account is not active")
                else:
                    await repository.mark_refresh_used(tx, _token_id(refresh_token), now)
                    new = await self._new_refresh(
                        tx, row["subject"], row["kind"], row["family"], now
                    )
                    await audit.record(tx, who, "auth.refresh", target)
                    pair = TokenPair(
                        *self.access_token(row["subject"], row["kind"]), refresh_token=new
                    )
        if error is not None:
            raise error
        assert pair is not None
        return pair

    async def logout(
        self, platform: Platform, refresh_token: str, source: str | None = None
    ) -> bool:
        now = self.clock()
        async with platform.db.transaction() as tx:
            row = await repository.lock_refresh_token(tx, _token_id(refresh_token))
            if row is None:
                return False
            await repository.revoke_family(tx, row["family"], now, "logout")
            who = Principal(subject=row["subject"], kind=row["kind"], source=source)
            await audit.record(tx, who, "auth.logout", Resource("Session", row["family"]))
        return True

    async def client_credentials(
        self,
        platform: Platform,
        client_id: str,
        secret: str,
        scopes: frozenset[str] | None,
        source: str | None = None,
    ) -> TokenPair:
        """OAuth2 client-credentials grant: a scoped access token, no refresh token."""
        key = "client:" + client_id
        now = self.clock()
        who = Principal(subject=client_id, kind="service", source=source)
        target = Resource("ServiceAccount", client_id)
        error: DomainError | None = None
        pair: TokenPair | None = None
        async with platform.db.transaction() as tx:
            state = await repository.lock_throttle(tx, key)
            wait = throttle.wait_seconds(state, now, self.settings)
            account = (
                None if wait > 0 else await repository.service_account_for_login(tx, client_id)
            )
            ok = wait <= 0 and await asyncio.to_thread(
                verify_password, account["secretHash"] if account else None, secret
            )
            if wait > 0:
                await audit.record(
                    tx, who, "auth.token", target, "refused", {"reason": "throttled"}
                )
                error = _throttled(wait)
            elif account is None or not ok or not account["active"]:
                await repository.save_throttle(
                    tx, key, throttle.after_failure(state, now, self.settings)
                )
                await audit.record(
                    tx, who, "auth.token", target, "refused", {"reason": "bad credentials"}
                )
                error = Unauthenticated(BAD_CLIENT)
            else:
                allowed = frozenset(account["scopes"] or [])
                wanted = allowed if scopes is None else scopes
                if not wanted <= allowed:
                    extra = ", ".join(sorted(wanted - allowed))
                    await audit.record(
                        tx,
                        who,
                        "auth.token",
                        target,
                        "refused",
                        {"reason": f"scopes not granted: {extra}"},
                    )
                    error = BadInput(
                        f"icazə verilməyən əhatə / scope not granted: {extra}", field="scope"
                    )
                else:
                    await repository.clear_throttle(tx, key)
                    await audit.record(
                        tx, who, "auth.token", target, details={"scopes": sorted(wanted)}
                    )
                    token, ttl = self.access_token(client_id, "service", wanted)
                    pair = TokenPair(token, ttl, scope=" ".join(sorted(wanted)))
        if error is not None:
            raise error
        assert pair is not None
        return pair


def _day(now: float) -> str:
    return datetime.fromtimestamp(now, UTC).date().isoformat()


def _throttled(wait: float) -> RateLimited:
    seconds = max(1, int(wait + 0.999))
    return RateLimited(
        f"çox sayda uğursuz cəhd, {seconds} saniyə gözləyin / "
        f"too many failed attempts, retry in {seconds} s",
        retry_after=seconds,
    )


# --- the Principal behind a subject, from the graph ----------------------------------------


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


# --- account administration (administrators; the CLI acts as SYSTEM) ------------------------


def _check_roles(roles: frozenset[str]) -> None:
    unknown = roles - ASSIGNABLE_ROLES
    if unknown:
        raise BadInput(f"naməlum rol / unknown role: {', '.join(sorted(unknown))}", field="roles")


async def create_user(platform: Platform, principal: Principal, new: NewUser) -> str:
    resource = Resource("User", normalize(new.username))
    await audit.authorize(platform.db, principal, "auth.user.create", resource)
    username = normalize(new.username)
    if not username or len(username) > 64 or not username.isprintable() or " " in username:
        raise BadInput("istifadəçi adı yanlışdır / invalid username", field="username")
    problem = password_problem(new.password)
    if problem:
        raise BadInput(problem, field="password")
    _check_roles(new.roles)
    if new.clearance not in CLEARANCE_LEVELS:
        raise BadInput("naməlum buraxılış / unknown clearance", field="clearance")
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
    async with platform.unit_of_work() as uow:
        if not await repository.create_user(uow.tx, user_id, username, fold(username), props):
            raise Conflict("bu istifadəçi adı artıq var / username already taken", field="username")
        await audit.record(
            uow.tx,
            principal,
            "auth.user.create",
            Resource("User", user_id),
            details={"username": username, "roles": sorted(new.roles), "stateBody": new.state_body},
        )
    return user_id


async def grant_position(platform: Platform, principal: Principal, grant: PositionGrant) -> None:
    resource = Resource("Position", grant.position)
    await audit.authorize(platform.db, principal, "auth.position.grant", resource)
    async with platform.unit_of_work() as uow:
        if not await repository.grant_position(
            uow.tx, fold(grant.username), grant.position, grant.valid_from, grant.valid_until
        ):
            raise NotFound("istifadəçi və ya vəzifə tapılmadı / user or position not found")
        await audit.record(
            uow.tx,
            principal,
            "auth.position.grant",
            resource,
            details={
                "username": grant.username,
                "from": grant.valid_from,
                "until": grant.valid_until,
            },
        )


async def create_service_account(
    platform: Platform, principal: Principal, account: NewServiceAccount
) -> str:
    """Returns the client secret, shown once; only its argon2 hash is stored."""
    resource = Resource("ServiceAccount", account.client_id, state_body=account.state_body)
    await audit.authorize(platform.db, principal, "auth.service_account.create", resource)
    _check_roles(account.roles)
    if not account.client_id or len(account.client_id) > 64 or not account.client_id.isprintable():
        raise BadInput("müştəri identifikatoru yanlışdır / invalid client id", field="clientId")
    if not account.scopes:
        raise BadInput("ən azı bir əhatə lazımdır / at least one scope is needed", field="scopes")
    secret = secrets.token_urlsafe(32)
    secret_hash = await asyncio.to_thread(hash_password, secret)
    async with platform.unit_of_work() as uow:
        if not await repository.create_service_account(uow.tx, account, secret_hash):
            raise Conflict("bu müştəri artıq var / client id already taken", field="clientId")
        await audit.record(
            uow.tx,
            principal,
            "auth.service_account.create",
            resource,
            details={"scopes": sorted(account.scopes), "roles": sorted(account.roles)},
        )
    return secret


def retire_after(settings: Settings) -> timedelta:
    """How long a rotated-out key stays published: past the life of any token it signed."""
    return timedelta(seconds=2 * settings.access_token_ttl_seconds + settings.token_leeway_seconds)
