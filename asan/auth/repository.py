"""All Cypher of the auth domain: accounts, positions held, sessions, throttles, scope lookup."""

from __future__ import annotations

from typing import Any

from asan.auth.models import NewServiceAccount, ThrottleState
from asan.core.db import Database, Record, Tx

HEAD_KINDS = ["chairman", "head", "sector_head"]


async def create_user(
    tx: Tx, user_id: str, username: str, username_fold: str, props: dict[str, Any]
) -> bool:
    """False when the username is taken (folded, so "Əli" and "əli" are one name)."""
    rows = await tx.run(
        """
        OPTIONAL MATCH (existing:User {usernameFold: $fold})
        WITH existing WHERE existing IS NULL
        CREATE (u:User {id: $id, username: $username, usernameFold: $fold})
        SET u += $props, u.active = true, u.createdAt = datetime()
        RETURN u.id AS id
        """,
        {"id": user_id, "username": username, "fold": username_fold, "props": props},
    )
    return bool(rows)


async def set_password(tx: Tx, user_id: str, password_hash: str) -> None:
    await tx.run(
        "MATCH (u:User {id: $id}) SET u.passwordHash = $hash, u.passwordChangedAt = datetime()",
        {"id": user_id, "hash": password_hash},
    )


async def user_for_login(tx: Tx, username_fold: str) -> Record | None:
    rows = await tx.run(
        """
        MATCH (u:User {usernameFold: $fold})
        RETURN u.id AS id, u.username AS username, u.displayName AS displayName,
               u.passwordHash AS passwordHash, coalesce(u.active, true) AS active
        """,
        {"fold": username_fold},
    )
    return rows[0] if rows else None


async def grant_position(
    tx: Tx, username_fold: str, position: str, valid_from: str, valid_until: str | None
) -> bool:
    rows = await tx.run(
        """
        MATCH (u:User {usernameFold: $fold}), (p:Position {code: $position})
        CREATE (u)-[h:HOLDS {validFrom: date($from)}]->(p)
        SET h.validUntil = CASE WHEN $until IS NULL THEN null ELSE date($until) END
        RETURN p.code AS code
        """,
        {"fold": username_fold, "position": position, "from": valid_from, "until": valid_until},
    )
    return bool(rows)


async def state_body_exists(tx: Tx, code: str) -> bool:
    """Whether an account may name this state body (the catalog's node, read by code)."""
    rows = await tx.run("MATCH (b:StateBody {code: $code}) RETURN b.code AS code", {"code": code})
    return bool(rows)


async def create_service_account(tx: Tx, account: NewServiceAccount, secret_hash: str) -> bool:
    rows = await tx.run(
        """
        OPTIONAL MATCH (existing:ServiceAccount {clientId: $client_id})
        WITH existing WHERE existing IS NULL
        CREATE (s:ServiceAccount {clientId: $client_id, name: $name, scopes: $scopes,
                stateBody: $state_body, roles: $roles, secretHash: $hash, active: true,
                createdAt: datetime()})
        RETURN s.clientId AS id
        """,
        {
            "client_id": account.client_id,
            "name": account.name,
            "scopes": sorted(account.scopes),
            "state_body": account.state_body,
            "roles": sorted(account.roles),
            "hash": secret_hash,
        },
    )
    return bool(rows)


async def service_account_for_login(tx: Tx, client_id: str) -> Record | None:
    rows = await tx.run(
        """
        MATCH (s:ServiceAccount {clientId: $id})
        RETURN s.clientId AS clientId, s.secretHash AS secretHash, s.scopes AS scopes,
               coalesce(s.active, true) AS active
        """,
        {"id": client_id},
    )
    return rows[0] if rows else None


# --- login throttles -------------------------------------------------------------------------


async def lock_throttle(tx: Tx, key: str) -> ThrottleState:
    """Read the throttle under a write lock, so parallel guesses queue behind each other."""
    rows = await tx.run(
        """
        MERGE (l:LoginThrottle {key: $key})
          ON CREATE SET l.failures = 0
        SET l.touchedAt = timestamp()
        RETURN l.failures AS failures, l.lastFailedAt AS last, l.lockedUntil AS locked
        """,
        {"key": key},
    )
    row = rows[0]
    return ThrottleState(int(row["failures"] or 0), row["last"], row["locked"])


async def read_throttle(tx: Tx, key: str) -> ThrottleState:
    """Read a throttle without locking it (the per-address counter, shared by many names)."""
    rows = await tx.run(
        """
        OPTIONAL MATCH (l:LoginThrottle {key: $key})
        RETURN l.failures AS failures, l.lastFailedAt AS last, l.lockedUntil AS locked
        """,
        {"key": key},
    )
    row = rows[0]
    return ThrottleState(int(row["failures"] or 0), row["last"], row["locked"])


