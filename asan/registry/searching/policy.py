"""Who may find a registry service in the search, said as access tokens.

The catalog's read rule (``registry.service.read`` in ``asan/registry/catalog/policy.py``)
makes published and suspended services public and shows the other statuses only to the
providing body and the registry's reviewers. The tokens below say exactly that: a hidden
service carries one token for its providing body and one for "any body"; a principal holds
each token only when the policy, asked with the same probes as the catalog's own lists
(``catalog.common.visibility``), lets it read such a service. So the index trims exactly as
the registry's lists filter, and a rule change in the policy changes the tokens with it.
"""

from __future__ import annotations

from asan.auth.principal import Principal
from asan.registry.catalog import flows
from asan.registry.catalog.common import visibility
from asan.registry.catalog.policy import CATALOG_PUBLIC_STATUSES
from asan.search.engine import PUBLIC

# Tokens start with the kind, so they never collide with another kind's.
ANY_BODY = "service:reviewer"


def body_token(provider: str) -> str:
    return f"service:body:{provider}"


def service_acl(status: str | None, provider: str | None) -> frozenset[str]:
    """Who may read a service in ``status`` provided by ``provider``."""
    if (status or flows.DRAFT) in CATALOG_PUBLIC_STATUSES:
        return frozenset({PUBLIC})
    acl = {ANY_BODY}
    if provider:
        acl.add(body_token(provider))
    return frozenset(acl)


def service_tokens(principal: Principal) -> frozenset[str]:
    """The tokens ``principal`` holds for services that are not public."""
    vis = visibility(principal)
    tokens: set[str] = set()
    if vis.all_statuses:
        tokens.add(ANY_BODY)
    if vis.own_body is not None:
        tokens.add(body_token(vis.own_body))
    return frozenset(tokens)
