"""Who may read the reports: the registrars and auditors (every unit), heads (their units)."""

from __future__ import annotations

from asan.auth.policy import Resource, rule
from asan.auth.principal import Principal


@rule("edms.report.read")
def _report_read(principal: Principal, resource: Resource) -> bool:
    # the document circulation department keeps the record; auditors check it; a head sees
    # the discipline of the units they lead (reads.py narrows the rows to them)
    return principal.has_role("registrar", "auditor") or bool(principal.led_units)
