"""The one authorisation point. Every mutation and every non-public read asks here.

Rules are plain functions keyed by action name ("<domain>.<verb>"), so later domains add rules
rather than rewriting checks. A denial for data the caller may not know exists is raised as
NotFound, so refusals cannot be used to probe for hidden records.

Decision order: guards first (constraints that hold for every action whoever asks: a service
account's scopes, clearance against classification), then the administrator bypass, then the
action's rule. New cross-cutting constraints are new guards; new actions are new rules.
Nothing here queries the graph: the Principal already carries the graph-derived scope (roles,
units led directly or by delegation), resolved once per request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from asan.auth.principal import CLEARANCE_LEVELS, Principal
from asan.core.errors import Forbidden, NotFound


@dataclass(frozen=True)
class Resource:
    kind: str  # "Service", "StateBody", "OrgUnit", ...
    id: str | None = None
    state_body: str | None = None  # owning state body, where there is one
    org_unit: str | None = None  # owning org unit, where there is one
    status: str | None = None  # lifecycle status, for draft visibility
    hidden_if_denied: bool = False  # deny as not-found (drafts, restricted documents)
    classification: str | None = None  # "service_secret" | "state_secret" (documents)
    involved: frozenset[str] = field(default_factory=frozenset)  # subjects working on it


Rule = Callable[[Principal, Resource], bool]
RULES: dict[str, Rule] = {}

# A guard returns the reason for refusing, or None; every guard must pass for every action.
Guard = Callable[[Principal, str, Resource], str | None]
GUARDS: list[Guard] = []


def rule(*actions: str) -> Callable[[Rule], Rule]:
    """Register the one rule of each action; a second rule for an action is a bug, not a merge."""

    def register(fn: Rule) -> Rule:
        for action in actions:
            if action in RULES and RULES[action] is not fn:
                raise RuntimeError(f"action {action} already has rule {RULES[action].__name__}")
            RULES[action] = fn
        return fn

    return register


def guard(fn: Guard) -> Guard:
    GUARDS.append(fn)
    return fn


def is_admin(principal: Principal) -> bool:
    return "administrator" in principal.roles or principal.kind == "system"


def denial_reason(principal: Principal, action: str, resource: Resource) -> str | None:
    """Why ``action`` is refused (for the audit trail), or None when it is allowed."""
    for check in GUARDS:
        reason = check(principal, action, resource)
        if reason is not None:
            return reason
    if is_admin(principal):
        return None
    decide = RULES.get(action)
    if decide is None:
        return f"no rule allows {action}"
    if not decide(principal, resource):
        return f"rule for {action} refused"
    return None


def can(principal: Principal, action: str, resource: Resource) -> bool:
    return denial_reason(principal, action, resource) is None


def authorize(principal: Principal, action: str, resource: Resource) -> None:
    """Raise Forbidden (or NotFound for hidden data) unless the principal may do ``action``."""
    if can(principal, action, resource):
        return
    raise refusal(principal, action, resource)


def refusal(principal: Principal, action: str, resource: Resource) -> Forbidden | NotFound:
    """The error a refused caller sees: not-found for data they may not know exists."""
    if resource.hidden_if_denied:
        return NotFound(f"{resource.kind} {resource.id or ''} tapılmadı / not found".strip())
    if not principal.is_authenticated:
        return Forbidden(f"daxil olun / sign in required: {action}")
    return Forbidden(f"icazə yoxdur / not allowed: {action}")


# --- helpers rules share -------------------------------------------------------------------


def scope_covers(scope: str, action: str) -> bool:
    """A scope grants an action or a whole subtree: "registry.service" covers its verbs."""
    return action == scope or action.startswith(scope + ".")


def acts_for_unit(principal: Principal, unit: str | None) -> bool:
    """Heads act for their unit and its sectors; a deputy does during a delegation window."""
    return unit is not None and unit in principal.led_units


def in_unit(principal: Principal, unit: str | None) -> bool:
    return unit is not None and unit in principal.org_units


def same_body(principal: Principal, resource: Resource) -> bool:
    return principal.state_body is not None and principal.state_body == resource.state_body


def is_body_editor(principal: Principal, resource: Resource) -> bool:
    return principal.has_role("state_body_editor") and same_body(principal, resource)


def is_reviewer(principal: Principal) -> bool:
    return principal.has_role("registry_reviewer", "registrar")


# --- guards ------------------------------------------------------------------------------


@guard
def service_account_scopes(principal: Principal, action: str, resource: Resource) -> str | None:
    """A system of a state body may do only what its granted scopes name, whatever its roles."""
    if principal.kind != "service":
        return None
    if any(scope_covers(scope, action) for scope in principal.scopes):
        return None
    return f"scope does not cover {action}"


@guard
def clearance(principal: Principal, action: str, resource: Resource) -> str | None:
    if resource.classification is None or principal.kind == "system":
        return None
    needed = (
        CLEARANCE_LEVELS.index(resource.classification)
        if resource.classification in CLEARANCE_LEVELS
        else len(CLEARANCE_LEVELS)  # unknown classification: nobody but the system
    )
    have = (
        CLEARANCE_LEVELS.index(principal.clearance)
        if principal.clearance in CLEARANCE_LEVELS
        else 0
    )
    return None if have >= needed else "clearance below classification"


@guard
def review_before_registration(principal: Principal, action: str, resource: Resource) -> str | None:
    """Nobody (administrators included) registers a service that was not submitted for review."""
    if action != "registry.service.register" or resource.kind != "Service":
        return None
    # a draft has not been submitted: registering it would skip the review (a published
    # service may be registered again: that applies a reviewed change request)
    if resource.status != "draft":
        return None
    return f"service in status {resource.status} has not been submitted for review"


# --- auth and audit ------------------------------------------------------------------------


@rule("audit.read")
def _audit_read(principal: Principal, resource: Resource) -> bool:
    return principal.has_role("auditor")


@rule("auth.user.create", "auth.user.update", "auth.position.grant", "auth.service_account.create")
def _accounts_administrators_only(principal: Principal, resource: Resource) -> bool:
    # accounts, their roles and positions are managed by administrators (who pass before rules)
    return False


@rule("auth.me")
def _me(principal: Principal, resource: Resource) -> bool:
    return principal.is_authenticated


# Each domain registers its own rules in its ``policy.py`` (``asan.registry.catalog.policy``,
# ``asan.registry.org.policy``, later ``asan.edms.policy``), imported by the domain's package.
