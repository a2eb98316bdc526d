"""Helpers every catalog use case shares: the clock, the reader's visibility, the answers
for a taken or unknown code, and the audited refusal."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TypeVar

from asan.auth import pipeline, policy
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.errors import FieldError
from asan.core.platform import Platform
from asan.registry.catalog import flows
from asan.registry.catalog.models import (
    Visibility,
)

T = TypeVar("T")


def current_time(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


async def authorize(
    platform: Platform, principal: Principal, action: str, resource: Resource
) -> None:
    """A check inside a use case beyond the pipeline's own (each row of a batch, both bodies of
    a move): the policy decides, a refusal is audited with the policy's reason in its own
    retried transaction (as ``run_mutation`` audits its own refusals), then raised."""
    reason = policy.denial_reason(principal, action, resource)
    if reason is None:
        return
    await pipeline.record_refusal(platform, principal, action, resource, reason)
    raise policy.refusal(principal, action, resource)


def visibility(principal: Principal) -> Visibility:
    """What the policy lets this reader see of non-public services, as a Cypher filter."""
    any_body = policy.can(
        principal, "registry.service.read", Resource("Service", status=flows.DRAFT)
    )
    own = principal.state_body
    own_ok = own is not None and policy.can(
        principal, "registry.service.read", Resource("Service", status=flows.DRAFT, state_body=own)
    )
    return Visibility(all_statuses=any_body, own_body=own if own_ok else None)


def duplicate(field: str, code: str) -> FieldError:
    """The one answer for a taken code, whoever holds it and whether the caller may see it."""
    return FieldError(field, f"'{code}' artıq mövcuddur / '{code}' already exists", "CONFLICT")


def unknown(field: str, code: str) -> FieldError:
    return FieldError(field, f"'{code}' tapılmadı / '{code}' not found", "NOT_FOUND")
