"""The services catalog's authorisation rules, registered with the policy engine on import.

The catalog owns who may do what to its entities; ``asan.auth.policy`` keeps the engine, the
guards that hold for every action, and the helpers rules share. This module is imported by the
catalog package (``asan/registry/catalog/__init__.py``), so its rules exist before any catalog
use case or read can ask.
"""

from __future__ import annotations

from asan.auth.policy import Resource, is_body_editor, is_reviewer, rule, same_body
from asan.auth.principal import Principal

# Content of a draft is its body's to edit; once submitted or published, content changes go
# through the agency (a body submits a change request, a reviewer applies it). Reviews and the
# published lifecycle (suspend/resume/withdraw) belong to the registry's reviewers.

CATALOG_PUBLIC_STATUSES = frozenset({"published", "suspended"})


@rule("registry.service.read")
def _catalog_service_read(principal: Principal, resource: Resource) -> bool:
    if resource.status is None or resource.status in CATALOG_PUBLIC_STATUSES:
        return True
    return same_body(principal, resource) or is_reviewer(principal)


@rule("registry.service.create", "registry.service.update")
def _catalog_service_edit(principal: Principal, resource: Resource) -> bool:
    if resource.status in (None, "draft"):
        return is_body_editor(principal, resource)
    return is_reviewer(principal)


@rule("registry.service.submit", "registry.request.read")
def _catalog_service_submit(principal: Principal, resource: Resource) -> bool:
    return is_body_editor(principal, resource) or (
        resource.kind == "RegistrationRequest" and is_reviewer(principal)
    )


@rule(
    "registry.service.register",
    "registry.service.return",
    "registry.service.suspend",
    "registry.service.resume",
    "registry.service.withdraw",
    "registry.category.write",
    "registry.reference.responsible",
)
def _catalog_review(principal: Principal, resource: Resource) -> bool:
    return is_reviewer(principal)


@rule("registry.request.review")
def _catalog_request_review(principal: Principal, resource: Resource) -> bool:
    # a body named responsible for a service's legal basis decides its own review of the
    # body's change request (the resource carries the reviewing body, none for a non-reviewer)
    return is_body_editor(principal, resource)


@rule("registry.request.sweep")
def _catalog_request_sweep(principal: Principal, resource: Resource) -> bool:
    # marking overdue reviews is the system's periodic job (administrators pass before rules)
    return False


@rule("registry.information_system.write", "registry.information_system.link")
def _catalog_system_write(principal: Principal, resource: Resource) -> bool:
    # the body operating the (consuming) system declares it and its data links
    return is_body_editor(principal, resource)


@rule("registry.reference.update")
def _catalog_reference_update(principal: Principal, resource: Resource) -> bool:
    # a shared document/output/legal act: its owner body (the one that proposed it) or the
    # registry's reviewers; an entry without an owner (categories, the registry's) reviewers only
    return is_reviewer(principal) or (
        resource.state_body is not None and is_body_editor(principal, resource)
    )


# Bulk import/export.
# A body's editors move their own body's services in and out as files; the registry's reviewers
# may do so for any body. Each imported row is still checked against the single-service rules
# (registry.service.create / .update), so a file cannot do what one mutation could not.


@rule("registry.service.bulk_import", "registry.service.bulk_export")
def _bulk_services(principal: Principal, resource: Resource) -> bool:
    return is_body_editor(principal, resource) or is_reviewer(principal)


@rule("registry.service.import")
def _batch_services(principal: Principal, resource: Resource) -> bool:
    # a batch of services (the sample registry, an agency import): the editors of a body and
    # the reviewers may send one; each row is then checked as its own create or update
    return principal.has_role("state_body_editor", "registry_reviewer", "registrar")


@rule("registry.reference.import")
def _reference_batch(principal: Principal, resource: Resource) -> bool:
    # a batch of bodies, systems, links, categories, centres and buses: its rows include
    # administrator-only reference data, so only administrators (who pass before rules)
    return False


@rule(
    "registry.state_body.create",
    "registry.state_body.update",
    "registry.centre.write",
    "registry.bus.write",
)
def _catalog_administrators_only(principal: Principal, resource: Resource) -> bool:
    # state bodies, ASAN centres and mobile buses are the registry's own reference data: only
    # administrators (who pass before rules) change them
    return False