async def save_throttle(tx: Tx, key: str, state: ThrottleState) -> None:
    await tx.run(
        """
        MATCH (l:LoginThrottle {key: $key})
        SET l.failures = $failures, l.lastFailedAt = $last, l.lockedUntil = $locked
        """,
        {
            "key": key,
            "failures": state.failures,
            "last": state.last_failed_at,
            "locked": state.locked_until,
        },
    )


async def clear_throttle(tx: Tx, key: str) -> None:
    await tx.run("MATCH (l:LoginThrottle {key: $key}) DELETE l", {"key": key})


async def forget_old_throttles(tx: Tx, older_than_ms: int, limit: int = 50) -> None:
    """Delete a few counters untouched for longer than the failure window (sprayed names and
    addresses would otherwise pile up for ever)."""
    await tx.run(
        """
        MATCH (l:LoginThrottle) WHERE l.touchedAt < timestamp() - $age
        WITH l LIMIT $limit
        DELETE l
        """,
        {"age": older_than_ms, "limit": limit},
    )


# --- refresh tokens --------------------------------------------------------------------------


async def create_refresh_token(
    tx: Tx, token_id: str, family: str, subject: str, kind: str, now: float, expires_at: float
) -> None:
    await tx.run(
        """
        CREATE (:RefreshToken {id: $id, family: $family, subject: $subject, kind: $kind,
                issuedAt: $now, expiresAt: $expires})
        """,
        {
            "id": token_id,
            "family": family,
            "subject": subject,
            "kind": kind,
            "now": now,
            "expires": expires_at,
        },
    )


async def lock_refresh_token(tx: Tx, token_id: str) -> Record | None:
    rows = await tx.run(
        """
        MATCH (t:RefreshToken {id: $id})
        SET t.lockedAt = timestamp()
        RETURN t.family AS family, t.subject AS subject, t.kind AS kind,
               t.expiresAt AS expiresAt, t.usedAt AS usedAt, t.revokedAt AS revokedAt
        """,
        {"id": token_id},
    )
    return rows[0] if rows else None


async def mark_refresh_used(tx: Tx, token_id: str, now: float) -> None:
    await tx.run(
        "MATCH (t:RefreshToken {id: $id}) SET t.usedAt = $now", {"id": token_id, "now": now}
    )


async def revoke_family(tx: Tx, family: str, now: float, reason: str) -> int:
    rows = await tx.run(
        """
        MATCH (t:RefreshToken {family: $family}) WHERE t.revokedAt IS NULL
        SET t.revokedAt = $now, t.revokedReason = $reason
        RETURN count(t) AS n
        """,
        {"family": family, "now": now, "reason": reason},
    )
    return int(rows[0]["n"]) if rows else 0


# --- revocation state: ended sessions, changed users -------------------------------------------


async def revoke_session(tx: Tx, sid: str, until: float, reason: str, now: float) -> None:
    """Remember an ended session until its last access token has expired; forget older ones."""
    await tx.run(
        """
        MERGE (r:RevokedSession {sid: $sid})
        SET r.until = CASE WHEN r.until IS NULL OR r.until < $until THEN $until ELSE r.until END,
            r.reason = coalesce(r.reason, $reason), r.revokedAt = coalesce(r.revokedAt, $now)
        """,
        {"sid": sid, "until": until, "reason": reason, "now": now},
    )
    await tx.run(
        "MATCH (r:RevokedSession) WHERE r.until < $now WITH r LIMIT 100 DELETE r", {"now": now}
    )


async def mark_user_changed(tx: Tx, user_id: str, at: float, end_tokens: bool) -> None:
    """Stamp a change of who the user is: cached callers resolved before ``at`` are dropped;
    with ``end_tokens`` every access token issued up to ``at`` is refused."""
    await tx.run(
        """
        MATCH (u:User {id: $id})
        SET u.authChangedAt = $at,
            u.tokensValidAfter = CASE WHEN $end THEN $at ELSE u.tokensValidAfter END
        """,
        {"id": user_id, "at": at, "end": end_tokens},
    )


async def revocation_state(db: Database, now: float, since: float) -> Record:
    """Sessions ended whose tokens may still be unexpired, and users changed since ``since``."""
    rows = await db.read(
        """
        CALL () {
          MATCH (r:RevokedSession) WHERE r.until > $now
          RETURN collect(r.sid) AS sessions
        }
        CALL () {
          MATCH (u:User) WHERE u.authChangedAt > $since
          RETURN collect({id: u.id, changedAt: u.authChangedAt,
                          tokensValidAfter: u.tokensValidAfter}) AS users
        }
        RETURN sessions, users
        """,
        {"now": now, "since": since},
    )
    return rows[0]


