"""Audited reads of the auth domain: the audit trail and its chain check, for auditors only.

GraphQL resolvers call these, never ``auditlog`` directly, so the authorisation (and the
audited refusal) cannot be forgotten by a new resolver or page.
"""

from __future__ import annotations

from typing import Any

from asan.auth import audit, auditlog
from asan.auth.auditlog import AuditFilter, ChainReport
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.platform import Platform

AUDIT_LOG = Resource("AuditLog")

__all__ = ["AuditFilter", "ChainReport", "audit_chain", "audit_events"]


async def audit_events(
    platform: Platform,
    principal: Principal,
    where: AuditFilter,
    before_seq: int | None,
    limit: int,
) -> tuple[list[dict[str, Any]], int]:
    """A page of events, newest first, and the total matching ``where``."""
    await audit.authorize(platform.db, principal, "audit.read", AUDIT_LOG)
    return await auditlog.search(platform.db, where, before_seq, limit)


async def audit_chain(platform: Platform, principal: Principal) -> ChainReport:
    """Recompute the hash chain and name the first broken link."""
    await audit.authorize(platform.db, principal, "audit.read", AUDIT_LOG)
    return await auditlog.verify_chain(platform.db)
