"""Who may read which change events and manage which webhooks, registered on import.

The feed shows each caller what the registry's own read policy shows them; these rules add
what only the feed has: internal kinds (accounts, delegations, webhooks) and webhook
management by a state body's own staff or systems.
"""

from __future__ import annotations

from asan.auth.policy import Resource, rule, same_body
from asan.auth.principal import Principal

FEED_INTERNAL = "integration.feed.internal"
WEBHOOK_MANAGE = "integration.webhook.manage"
WEBHOOK_READ = "integration.webhook.read"
# documents the agency dispatched to a state body's system (asan/edms/dispatch): the feed's
# DOCUMENT_DELIVERY events and the delivered file, for the addressee body only
DELIVERY_READ = "edms.delivery.read"


@rule(FEED_INTERNAL)
def _feed_internal(principal: Principal, resource: Resource) -> bool:
    # accounts, roles, delegations and webhooks: administrators (who pass before rules) and
    # auditors, who read the audit trail anyway
    return principal.has_role("auditor")


@rule(WEBHOOK_MANAGE, WEBHOOK_READ)
def _webhook_manage(principal: Principal, resource: Resource) -> bool:
    # a state body's editors, or its own system (a service account of that body, whose scopes
    # must cover the action: the scope guard checks that), for the body's webhooks only
    if not same_body(principal, resource):
        return False
    return principal.kind == "service" or principal.has_role("state_body_editor")


@rule(DELIVERY_READ)
def _delivery_read(principal: Principal, resource: Resource) -> bool:
    # the addressee body's system (scopes covering edms.delivery) or its editors
    if not same_body(principal, resource):
        return False
    return principal.kind == "service" or principal.has_role("state_body_editor")
