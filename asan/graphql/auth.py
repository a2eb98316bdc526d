"""GraphQL root fields of the auth domain: thin resolvers that call the domain service."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

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


INPUT = strawberry.argument(description="The mutation's fields; see the input type.")


@strawberry.type(description="The caller as the policy sees them for this request.")
class Viewer:
    subject: str = strawberry.field(
        description="Stable id of the caller (user id or service-account client id)."
    )
    kind: str = strawberry.field(
        description="Kind of caller: user, service or system (anonymous callers get none)."
    )
    name: str | None = strawberry.field(
        description="Display name; null for service accounts without one."
    )
    roles: list[str] = strawberry.field(
        description="Roles granted directly and through the positions held today."
    )
    state_body: str | None = strawberry.field(
        description="Code of the state body the caller works for; null: none."
    )
    org_units: list[str] = strawberry.field(description="Units the caller belongs to or leads.")
    led_units: list[str] = strawberry.field(description="Units the caller acts for as head.")
    acting_for: str | None = strawberry.field(description="The absent head a deputy acts for.")
    scopes: list[str] = strawberry.field(
        description="OAuth scopes of a service account's token; empty for users."
    )


@strawberry.type(description="One entry of the hash-chained audit trail.")
class AuditEvent:
    seq: int = strawberry.field(description="Position in the hash chain, from 1.")
    id: str = strawberry.field(description="Unique id of the event.")
    at: str = strawberry.field(description="When it was recorded, ISO 8601 in UTC.")
    actor: str = strawberry.field(description="Who acted (user or service-account id).")
    actor_kind: str = strawberry.field(
        description="Kind of the actor: user, service, anonymous or system."
    )
    actor_name: str | None = strawberry.field(description="Display name of the actor when known.")
    acting_for: str | None = strawberry.field(
        description="The absent head a deputy acted for; null: acted in own right."
    )
    action: str = strawberry.field(
        description='What was attempted, "<domain>.<verb>", e.g. registry.service.create.'
    )
    target_kind: str = strawberry.field(description="Kind of the object acted on, e.g. Service.")
    target_id: str | None = strawberry.field(description="Id or code of the object acted on.")
    outcome: str = strawberry.field(
        description="What happened: allowed, refused (by policy) or rejected (input); shown as "
        "stored, so a tampered value stays visible."
    )
    source: str | None = strawberry.field(
        description="Client address the request came from; null: not known (CLI jobs)."
    )
    request_id: str | None = strawberry.field(
        description="Id of the HTTP request, to find its log lines."
    )
    details: str = strawberry.field(description="JSON object")
    prev_hash: str = strawberry.field(description="Hash of the previous event (the chain link).")
    hash: str = strawberry.field(description="SHA-256 over this event and prevHash.")


@strawberry.type(description="Result of recomputing the audit hash chain.")
class AuditChainStatus:
    ok: bool = strawberry.field(description="True when every link and hash matches.")
    checked: int = strawberry.field(description="Events checked.")
    broken_at: int | None = strawberry.field(
        description="Sequence number of the first event that does not match; null when ok."
    )
    reason: str | None = strawberry.field(description="What does not match; null when ok.")


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
        first: Annotated[
            int | None, strawberry.argument(description="Events per page (default 20, max 100).")
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="The `endCursor` of the previous page.")
        ] = None,
        actor: Annotated[
            str | None, strawberry.argument(description="Only events by this actor (id).")
        ] = None,
        action: Annotated[
            str | None,
            strawberry.argument(description="Only this action, or actions under a prefix 'x.'."),
        ] = None,
        outcome: Annotated[
            str | None,
            strawberry.argument(
                description="Only events with this outcome: allowed, refused or rejected."
            ),
        ] = None,
        target_kind: Annotated[
            str | None, strawberry.argument(description="Only events on this kind of object.")
        ] = None,
        target_id: Annotated[
            str | None, strawberry.argument(description="Only events on this object (id).")
        ] = None,
        since: Annotated[
            str | None, strawberry.argument(description="From this instant (ISO 8601, UTC).")
        ] = None,
        until: Annotated[
            str | None, strawberry.argument(description="Until this instant (ISO 8601, UTC).")
        ] = None,
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


@strawberry.input(description="Credentials of a staff user.")
class LoginInput:
    username: str = strawberry.field(description="The user's login name.")
    password: str = strawberry.field(description="The user's password.")


@strawberry.input(description="A refresh token from login or refreshSession.")
class RefreshInput:
    refresh_token: str = strawberry.field(description="The refresh token.")


@strawberry.type(description="Tokens of a signed-in session.")
class SessionPayload:
    access_token: str = strawberry.field(
        description="JWT to send as `Authorization: Bearer <token>`."
    )
    token_type: str = strawberry.field(description='Always "Bearer".')
    expires_in: int = strawberry.field(description="Seconds the access token stays valid.")
    refresh_token: str | None = strawberry.field(
        description="Single use: each refresh returns a new one; reusing a spent one ends "
        "the session."
    )


@strawberry.type(description="Result of ending a session.")
class LogoutPayload:
    ok: bool = strawberry.field(description="True when the session was ended.")


@strawberry.type
class AuthMutation:
    @strawberry.mutation(description="Sign in with username and password.")
    async def login(self, info: Info, input: Annotated[LoginInput, INPUT]) -> SessionPayload:
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
    async def refresh_session(
        self, info: Info, input: Annotated[RefreshInput, INPUT]
    ) -> SessionPayload:
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
    async def logout(self, info: Info, input: Annotated[RefreshInput, INPUT]) -> LogoutPayload:
        ok = await _auth(info).logout(_platform(info), input.refresh_token, _principal(info).source)
        return LogoutPayload(ok=ok)


@strawberry.input(description="A new staff user.")
class CreateUserInput:
    username: str = strawberry.field(description="Login name (unique).")
    display_name: str = strawberry.field(description="Name shown in the audit trail and documents.")
    password: str = strawberry.field(
        description="Initial password: at least 12 printable characters, no surrounding spaces."
    )
    roles: list[str] = strawberry.field(default_factory=list, description="Roles granted directly.")
    state_body: str | None = strawberry.field(
        default=None, description="Code of the state body the user works for; null: the agency."
    )
    clearance: str = strawberry.field(
        default="public", description="Highest classification the user may read (default public)."
    )
    email: str | None = strawberry.field(default=None, description="E-mail address; null: none.")
    external_id: str | None = strawberry.field(
        default=None, description="'<issuer>|<sub>' of the user's external OpenID identity"
    )


@strawberry.type(description="Result of creating a user.")
class CreateUserPayload:
    user_id: str | None = strawberry.field(
        default=None, description="Id of the new user; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Why the input was not accepted, one entry per problem; empty when it was.",
    )


@strawberry.input(description="A user holding a position (post) of the org structure.")
class GrantPositionInput:
    username: str = strawberry.field(description="Login name of the user.")
    position: str = strawberry.field(description="Code of the position, e.g. DEPT-IT-HEAD.")
    valid_from: date = strawberry.field(description="First day held.")
    valid_until: date | None = strawberry.field(
        default=None, description="Last day held (inclusive); null: open-ended."
    )


@strawberry.type(description="Result of granting a position.")
class GrantPositionPayload:
    ok: bool = strawberry.field(default=False, description="True when recorded.")
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Why the input was not accepted, one entry per problem; empty when it was.",
    )


@strawberry.input(
    description="A machine client of another state system (client-credentials grant)."
)
class CreateServiceAccountInput:
    client_id: str = strawberry.field(description="Client id (unique).")
    name: str = strawberry.field(description="Name of the client system.")
    scopes: list[str] = strawberry.field(description="OAuth scopes it may ask for.")
    state_body: str | None = strawberry.field(
        default=None, description="Code of the state body it acts for; null: none."
    )
    roles: list[str] = strawberry.field(default_factory=list, description="Roles granted to it.")


@strawberry.type(description="Result of creating a service account.")
class CreateServiceAccountPayload:
    client_id: str | None = strawberry.field(
        default=None, description="Client id of the new account; null when refused."
    )
    client_secret: str | None = strawberry.field(
        default=None, description="Shown once; only its hash is stored."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Why the input was not accepted, one entry per problem; empty when it was.",
    )


@strawberry.input(description="Enable or disable a user.")
class SetUserActiveInput:
    username: str = strawberry.field(description="Login name of the user.")
    active: bool = strawberry.field(description="False: the user can no longer sign in.")


@strawberry.input(description="Replace a user's directly granted roles.")
class SetUserRolesInput:
    username: str = strawberry.field(description="Login name of the user.")
    roles: list[str] = strawberry.field(description="The new roles (replace the old ones).")


@strawberry.type(description="Result of changing a user.")
class UpdateUserPayload:
    user_id: str | None = strawberry.field(
        default=None, description="Id of the user; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Why the input was not accepted, one entry per problem; empty when it was.",
    )


def _changed_here(info: Info) -> None:
    """This process sees its own account change at once; the others within seconds."""
    auth = info.context.auth
    if isinstance(auth, AuthService):
        auth.forget_resolved()


@strawberry.type
class AccountMutation:
    @strawberry.mutation(description="Create a staff user (administrators).")
    async def create_user(
        self, info: Info, input: Annotated[CreateUserInput, INPUT]
    ) -> CreateUserPayload:
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
    async def grant_position(
        self, info: Info, input: Annotated[GrantPositionInput, INPUT]
    ) -> GrantPositionPayload:
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
        self, info: Info, input: Annotated[CreateServiceAccountInput, INPUT]
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
    async def set_user_active(
        self, info: Info, input: Annotated[SetUserActiveInput, INPUT]
    ) -> UpdateUserPayload:
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
    async def set_user_roles(
        self, info: Info, input: Annotated[SetUserRolesInput, INPUT]
    ) -> UpdateUserPayload:
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
