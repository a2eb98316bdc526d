"""Domain-owned policy: every action the code asks the policy about has a registered rule.

The rules live in each domain's ``policy.py``; a use case naming an action nobody registered
would be refused for everyone but administrators with "no rule allows", a fault only a person
in the wrong role would ever see. This test reads the source: every string literal (or module
constant) given as the action of ``authorize``/``can``/``denial_reason``/``run_mutation``, and
every action of the catalog's lifecycle table, must have a rule once the app is imported.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import asan.app  # noqa: F401  (the app imports every domain, which registers its rules)
from asan.auth import policy
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.registry.catalog import flows

ROOT = Path(__file__).resolve().parents[2] / "asan"
ACTION = re.compile(r"^[a-z_]+\.[a-z_]+(\.[a-z_]+)*$")
CHECKS = {"authorize", "_authorize", "can", "denial_reason", "run_mutation", "record_refusal"}


def _strings(value: ast.expr | None) -> set[str]:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return {value.value}
    if isinstance(value, ast.IfExp):  # action = "x.create" if create else "x.update"
        return _strings(value.body) | _strings(value.orelse)
    return set()


def _constants(tree: ast.Module) -> dict[str, set[str]]:
    """Names assigned strings anywhere in the module (module constants and local names)."""
    out: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if isinstance(target, ast.Name):
                out.setdefault(target.id, set()).update(_strings(node.value))
    return out


def actions_asked_in_code() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else None
            if isinstance(node.func, ast.Name):
                name = node.func.id
            if name not in CHECKS:
                continue
            for arg in node.args:
                values = _strings(arg)
                if isinstance(arg, ast.Name):
                    values = constants.get(arg.id, set())
                for value in values:
                    if ACTION.match(value):
                        found.setdefault(value, set()).add(str(path.relative_to(ROOT.parent)))
    return found


def test_the_scan_finds_the_actions_it_should() -> None:
    """The scan is not vacuous: it sees actions of both registry domains and of auth."""
    found = actions_asked_in_code()
    for expected in (
        "registry.service.create",
        "registry.service.bulk_import",
        "registry.state_body.create",
        "org.delegation.create",
        "audit.read",
    ):
        assert expected in found, expected


def test_every_action_asked_in_code_has_a_rule() -> None:
    found = actions_asked_in_code()
    lifecycle = set(flows.SERVICE_TRANSITIONS.values()) | set(flows.REQUEST_TRANSITIONS.values())
    missing = {a: sorted(where) for a, where in found.items() if a not in policy.RULES}
    missing |= {a: ["asan/registry/catalog/flows.py"] for a in lifecycle if a not in policy.RULES}
    assert not missing, f"actions without a rule: {missing}"


def test_registry_rules_are_registered_by_their_domains() -> None:
    """auth/policy.py keeps the engine; the catalog and org rules come from their policy.py."""
    owners = {action: fn.__module__ for action, fn in policy.RULES.items()}
    assert owners["registry.service.create"] == "asan.registry.catalog.policy"
    assert owners["registry.service.bulk_import"] == "asan.registry.catalog.policy"
    assert owners["org.delegation.create"] == "asan.registry.org.policy"
    source = (ROOT / "auth" / "policy.py").read_text(encoding="utf-8")
    assert '@rule("registry.' not in source and '@rule("org.' not in source


def test_administrator_only_actions_refuse_everyone_else_with_the_rules_reason() -> None:
    reviewer = Principal(subject="r", kind="user", roles=frozenset({"registry_reviewer"}))
    admin = Principal(subject="a", kind="user", roles=frozenset({"administrator"}))
    body = Resource("StateBody", "X", state_body="X")
    assert policy.denial_reason(reviewer, "registry.state_body.create", body) == (
        "rule for registry.state_body.create refused"
    )
    assert policy.denial_reason(admin, "registry.state_body.create", body) is None
