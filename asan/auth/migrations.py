"""Neo4j migrations of identities, tokens and the audit trail."""

from asan.core.db import Tx
from asan.core.migrations import Migration


async def _audit_genesis(tx: Tx) -> None:
    await tx.run(
        "MERGE (h:AuditHead {id: 'main'}) ON CREATE SET h.seq = 0, h.hash = $genesis",
        {"genesis": "0" * 64},
    )


MIGRATIONS: list[Migration] = [
    Migration(
        id="auth:0001",
        description="users, service accounts, refresh tokens, login throttles",
        schema=(
            "CREATE CONSTRAINT user_id IF NOT EXISTS FOR (u:User) REQUIRE u.id IS UNIQUE",
            "CREATE CONSTRAINT user_username IF NOT EXISTS "
            "FOR (u:User) REQUIRE u.usernameFold IS UNIQUE",
            "CREATE INDEX user_external IF NOT EXISTS FOR (u:User) ON (u.externalId)",
            "CREATE CONSTRAINT service_account_client IF NOT EXISTS "
            "FOR (s:ServiceAccount) REQUIRE s.clientId IS UNIQUE",
            "CREATE CONSTRAINT refresh_token_id IF NOT EXISTS "
            "FOR (t:RefreshToken) REQUIRE t.id IS UNIQUE",
            "CREATE INDEX refresh_token_family IF NOT EXISTS FOR (t:RefreshToken) ON (t.family)",
            "CREATE CONSTRAINT login_throttle_key IF NOT EXISTS "
            "FOR (l:LoginThrottle) REQUIRE l.key IS UNIQUE",
        ),
    ),
    Migration(
        id="auth:0002",
        description="hash-chained audit trail with one head node",
        schema=(
            "CREATE CONSTRAINT audit_event_seq IF NOT EXISTS "
            "FOR (e:AuditEvent) REQUIRE e.seq IS UNIQUE",
            "CREATE CONSTRAINT audit_head_id IF NOT EXISTS "
            "FOR (h:AuditHead) REQUIRE h.id IS UNIQUE",
            "CREATE INDEX audit_event_at IF NOT EXISTS FOR (e:AuditEvent) ON (e.at)",
            "CREATE INDEX audit_event_actor IF NOT EXISTS FOR (e:AuditEvent) ON (e.actor)",
            "CREATE INDEX audit_event_target IF NOT EXISTS "
            "FOR (e:AuditEvent) ON (e.targetKind, e.targetId)",
        ),
        data=_audit_genesis,
    ),
    Migration(
        id="auth:0003",
        description="revocation state: ended sessions, users whose rights changed",
        schema=(
            "CREATE CONSTRAINT revoked_session_sid IF NOT EXISTS "
            "FOR (r:RevokedSession) REQUIRE r.sid IS UNIQUE",
            "CREATE INDEX revoked_session_until IF NOT EXISTS FOR (r:RevokedSession) ON (r.until)",
            "CREATE INDEX user_auth_changed IF NOT EXISTS FOR (u:User) ON (u.authChangedAt)",
        ),
    ),
    Migration(
        id="auth:0004",
        description="login throttles are found by age, so forgotten ones can be deleted",
        schema=(
            "CREATE INDEX login_throttle_touched IF NOT EXISTS "
            "FOR (l:LoginThrottle) ON (l.touchedAt)",
        ),
    ),
    Migration(
        id="auth:0005",
        description="idempotent mutations: one receipt per subject and client mutation id",
        schema=(
            "CREATE CONSTRAINT mutation_receipt_key IF NOT EXISTS "
            "FOR (r:MutationReceipt) REQUIRE r.key IS UNIQUE",
            "CREATE INDEX mutation_receipt_at IF NOT EXISTS FOR (r:MutationReceipt) ON (r.at)",
        ),
    ),
]
