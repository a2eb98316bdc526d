"""Rules of the documents part (journals, registration, cards, reads).

Clearance against classification is the engine's guard (``asan.auth.policy.clearance``), so
these rules only say who, by role and unit; ``access.visible_where`` says the same for lists.
"""

from __future__ import annotations

from asan.auth.policy import Resource, acts_for_unit, in_unit, rule
from asan.auth.principal import Principal
from asan.edms.documents.access import BROAD_READERS


@rule("edms.document.read")
def _document_read(principal: Principal, resource: Resource) -> bool:
    if principal.subject in resource.involved:
        return True
    if resource.classification is not None:  # a secret: need to know, not only clearance
        return acts_for_unit(principal, resource.org_unit)
    # the unit's own staff, its heads, and the EDMS department's registrars, archive, audit
    return in_unit(principal, resource.org_unit) or principal.has_role(*BROAD_READERS)


@rule("edms.document.register")
def _document_register(principal: Principal, resource: Resource) -> bool:
    # registration (and its card) is the registrars' work in the document circulation department
    return principal.has_role("registrar")


@rule("edms.document.update")
def _document_update(principal: Principal, resource: Resource) -> bool:
    # the card is corrected by a registrar, or by the head of the owning unit
    if principal.has_role("registrar") and (
        resource.classification is None or principal.subject in resource.involved
    ):
        return True
    return acts_for_unit(principal, resource.org_unit)


@rule("edms.journal.configure")
def _journal_configure(principal: Principal, resource: Resource) -> bool:
    return principal.has_role("registrar")


@rule("edms.document.file_without_action")
def _document_file_without_action(principal: Principal, resource: Resource) -> bool:
    # "icra tələb etmir, işə": the owning unit's head decides, or a registrar records it
    return acts_for_unit(principal, resource.org_unit) or _role_may(
        principal, resource, "registrar"
    )


@rule("edms.document.archive")
def _document_archive(principal: Principal, resource: Resource) -> bool:
    return _role_may(principal, resource, "archivist", "registrar")


def _role_may(principal: Principal, resource: Resource, *roles: str) -> bool:
    """The role acts on public documents, and on a secret one only when involved in it."""
    return principal.has_role(*roles) and (
        resource.classification is None or principal.subject in resource.involved
    )
