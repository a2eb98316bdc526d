"""Who is acting: the identity every service call receives from the GraphQL layer."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Principal:
    subject: str  # user id, service-account client id, "anonymous" or "system"
    kind: str  # "user" | "service" | "anonymous" | "system"
    roles: frozenset[str] = field(default_factory=frozenset)
    state_body: str | None = None  # code of the state body a body's staff/system belongs to
    org_units: frozenset[str] = field(default_factory=frozenset)  # units whose head/staff they are
    scopes: frozenset[str] = field(default_factory=frozenset)  # service accounts only
    acting_for: str | None = None  # subject of the head a deputy acts for (delegation)
    source: str | None = None  # client address, for the audit trail

    @property
    def is_authenticated(self) -> bool:
        return self.kind in ("user", "service", "system")


ANONYMOUS = Principal(subject="anonymous", kind="anonymous", roles=frozenset({"public_reader"}))
# The CLI's own identity for seed and import jobs run by an operator on the server itself.
SYSTEM = Principal(subject="system", kind="system", roles=frozenset({"administrator"}))
