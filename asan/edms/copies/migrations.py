"""Certified copies: found by their verification code and by the copy's SHA-256."""

from __future__ import annotations

from asan.core.migrations import Migration

MIGRATIONS = [
    Migration(
        id="edms_copies:0001",
        description="certified copies: unique verification codes, lookup by the copy's hash",
        schema=(
            "CREATE CONSTRAINT certified_copy_code IF NOT EXISTS "
            "FOR (c:CertifiedCopy) REQUIRE c.code IS UNIQUE",
            "CREATE INDEX certified_copy_sha IF NOT EXISTS FOR (c:CertifiedCopy) ON (c.copySha256)",
        ),
    ),
]
