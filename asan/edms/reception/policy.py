"""Who keeps the reception schedule and registers visitors.

The schedule is kept by the registrars of the document circulation department (and by a head
for the units they lead); visitors are registered by the registrars; the visit's outcome is
recorded by a registrar or by the official who received the visitor. Visitors' personal data
are read by registrars, auditors and the official receiving them.
"""

from __future__ import annotations

from asan.auth.policy import Resource, acts_for_unit, rule
from asan.auth.principal import Principal


@rule("edms.reception.schedule")
def _reception_schedule(principal: Principal, resource: Resource) -> bool:
    return principal.has_role("registrar") or acts_for_unit(principal, resource.org_unit)


@rule("edms.reception.register_visitor")
def _reception_register(principal: Principal, resource: Resource) -> bool:
    return principal.has_role("registrar")


@rule("edms.reception.record_visit")
def _reception_record(principal: Principal, resource: Resource) -> bool:
    return principal.has_role("registrar") or principal.subject in resource.involved


@rule("edms.reception.read_visitors")
def _reception_read_visitors(principal: Principal, resource: Resource) -> bool:
    return principal.has_role("registrar", "auditor") or principal.subject in resource.involved
