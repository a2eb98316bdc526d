"""The registry's authorisation rules (pure: the policy never queries the graph)."""

from __future__ import annotations

import pytest

from asan.auth.policy import Resource, authorize, can
from asan.auth.principal import ANONYMOUS
from asan.core.errors import Forbidden, NotFound
from tests.registry.catalog_support import ADMIN, EDITOR_ASAN, EDITOR_DIN, REVIEWER


def service(status: str | None, body: str = "DIN", hidden: bool = False) -> Resource:
    return Resource("Service", "DIN-001", state_body=body, status=status, hidden_if_denied=hidden)


@pytest.mark.parametrize(
    ("principal", "action", "status", "allowed"),
    [
        (EDITOR_DIN, "registry.service.create", None, True),
        (EDITOR_ASAN, "registry.service.create", None, False),
        (EDITOR_DIN, "registry.service.update", "draft", True),
        (EDITOR_DIN, "registry.service.update", "published", False),  # changes go via review
        (REVIEWER, "registry.service.update", "published", True),
        (EDITOR_DIN, "registry.service.submit", "draft", True),
        (EDITOR_DIN, "registry.service.submit", "published", True),  # a change request
        (EDITOR_ASAN, "registry.service.submit", "draft", False),
        (EDITOR_DIN, "registry.service.register", "under_review", False),
        (REVIEWER, "registry.service.register", "under_review", True),
        (REVIEWER, "registry.service.return", "under_review", True),
        (REVIEWER, "registry.service.suspend", "published", True),
        (EDITOR_DIN, "registry.service.withdraw", "suspended", False),
        (ADMIN, "registry.service.withdraw", "suspended", True),
        (ANONYMOUS, "registry.service.create", None, False),
    ],
)
def test_service_rules(principal, action, status, allowed) -> None:
    assert can(principal, action, service(status)) is allowed


def test_drafts_are_hidden_as_not_found() -> None:
    for status in ("published", "suspended"):
        authorize(ANONYMOUS, "registry.service.read", service(status, hidden=True))
    for status in ("draft", "under_review", "withdrawn"):
        with pytest.raises(NotFound):
            authorize(ANONYMOUS, "registry.service.read", service(status, hidden=True))
        with pytest.raises(NotFound):
            authorize(EDITOR_ASAN, "registry.service.read", service(status, hidden=True))
        authorize(EDITOR_DIN, "registry.service.read", service(status, hidden=True))
        authorize(REVIEWER, "registry.service.read", service(status, hidden=True))


def test_reference_data_rules() -> None:
    body = Resource("StateBody", "TAX", state_body="TAX")
    with pytest.raises(Forbidden):
        authorize(REVIEWER, "registry.state_body.create", body)
    authorize(ADMIN, "registry.state_body.create", body)
    system = Resource("InformationSystem", "IAMAS", state_body="DIN")
    assert can(EDITOR_DIN, "registry.information_system.write", system)
    assert not can(EDITOR_ASAN, "registry.information_system.write", system)
    assert can(REVIEWER, "registry.category.write", Resource("Category", "X"))
    assert not can(REVIEWER, "registry.centre.write", Resource("AsanCentre", "X"))
