"""The schema linter and the breaking-change check, on the schema the code exports now.

``make lint`` runs ``tools/schema/check.sh`` on the committed ``schema.graphql``; this runs
the same script on a fresh export, so a missing description or an unlisted breaking change
fails ``make test`` even before anyone re-exports the file. The tools themselves are also
shown to catch what they are there to catch (a description removed, a field removed).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from asan.graphql.schema import schema_sdl

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "tools" / "schema" / "check.sh"
TOOLS = ROOT / "tools" / "schema"


def _run(*args: str, only: str = "") -> subprocess.CompletedProcess[str]:
    assert shutil.which("node") and shutil.which("npm"), (
        "Node.js 18+ and npm are needed for the schema tools (tools/schema/package.json)"
    )
    env = {**os.environ, "SCHEMA_CHECK_ONLY": only}
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("schema") / "schema.graphql"
    path.write_text(schema_sdl(), encoding="utf-8")
    return path


def test_the_exported_schema_lints_clean_and_breaks_nothing_unlisted(exported: Path) -> None:
    result = _run(str(CHECK), str(exported))
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_the_linter_refuses_a_field_without_description(exported: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.graphql"
    bad.write_text(
        exported.read_text(encoding="utf-8")
        + '\n"""A probe type."""\ntype LintProbe {\n  undescribed: String\n}\n',
        encoding="utf-8",
    )
    _run(str(CHECK), str(exported))  # installs the tools when missing
    result = _run(
        str(TOOLS / "node_modules" / ".bin" / "graphql-schema-linter"),
        "--config-directory",
        str(TOOLS),
        str(bad),
    )
    assert result.returncode != 0
    assert "LintProbe.undescribed" in result.stdout


def test_the_diff_refuses_a_removed_field_unless_listed(exported: Path, tmp_path: Path) -> None:
    sdl = exported.read_text(encoding="utf-8")
    field = '  """Version of the ASAN GraphQL API."""\n  apiVersion: String!\n'
    assert field in sdl
    bad = tmp_path / "removed.graphql"
    bad.write_text(sdl.replace(field, ""), encoding="utf-8")
    diff = (
        str(TOOLS / "node_modules" / ".bin" / "graphql-inspector"),
        "diff",
        str(exported),
        str(bad),
        "--rule",
        str(TOOLS / "accepted-breaking.js"),
    )
    result = _run(*diff)
    assert result.returncode != 0
    assert "apiVersion" in result.stdout
    listed = json.loads((ROOT / "docs" / "schema" / "accepted-breaking.json").read_text())
    assert not any(e["path"] == "Query.apiVersion" for e in listed["accepted"])


def test_a_type_change_is_caught_even_when_a_description_is_added(tmp_path: Path) -> None:
    """graphql-inspector's default simplification hides it; check.sh must not.

    The baseline is the released schema with BusStop.code's description taken out; the new
    schema adds a description and changes the type in the same field.
    """
    released = (ROOT / "docs" / "schema" / "released.graphql").read_text(encoding="utf-8")
    field = 'type BusStop {\n  """Stable code of the stop."""\n  code: String!\n'
    assert released.count(field) == 1
    baseline = tmp_path / "baseline.graphql"
    baseline.write_text(
        released.replace(field, "type BusStop {\n  code: String!\n"), encoding="utf-8"
    )
    changed = tmp_path / "changed.graphql"
    changed.write_text(
        released.replace(field, 'type BusStop {\n  """Now a number."""\n  code: Int!\n'),
        encoding="utf-8",
    )
    result = _run(str(CHECK), str(changed), str(baseline), only="diff")
    assert result.returncode != 0
    assert "BusStop.code changed type" in result.stdout
