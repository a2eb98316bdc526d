"""Rules of dispatch and inter-agency delivery, registered on import.

The agency's side (mailing list, dispatch, outcomes) follows the document: its unit's staff,
whoever works on it, and the registrars of the document circulation department, who run the
dispatch register. The other side is a state body: its system (a service account of the body
whose scopes cover ``edms.delivery``) or its editors acknowledge what was delivered to that
body and send documents in. Which deliveries a body may read at all (the feed, the file) is
``edms.delivery.read`` in ``asan/integration/policy.py``: the webhook worker judges events by
it in a process that imports nothing of the EDMS.
"""

from __future__ import annotations

from typing import Final

from asan.auth.policy import Resource, acts_for_unit, in_unit, rule, same_body
from asan.auth.principal import Principal

PLAN: Final = "edms.dispatch.plan"
SEND: Final = "edms.dispatch.send"
RECORD: Final = "edms.dispatch.record"
ACKNOWLEDGE: Final = "edms.delivery.acknowledge"
RECEIVE: Final = "edms.delivery.send"


def _works_on(principal: Principal, resource: Resource) -> bool:
    if principal.subject in resource.involved:
        return True
    if resource.classification is not None:  # a secret: those working on it, its unit's head
        return acts_for_unit(principal, resource.org_unit)
    return in_unit(principal, resource.org_unit) or principal.has_role("registrar")


@rule(PLAN)
def _plan(principal: Principal, resource: Resource) -> bool:
    # the executing unit writes the mailing list; the registrar corrects it at dispatch
    return _works_on(principal, resource)


@rule(SEND, RECORD)
def _send(principal: Principal, resource: Resource) -> bool:
    # sending and the register's outcomes (returned post, hand delivery) are the records
    # office's job; the executing unit may send what it prepared itself
    return _works_on(principal, resource)


@rule(ACKNOWLEDGE)
def _acknowledge(principal: Principal, resource: Resource) -> bool:
    # only the addressee: its system or its editors
    return same_body(principal, resource) and (
        principal.kind == "service" or principal.has_role("state_body_editor")
    )


@rule(RECEIVE)
def _receive(principal: Principal, resource: Resource) -> bool:
    # a state body's system (or editor) sends documents in on behalf of its own body
    return (
        principal.state_body is not None
        and same_body(principal, resource)
        and (principal.kind == "service" or principal.has_role("state_body_editor"))
    )
