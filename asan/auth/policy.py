"""The one authorisation point. Every mutation and every non-public read asks here.

Rules are plain functions keyed by action name ("<domain>.<verb>"), so later domains add rules
rather than rewriting checks. A denial for data the caller may not know exists is raised as
NotFound, so refusals cannot be used to probe for hidden records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from asan.auth.principal import Principal
from asan.core.errors import Forbidden, NotFound


@dataclass(frozen=True)
class Resource:
    kind: str  # "Service", "StateBody", "OrgUnit", ...
    id: str | None = None
    state_body: str | None = None  # owning state body, where there is one
    org_unit: str | None = None  # owning org unit, where there is one
    status: str | None = None  # lifecycle status, for draft visibility
    hidden_if_denied: bool = False  # deny as not-found (drafts, restricted documents)


Rule = Callable[[Principal, Resource], bool]
RULES: dict[str, Rule] = {}


def rule(*actions: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        for action in actions:
            RULES[action] = fn
        return fn

    return register


def is_admin(principal: Principal) -> bool:
    return "administrator" in principal.roles or principal.kind == "system"


def can(principal: Principal, action: str, resource: Resource) -> bool:
    if is_admin(principal):
        return True
    check = RULES.get(action)
    return bool(check and check(principal, resource))


def authorize(principal: Principal, action: str, resource: Resource) -> None:
    """Raise Forbidden (or NotFound for hidden data) unless the principal may do ``action``."""
    if can(principal, action, resource):
        return
    if resource.hidden_if_denied:
        raise NotFound(f"{resource.kind} {resource.id or ''} tapılmadı / not found".strip())
    raise Forbidden(f"icazə yoxdur / not allowed: {action}")
