"""The shape later domains copy: dependencies point one way and modules stay small.

Checked on the source, so a new module that reaches past its layer, or a file that grows past
what one person can hold in mind, fails here rather than in a review.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ASAN = Path(__file__).resolve().parents[2] / "asan"
MAX_LINES = 500


def modules(under: Path) -> list[Path]:
    return sorted(p for p in under.rglob("*.py") if ".venv" not in p.parts)


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_module_is_over_the_size_limit() -> None:
    long = {
        str(p.relative_to(ASAN)): n
        for p in modules(ASAN)
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"split these by entity (over {MAX_LINES} lines): {long}"


@pytest.mark.parametrize("path", modules(ASAN / "graphql"), ids=lambda p: p.name)
def test_graphql_reaches_domains_only_through_use_cases_and_queries(path: Path) -> None:
    """No resolver runs Cypher or reads the audit trail without the policy in between."""
    bad = {
        name
        for name in imported(path)
        if name.startswith("asan.")
        and (
            name.split(".")[-1] in ("repository", "repo_common", "reference_repo", "auditlog")
            or ".repository" in name
        )
    }
    assert bad == set(), f"{path.name} imports {sorted(bad)}"


@pytest.mark.parametrize("path", modules(ASAN / "core"), ids=lambda p: p.name)
def test_core_imports_no_domain(path: Path) -> None:
    domains = ("asan.registry", "asan.auth", "asan.edms", "asan.archive", "asan.graphql")
    bad = {name for name in imported(path) if name.startswith(domains)}
    assert bad == set(), f"{path.name} imports {sorted(bad)}"


def test_only_the_search_package_imports_whoosh() -> None:
    """The engine stays replaceable (issue 12, point 8): everyone else speaks
    ``asan.search.engine``."""
    search = ASAN / "search"
    bad = sorted(
        str(p.relative_to(ASAN))
        for p in modules(ASAN)
        if search not in p.parents
        and any(name == "whoosh" or name.startswith("whoosh.") for name in imported(p))
    )
    assert bad == []
