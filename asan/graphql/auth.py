"""GraphQL root fields of the auth domain: thin resolvers that call the domain service."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from asan.auth import accounts
from asan.auth import queries as auth_queries
from asan.auth.models import NewServiceAccount, NewUser, PositionGrant
from asan.auth.service import AuthService
from asan.core.errors import BadInput, Unauthenticated
from asan.graphql.errors import UserError
from asan.graphql.mutation import attempt
from asan.graphql.relay import Connection, PageRequest, build_connection
from asan.graphql.request import platform_of as _platform
from asan.graphql.request import principal_of as _principal


def _auth(info: Info) -> AuthService:
    service = info.context.auth
    if not isinstance(service, AuthService):
        raise Unauthenticated("giriş bu serverdə qurulmayıb / sign-in is not configured")
    return service


@strawberry.type(description="The caller as the policy sees them for this request.")
class Viewer:
    subject: str
    kind: str
    name: str | None
    roles: list[str]
    state_body: str | None
    org_units: list[str] = strawberry.field(description="Units the caller belongs to or leads.")
    led_units: list[str] = strawberry.field(description="Units the caller acts for as head.")
    acting_for: str | None = strawberry.field(description="The absent head a deputy acts for.")
    scopes: list[str]


@strawberry.type(description="One entry of the hash-chained audit trail.")
class AuditEvent:
    seq: int
    id: str
    at: str
    actor: str
    actor_kind: str
    actor_name: str | None
    acting_for: str | None
    action: str
    target_kind: str
    target_id: str | None
    outcome: str
    source: str | None
    request_id: str | None
    details: str = strawberry.field(description="JSON object")
    prev_hash: str
    hash: str


@strawberry.type
class AuditChainStatus:
    ok: bool
    checked: int
    broken_at: int | None
    reason: str | None


def _event(row: dict[str, Any]) -> AuditEvent:
    return AuditEvent(
        seq=row["seq"],
        id=row["id"],
        at=row["at"],
        actor=row["actor"],
        actor_kind=row["actorKind"],
        actor_name=row.get("actorName"),
        acting_for=row.get("actingFor"),
        action=row["action"],
        target_kind=row["targetKind"],
        target_id=row.get("targetId"),
        outcome=row["outcome"],
        source=row.get("source"),
        request_id=row.get("requestId"),
        details=row.get("details") or "{}",
        prev_hash=row["prevHash"],
        hash=row["hash"],
    )


@strawberry.type
class AuthQuery:
    @strawberry.field(description="Who is calling; null when not signed in.")
    def viewer(self, info: Info) -> Viewer | None:
        p = _principal(info)
        if not p.is_authenticated:
            return None
        return Viewer(
            subject=p.subject,
            kind=p.kind,
            name=p.name,
            roles=sorted(p.roles),
            state_body=p.state_body,
            org_units=sorted(p.org_units),
            led_units=sorted(p.led_units),
            acting_for=p.acting_for,
            scopes=sorted(p.scopes),
        )

    @strawberry.field(
        description="The audit trail, newest first (auditors). `action` may be "
        "a prefix ending in '.'; since/until are ISO UTC timestamps."
    )
    async def audit_events(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        actor: str | None = None,
        action: str | None = None,
        outcome: str | None = None,
        target_kind: str | None = None,
        target_id: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> Connection[AuditEvent]:  # type: ignore[type-var]
        page = PageRequest.of(first, after, 1)
        before = page.after[0] if page.after else None
        if before is not None and not isinstance(before, int):
            raise BadInput("kursor yanlışdır / malformed cursor", field="after")
        rows, total = await auth_queries.audit_events(
            _platform(info),
            _principal(info),
            auth_queries.AuditFilter(actor, action, outcome, target_kind, target_id, since, until),
            before,
            page.limit,
        )
        return build_connection(rows, page, total, _event, lambda row: [row["seq"]])

    @strawberry.field(description="Recompute the audit hash chain (auditors).")
    async def audit_chain(self, info: Info) -> AuditChainStatus:
        report = await auth_queries.audit_chain(_platform(info), _principal(info))
        return AuditChainStatus(
            ok=report.ok, checked=report.checked, broken_at=report.broken_at, reason=report.reason
        )


@strawberry.input
class LoginInput:
    username: str
    password: str


@strawberry.input
class RefreshInput:
    refresh_token: str


@strawberry.type
class SessionPayload:
    access_token: str
    token_type: str
    expires_in: int = strawberry.field(description="Seconds the access token stays valid.")
    refresh_token: str | None = strawberry.field(
        description="Single use: each refresh returns a new one; reusing a spent one ends "
        "the session."
    )


@strawberry.type
class LogoutPayload:
    ok: bool


@strawberry.type
class AuthMutation:
    @strawberry.mutation(description="Sign in with username and password.")
    async def login(self, info: Info, input: LoginInput) -> SessionPayload:
        pair = await _auth(info).login(
            _platform(info), input.username, input.password, _principal(info).source
        )
        return SessionPayload(
            access_token=pair.access_token,
            token_type=pair.token_type,
            expires_in=pair.expires_in,
            refresh_token=pair.refresh_token,
        )

    @strawberry.mutation(description="Exchange a refresh token for a new token pair.")
    async def refresh_session(self, info: Info, input: RefreshInput) -> SessionPayload:
        pair = await _auth(info).refresh(
            _platform(info), input.refresh_token, _principal(info).source
        )
        return SessionPayload(
            access_token=pair.access_token,
            token_type=pair.token_type,
            expires_in=pair.expires_in,
            refresh_token=pair.refresh_token,
        )

    @strawberry.mutation(description="End the session the refresh token belongs to.")
    async def logout(self, info: Info, input: RefreshInput) -> LogoutPayload:
        ok = await _auth(info).logout(_platform(info), input.refresh_token, _principal(info).source)
        return LogoutPayload(ok=ok)


@strawberry.input
class CreateUserInput:
    username: str
    display_name: str
    password: str
    roles: list[str] = strawberry.field(default_factory=list)
    state_body: str | None = None
    clearance: str = "public"
    email: str | None = None
    external_id: str | None = strawberry.field(
        default=None, description="'<issuer>|<sub>' of the user's external OpenID identity"
    )


@strawberry.type
class CreateUserPayload:
    user_id: str | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class GrantPositionInput:
    username: str
    position: str
    valid_from: date
    valid_until: date | None = None


@strawberry.type
class GrantPositionPayload:
    ok: bool = False
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CreateServiceAccountInput:
    client_id: str
    name: str
    scopes: list[str]
    state_body: str | None = None
    roles: list[str] = strawberry.field(default_factory=list)


@strawberry.type
class CreateServiceAccountPayload:
    client_id: str | None = None
    client_secret: str | None = strawberry.field(
        default=None, description="Shown once; only its hash is stored."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class SetUserActiveInput:
    username: str
    active: bool


@strawberry.input
class SetUserRolesInput:
    username: str
    roles: list[str]


@strawberry.type
class UpdateUserPayload:
    user_id: str | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _changed_here(info: Info) -> None:
    """This process sees its own account change at once; the others within seconds."""
    auth = info.context.auth
    if isinstance(auth, AuthService):
        auth.forget_resolved()


@strawberry.type
class AccountMutation:
    @strawberry.mutation(description="Create a staff user (administrators).")
    async def create_user(self, info: Info, input: CreateUserInput) -> CreateUserPayload:
        new = NewUser(
            username=input.username,
            display_name=input.display_name,
            password=input.password,
            roles=frozenset(input.roles),
            state_body=input.state_body,
            clearance=input.clearance,
            email=input.email,
            external_id=input.external_id,
        )
        user_id, errors = await attempt(
            lambda: accounts.create_user(_platform(info), _principal(info), new),
            default_field="input",
        )
        return CreateUserPayload(user_id=user_id, user_errors=errors)

    @strawberry.mutation(description="Record that a user holds a position (administrators).")
    async def grant_position(self, info: Info, input: GrantPositionInput) -> GrantPositionPayload:
        grant = PositionGrant(
            input.username,
            input.position,
            input.valid_from.isoformat(),
            input.valid_until.isoformat() if input.valid_until else None,
        )
        if input.valid_until is not None and input.valid_until < input.valid_from:
            return GrantPositionPayload(
                user_errors=[
                    UserError(
                        field="validUntil",
                        message="başlanğıcdan əvvəldir / before validFrom",
                        code="BAD_USER_INPUT",
                    )
                ]
            )
        _, errors = await attempt(
            lambda: accounts.grant_position(_platform(info), _principal(info), grant),
            default_field="input",
        )
        if errors:
            return GrantPositionPayload(user_errors=errors)
        _changed_here(info)
        return GrantPositionPayload(ok=True)

    @strawberry.mutation(description="Register a state body's system for client credentials.")
    async def create_service_account(
        self, info: Info, input: CreateServiceAccountInput
    ) -> CreateServiceAccountPayload:
        account = NewServiceAccount(
            client_id=input.client_id.strip(),
            name=input.name.strip(),
            scopes=frozenset(input.scopes),
            state_body=input.state_body,
            roles=frozenset(input.roles),
        )
        secret, errors = await attempt(
            lambda: accounts.create_service_account(_platform(info), _principal(info), account),
            default_field="input",
        )
        if secret is None:
            return CreateServiceAccountPayload(user_errors=errors)
        return CreateServiceAccountPayload(client_id=account.client_id, client_secret=secret)

    @strawberry.mutation(
        description="Deactivate or reactivate a user (administrators). Deactivation ends every "
        "session and access token of the user within seconds."
    )
    async def set_user_active(self, info: Info, input: SetUserActiveInput) -> UpdateUserPayload:
        user_id, errors = await attempt(
            lambda: accounts.set_user_active(
                _platform(info), _principal(info), input.username, input.active
            ),
            default_field="input",
        )
        if user_id is None:
            return UpdateUserPayload(user_errors=errors)
        _changed_here(info)
        return UpdateUserPayload(user_id=user_id)

    @strawberry.mutation(
        description="Replace a user's roles (administrators); signed-in sessions get the new "
        "roles within seconds."
    )
    async def set_user_roles(self, info: Info, input: SetUserRolesInput) -> UpdateUserPayload:
        user_id, errors = await attempt(
            lambda: accounts.set_user_roles(
                _platform(info), _principal(info), input.username, frozenset(input.roles)
            ),
            default_field="input",
        )
        if user_id is None:
            return UpdateUserPayload(user_errors=errors)
        _changed_here(info)
        return UpdateUserPayload(user_id=user_id)


QUERIES: list[type] = [AuthQuery]
MUTATIONS: list[type] = [AuthMutation, AccountMutation]
