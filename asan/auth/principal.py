"""Who is acting: the identity every service call receives from the GraphQL layer."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# Every role the policy knows. Document roles are defined now so the document issue adds rules,
# not roles.
ROLES: frozenset[str] = frozenset(
    {
        "public_reader",
        "state_body_editor",  # edits its own state body's services only
        "registry_reviewer",
        "registrar",
        "executor",
        "head",  # derived from holding a head position (or acting for one by delegation)
        "legal_expert",
        "signatory",
        "archivist",
        "archive_expert",  # a member of the expert commission (ekspert komissiyası)
        "auditor",
        "administrator",
    }
)

# Clearance levels, lowest first; a later rule compares a document's classification to these.
CLEARANCE_LEVELS: tuple[str, ...] = ("public", "service_secret", "state_secret")


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
    # Units the principal acts for as head: their own unit and its sectors, plus (during a
    # delegation window) the absent head's. A subset of org_units.
    led_units: frozenset[str] = field(default_factory=frozenset)
    clearance: str = "public"
    name: str | None = None  # display name / username, for people reading the audit trail
    issuer: str | None = None  # token issuer (ours or the external OpenID provider)

    @property
    def is_authenticated(self) -> bool:
        return self.kind in ("user", "service", "system")

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    def from_source(self, source: str | None) -> Principal:
        return replace(self, source=source)


ANONYMOUS = Principal(subject="anonymous", kind="anonymous", roles=frozenset({"public_reader"}))
# The CLI's own identity for seed and import jobs run by an operator on the server itself.
SYSTEM = Principal(subject="system", kind="system", roles=frozenset({"administrator"}))