async def set_user_active(tx: Tx, username_fold: str, active: bool) -> str | None:
    rows = await tx.run(
        "MATCH (u:User {usernameFold: $fold}) SET u.active = $active RETURN u.id AS id",
        {"fold": username_fold, "active": active},
    )
    return rows[0]["id"] if rows else None


async def set_user_roles(tx: Tx, username_fold: str, roles: list[str]) -> Record | None:
    rows = await tx.run(
        """
        MATCH (u:User {usernameFold: $fold})
        WITH u, coalesce(u.roles, []) AS before
        SET u.roles = $roles
        RETURN u.id AS id, before
        """,
        {"fold": username_fold, "roles": roles},
    )
    return rows[0] if rows else None


async def user_id_by_name(tx: Tx, username_fold: str) -> str | None:
    rows = await tx.run(
        "MATCH (u:User {usernameFold: $fold}) RETURN u.id AS id", {"fold": username_fold}
    )
    return rows[0]["id"] if rows else None


# --- scope of a principal, resolved per request -----------------------------------------------

# One round trip: the user, the positions they hold today, the head positions delegated to
# those positions today, who holds those (the "acting for"), and every unit led directly or by
# delegation together with its sub-units (sectors).
_USER_SCOPE = """
MATCH (u:User {id: $sub})
WHERE coalesce(u.active, true)
OPTIONAL MATCH (u)-[h:HOLDS]->(p:Position)
  WHERE date(h.validFrom) <= date($today)
    AND (h.validUntil IS NULL OR date(h.validUntil) >= date($today))
WITH u, collect(DISTINCT p) AS held
CALL (held) {
  UNWIND held AS p
  MATCH (d:Delegation)-[:TO]->(p), (d)-[:FROM]->(hp:Position)
  WHERE date(d.validFrom) <= date($today) AND date(d.validUntil) >= date($today)
  OPTIONAL MATCH (holder:User)-[hh:HOLDS]->(hp)
    WHERE date(hh.validFrom) <= date($today)
      AND (hh.validUntil IS NULL OR date(hh.validUntil) >= date($today))
  RETURN collect(DISTINCT hp) AS delegated, collect(DISTINCT holder.id) AS actingFor
}
CALL (held, delegated) {
  UNWIND held + delegated AS p
  MATCH (p)-[r:IN_UNIT|LEADS]->(root:OrgUnit)
  WHERE type(r) = 'LEADS' OR p.kind IN $head_kinds
  MATCH (x:OrgUnit)-[:PART_OF*0..]->(root)
  RETURN collect(DISTINCT x.code) AS led
}
RETURN u.id AS id, u.username AS username, u.displayName AS displayName,
       coalesce(u.roles, []) AS roles, u.stateBody AS stateBody,
       coalesce(u.clearance, 'public') AS clearance,
       [p IN held | {kind: p.kind, roles: coalesce(p.roles, []),
                     leads: exists { (p)-[:LEADS]->(:OrgUnit) }}] AS held,
       [p IN delegated | {kind: p.kind, roles: coalesce(p.roles, []),
                          leads: exists { (p)-[:LEADS]->(:OrgUnit) }}] AS delegated,
       reduce(acc = [], p IN held | acc + [(p)-[:IN_UNIT]->(m:OrgUnit) | m.code]) AS member,
       led, actingFor
"""


async def user_scope(db: Database, subject: str, today: str) -> Record | None:
    rows = await db.read(_USER_SCOPE, {"sub": subject, "today": today, "head_kinds": HEAD_KINDS})
    return rows[0] if rows else None


async def user_id_for_external(db: Database, external_id: str) -> str | None:
    rows = await db.read(
        "MATCH (u:User {externalId: $ext}) WHERE coalesce(u.active, true) RETURN u.id AS id",
        {"ext": external_id},
    )
    return rows[0]["id"] if rows else None


async def service_scope(db: Database, client_id: str) -> Record | None:
    rows = await db.read(
        """
        MATCH (s:ServiceAccount {clientId: $id}) WHERE coalesce(s.active, true)
        RETURN s.clientId AS clientId, s.name AS name, coalesce(s.roles, []) AS roles,
               s.stateBody AS stateBody, coalesce(s.scopes, []) AS scopes
        """,
        {"id": client_id},
    )
    return rows[0] if rows else None
