"""Signatures: unique ids, found by document, by the signed file's hash, by verification code."""

from __future__ import annotations

from asan.core.migrations import Migration

MIGRATIONS = [
    Migration(
        id="edms_signatures:0001",
        description="signatures: unique id and verification code; lookups by document and hash",
        schema=(
            "CREATE CONSTRAINT signature_id IF NOT EXISTS FOR (s:Signature) REQUIRE s.id IS UNIQUE",
            "CREATE CONSTRAINT signature_code IF NOT EXISTS "
            "FOR (s:Signature) REQUIRE s.verificationCode IS UNIQUE",
            "CREATE INDEX signature_document IF NOT EXISTS FOR (s:Signature) ON (s.documentId)",
            "CREATE INDEX signature_sha256 IF NOT EXISTS FOR (s:Signature) ON (s.sha256)",
        ),
    ),
]
