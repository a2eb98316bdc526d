"""Use cases of the auth domain: sign-in, token refresh, client credentials, logout, and
turning a presented token into the request's Principal (account administration: accounts.py).

Each write is one transaction that also appends its audit event (``pipeline.run_audited``:
retried whole on a transient Neo4j error); a refusal is recorded in the same transaction as the
throttle update that it caused, and the error is raised only after that transaction committed,
so refused attempts are never lost from the trail. Sign-ins change no registry object, so they
append nothing to the change log.
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

from asan.auth import audit, repository, signin_throttle, tokens
from asan.auth.accounts import create_user as create_user  # re-exported for the CLI
from asan.auth.keys import KeyStore
from asan.auth.models import TokenPair
from asan.auth.oidc import JwksCache, JwksUnavailable
from asan.auth.passwords import verify_password
from asan.auth.pipeline import run_audited
from asan.auth.policy import Resource
from asan.auth.principal import ANONYMOUS, Principal
from asan.auth.resolve import resolve_service, resolve_user
from asan.auth.revocation import RevocationState
from asan.core.db import Tx
from asan.core.errors import BadInput, DomainError, RateLimited, Unauthenticated
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.core.text import fold, normalize
from asan.core.uow import UnitOfWork

Clock = Callable[[], float]
VERIFIED_CACHE_SIZE = 10_000

BAD_CREDENTIALS = "istifadəçi adı və ya parol yanlışdır / wrong username or password"
BAD_CLIENT = "müştəri identifikatoru və ya sirri yanlışdır / wrong client id or secret"
SESSION_ENDED = (
    "sessiya bitib (çıxış edilib və ya ləğv olunub) / the session has ended (signed out or revoked)"
)


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
        # (issuer, subject, kind, scopes, day) -> (expires at, resolved at, principal):
        # resolving a caller costs a graph query, which would otherwise be most of what auth
        # adds to a request; a change to the user made after "resolved at" drops the entry
        self._resolved: OrderedDict[tuple[str, ...], tuple[float, float, Principal | None]] = (
            OrderedDict()
        )
        # ended sessions and changed users, as recently as auth_revocation_cache_seconds
        self.revocations = RevocationState(settings, clock)

    @classmethod
    def for_settings(cls, settings: Settings, **kwargs: Any) -> AuthService:
        return cls(settings, KeyStore.open(settings.data_path, settings.auth_algorithm), **kwargs)

    # --- tokens ----------------------------------------------------------------------------

    def access_token(
        self,
        subject: str,
        kind: str,
        scopes: frozenset[str] | None = None,
        session: str | None = None,
    ) -> tuple[str, int]:
        """A signed access token; ``session`` (claim ``sid``) lets ending the session end it."""
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
        if session is not None:
            claims["sid"] = session
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
        # checked on every request, after the verified-token cache: a cached token is not a
        # live one
        await self.revocations.current(platform.db)
        if self.revocations.is_revoked(claims, claims["iss"] == self.settings.auth_issuer):
            raise Unauthenticated(SESSION_ENDED)
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
        if (
            cached is not None
            and cached[0] > self.clock()
            and not self.revocations.changed_since(key[1], cached[1])
        ):
            principal = cached[2]
        else:
            resolving_at = self.clock()
            principal = await self._resolve(platform, claims, kind, today)
            self._remember(key, resolving_at, principal)
        if principal is None:
            raise Unauthenticated("hesab aktiv deyil / account is not active")
        return Principal(**{**principal.__dict__, "source": source, "issuer": claims["iss"]})

    def _remember(
        self, key: tuple[str, ...], resolved_at: float, principal: Principal | None
    ) -> None:
        ttl = self.settings.auth_principal_cache_seconds
        if ttl <= 0:
            return
        self._resolved[key] = (self.clock() + ttl, resolved_at, principal)
        self._resolved.move_to_end(key)
        while len(self._resolved) > 10_000:
            self._resolved.popitem(last=False)

    def forget_resolved(self) -> None:
        """Drop cached callers at once and reload the revocation state on the next request
        (after a role, position, delegation or account change made by this process)."""
        self._resolved.clear()
        self.revocations.expire()

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
        now = self.clock()
        who = Principal(
            subject="anonymous", kind="anonymous", source=source, name=normalize(username)[:200]
        )
        target = Resource("User", normalize(username)[:200])

        async def unit(uow: UnitOfWork) -> tuple[TokenPair | None, DomainError | None]:
            tx = uow.tx
            error: DomainError | None = None
            pair: TokenPair | None = None
            attempt = await signin_throttle.begin(tx, "user:" + fold(username), source)
            wait, by = signin_throttle.refusal(attempt, now, self.settings)
            if wait > 0:
                await audit.record(
                    tx, who, "auth.login", target, "refused", {"reason": "throttled", "by": by}
                )
                error = _throttled(wait)
            else:
                user = await repository.user_for_login(tx, fold(username))
                ok = await asyncio.to_thread(
                    verify_password, user["passwordHash"] if user else None, password
                )
                if user is not None and ok and user["active"]:
                    await signin_throttle.succeeded(tx, attempt)
                    refresh, session = await self._new_refresh(tx, user["id"], "user", None, now)
                    actor = Principal(
                        subject=user["id"], kind="user", source=source, name=user["username"]
                    )
                    await audit.record(tx, actor, "auth.login", Resource("User", user["id"]))
                    pair = TokenPair(
                        *self.access_token(user["id"], "user", session=session),
                        refresh_token=refresh,
                    )
                else:
                    locked = await signin_throttle.failed(tx, attempt, now, self.settings)
                    reason = "locked" if locked else "bad credentials"
                    await audit.record(tx, who, "auth.login", target, "refused", {"reason": reason})
                    error = Unauthenticated(BAD_CREDENTIALS)
            return pair, error

        pair, error = await run_audited(platform, unit)
        if error is not None:
            raise error
        assert pair is not None
        return pair

    def _renewable(self, used_at: float | None, now: float) -> bool:
        """Unused, or spent less than the reuse grace ago (two workers renewing one session)."""
        grace = self.settings.auth_refresh_reuse_grace_seconds
        return used_at is None or (grace > 0 and now - used_at <= grace)

    async def _new_refresh(
        self, tx: Tx, subject: str, kind: str, family: str | None, now: float
    ) -> tuple[str, str]:
        """A new refresh token of ``family`` (a new session when None): (token, family)."""
        token = "rt_" + secrets.token_urlsafe(32)
        family = family or uuid.uuid4().hex
        await repository.create_refresh_token(
            tx,
            _token_id(token),
            family,
            subject,
            kind,
            now,
            now + self.settings.refresh_token_ttl_seconds,
        )
        return token, family

    async def _end_session(self, tx: Tx, family: str, now: float, reason: str) -> None:
        """Revoke the family's refresh tokens and, through ``sid``, its access tokens."""
        await repository.revoke_family(tx, family, now, reason)
        await repository.revoke_session(tx, family, now + self.revocations.token_life, reason, now)

    async def refresh(
        self, platform: Platform, refresh_token: str, source: str | None = None
    ) -> TokenPair:
        """Rotate: the presented token is spent; presenting a spent one revokes its family."""
        now = self.clock()

        async def unit(uow: UnitOfWork) -> tuple[TokenPair | None, DomainError | None, str | None]:
            tx = uow.tx
            error: DomainError | None = None
            pair: TokenPair | None = None
            ended: str | None = None
            row = await repository.lock_refresh_token(tx, _token_id(refresh_token))
            who = ANONYMOUS.from_source(source)
            if row is None:
                error = Unauthenticated("yeniləmə tokeni tanınmır / unknown refresh token")
            else:
                who = Principal(subject=row["subject"], kind=row["kind"], source=source)
                target = Resource("Session", row["family"])
                if row["revokedAt"] is not None or not self._renewable(row["usedAt"], now):
                    await self._end_session(tx, row["family"], now, "reuse")
                    ended = row["family"]
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
                    await self._end_session(tx, row["family"], now, "account inactive")
                    ended = row["family"]
                    error = Unauthenticated("hesab aktiv deyil / account is not active")
                else:
                    again = row["usedAt"] is not None  # within the grace: first use kept
                    if not again:
                        await repository.mark_refresh_used(tx, _token_id(refresh_token), now)
                    new, session = await self._new_refresh(
                        tx, row["subject"], row["kind"], row["family"], now
                    )
                    details = {"reusedWithinGraceSeconds": now - row["usedAt"]} if again else None
                    await audit.record(tx, who, "auth.refresh", target, details=details)
                    pair = TokenPair(
                        *self.access_token(row["subject"], row["kind"], session=session),
                        refresh_token=new,
                    )
            return pair, error, ended

        pair, error, ended = await run_audited(platform, unit)
        if ended is not None:  # committed: this process honours it before its next reload
            self.revocations.session_ended(ended)
        if error is not None:
            raise error
        assert pair is not None
        return pair

    async def logout(
        self, platform: Platform, refresh_token: str, source: str | None = None
    ) -> bool:
        """End the session: its refresh tokens at once, its access tokens within seconds in
        every process (at once in this one)."""
        now = self.clock()

        async def unit(uow: UnitOfWork) -> str | None:
            row = await repository.lock_refresh_token(uow.tx, _token_id(refresh_token))
            if row is None:  # audited like any refused request: probing leaves a trace
                await audit.record(
                    uow.tx,
                    ANONYMOUS.from_source(source),
                    "auth.logout",
                    Resource("Session"),
                    "refused",
                    {"reason": "unknown refresh token"},
                )
                return None
            await self._end_session(uow.tx, row["family"], now, "logout")
            who = Principal(subject=row["subject"], kind=row["kind"], source=source)
            await audit.record(uow.tx, who, "auth.logout", Resource("Session", row["family"]))
            return str(row["family"])

        family = await run_audited(platform, unit)
        if family is None:
            return False
        self.revocations.session_ended(family)
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
        now = self.clock()
        who = Principal(subject=client_id, kind="service", source=source)
        target = Resource("ServiceAccount", client_id)

        async def unit(uow: UnitOfWork) -> tuple[TokenPair | None, DomainError | None]:
            tx = uow.tx
            error: DomainError | None = None
            pair: TokenPair | None = None
            attempt = await signin_throttle.begin(tx, "client:" + client_id, source)
            wait, by = signin_throttle.refusal(attempt, now, self.settings)
            account = (
                None if wait > 0 else await repository.service_account_for_login(tx, client_id)
            )
            ok = wait <= 0 and await asyncio.to_thread(
                verify_password, account["secretHash"] if account else None, secret
            )
            if wait > 0:
                await audit.record(
                    tx, who, "auth.token", target, "refused", {"reason": "throttled", "by": by}
                )
                error = _throttled(wait)
            elif account is None or not ok or not account["active"]:
                await signin_throttle.failed(tx, attempt, now, self.settings)
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
                    await signin_throttle.succeeded(tx, attempt)
                    await audit.record(
                        tx, who, "auth.token", target, details={"scopes": sorted(wanted)}
                    )
                    token, ttl = self.access_token(client_id, "service", wanted)
                    pair = TokenPair(token, ttl, scope=" ".join(sorted(wanted)))
            return pair, error

        pair, error = await run_audited(platform, unit)
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


def retire_after(settings: Settings) -> timedelta:
    """How long a rotated-out key stays published: past the life of any token it signed."""
    return timedelta(seconds=2 * settings.access_token_ttl_seconds + settings.token_leeway_seconds)
