"""Attacks on authorisation, at the policy level with Resource objects: each is refused and
the refusal lands in the audit trail (through ``audit.authorize``, the call services make)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from asan.auth import audit
from asan.auth.policy import Resource, can
from asan.auth.principal import SYSTEM, Principal
from asan.auth.service import resolve_user
from asan.core.errors import Forbidden, NotFound
from tests.auth.support import add_user, audit_rows, delegate, hold, org_fixture

EDITOR_DIN = Principal("ed-din", "user", frozenset({"state_body_editor"}), state_body="DIN")
EDITOR_TAX = Principal("ed-tax", "user", frozenset({"state_body_editor"}), state_body="TAX")
REVIEWER = Principal("rev", "user", frozenset({"registry_reviewer"}))


def din_service(status: str | None, hidden: bool = False) -> Resource:
    return Resource("Service", "DIN-001", state_body="DIN", status=status, hidden_if_denied=hidden)


async def refused_and_audited(platform, principal, action, resource, error=Forbidden) -> dict:
    with pytest.raises(error):
        await audit.authorize(platform.db, principal, action, resource)
    events = await audit_rows(platform, "refused")
    assert events, "refusal was not audited"
    last = events[-1]
    assert (last["actor"], last["action"], last["targetId"]) == (
        principal.subject,
        action,
        resource.id,
    )
    return last


async def test_editor_cannot_change_another_bodys_service(clean_platform) -> None:
    assert can(EDITOR_DIN, "registry.service.update", din_service("draft"))
    await refused_and_audited(
        clean_platform, EDITOR_TAX, "registry.service.update", din_service("draft")
    )


async def test_editor_cannot_read_another_bodys_drafts_which_look_absent(clean_platform) -> None:
    await audit.authorize(
        clean_platform.db, EDITOR_DIN, "registry.service.read", din_service("draft", True)
    )
    await audit.authorize(
        clean_platform.db, REVIEWER, "registry.service.read", din_service("draft", True)
    )
    event = await refused_and_audited(
        clean_platform, EDITOR_TAX, "registry.service.read", din_service("draft", True), NotFound
    )
    assert event["outcome"] == "refused"
    # a published service is public; the draft's refusal reads exactly like an unknown code
    await audit.authorize(
        clean_platform.db, EDITOR_TAX, "registry.service.read", din_service("published", True)
    )
    with pytest.raises(NotFound) as hidden:
        await audit.authorize(
            clean_platform.db, EDITOR_TAX, "registry.service.read", din_service("draft", True)
        )
    assert "DIN-001" in hidden.value.message and "not found" in hidden.value.message


async def test_reviewer_cannot_register_what_was_not_reviewed(clean_platform) -> None:
    assert can(REVIEWER, "registry.service.register", din_service("under_review"))
    event = await refused_and_audited(
        clean_platform, REVIEWER, "registry.service.register", din_service("draft")
    )
    assert "submitted for review" in event["details"]
    # not even an administrator skips the review
    assert not can(SYSTEM, "registry.service.register", din_service("draft"))
    # and a body's editor cannot register its own service
    assert not can(EDITOR_DIN, "registry.service.register", din_service("under_review"))


async def test_deputy_acting_after_the_delegation_ended_is_refused(clean_platform, clock) -> None:
    await org_fixture(clean_platform)
    today = clock.today
    deputy = await add_user(clean_platform, "deputy")
    await hold(clean_platform, deputy, "DEPT-IT-DEPUTY", today - timedelta(days=100))
    await delegate(clean_platform, today - timedelta(days=10), today - timedelta(days=1))
    unit_document = Resource("Document", "DOC-1", org_unit="DEPT-IT")
    during = await resolve_user(clean_platform, deputy, (today - timedelta(days=5)).isoformat())
    assert during is not None and can(during, "edms.resolution.issue", unit_document)
    now = await resolve_user(clean_platform, deputy, today.isoformat())
    assert now is not None
    event = await refused_and_audited(clean_platform, now, "edms.resolution.issue", unit_document)
    assert event.get("actingFor") is None
    # their own sector they still lead
    own_sector = Resource("Document", "DOC-2", org_unit="DEPT-IT-SEC-1")
    await audit.authorize(clean_platform.db, now, "edms.resolution.issue", own_sector)


async def test_service_account_beyond_its_scopes_is_refused(clean_platform) -> None:
    system = Principal(
        "din-portal",
        "service",
        frozenset({"state_body_editor"}),
        state_body="DIN",
        scopes=frozenset({"registry.service.read"}),
    )
    await audit.authorize(clean_platform.db, system, "registry.service.read", din_service("draft"))
    event = await refused_and_audited(
        clean_platform, system, "registry.service.update", din_service("draft")
    )
    assert "scope" in event["details"]
    # scopes bind even a service account that holds the administrator role
    admin_system = Principal(
        "ops", "service", frozenset({"administrator"}), scopes=frozenset({"registry"})
    )
    assert can(admin_system, "registry.service.update", din_service("draft"))
    assert not can(admin_system, "audit.read", Resource("AuditLog"))


async def test_clearance_is_a_guard_for_every_action(clean_platform) -> None:
    # both work on it (need to know); only the clearance differs, so the guard decides
    secret = Resource(
        "Document",
        "DOC-9",
        org_unit="DEPT-IT",
        classification="state_secret",
        involved=frozenset({"s", "c"}),
    )
    staff = Principal("s", "user", org_units=frozenset({"DEPT-IT"}))
    cleared = Principal("c", "user", org_units=frozenset({"DEPT-IT"}), clearance="state_secret")
    assert can(cleared, "edms.document.read", secret)
    await refused_and_audited(clean_platform, staff, "edms.document.read", secret)
