"""Locked dependencies: the lock covers pyproject.toml with exact pins and hashes, the venv
the tests run in is the locked one, and nothing is declared that the code does not use."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)")

# Declared packages whose import name differs, or that are used without an import.
IMPORT_NAMES = {
    "strawberry-graphql": "strawberry",
    "python-jose": "jose",
    "whoosh-reloaded": "whoosh",
    "pydantic-settings": "pydantic_settings",
    "argon2-cffi": "argon2",
    "pyyaml": "yaml",
    "fpdf2": "fpdf",
    "pillow": "PIL",
}
USED_WITHOUT_IMPORT = {
    "neo4j-rust-ext": "the neo4j driver's Rust codec, picked up by the driver itself",
    "types-pyyaml": "stubs for mypy",
    "ruff": "make lint",
    "mypy": "make lint",
    "pytest-asyncio": "pytest plugin",
    "schemathesis": "make fuzz (run as a tool)",
    "python-multipart": "starlette's form parser: GraphQL multipart uploads (document files)",
    "awscli": "tests/archive: aws s3api, an S3 client that is not the project's",
}


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=~!; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _declared() -> tuple[list[str], list[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return (
        [_name(r) for r in project["dependencies"]],
        [_name(r) for r in project["optional-dependencies"]["dev"]],
    )


def _pins(lock: str) -> dict[str, str]:
    pins: dict[str, str] = {}
    text = (ROOT / lock).read_text()
    for block in re.split(r"\n(?=\S)", text):
        match = PIN.match(block)
        if match:
            assert "--hash=sha256:" in block, f"{match.group(1)} in {lock} has no hash"
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def test_locks_pin_every_declared_dependency_with_hashes() -> None:
    runtime, dev = _declared()
    dev_pins, runtime_pins = _pins("requirements-dev.lock"), _pins("requirements.lock")
    assert set(runtime) <= set(runtime_pins)
    assert set(runtime) | set(dev) <= set(dev_pins)
    # The runtime lock is the dev lock's subset, at the same versions.
    assert {k: dev_pins.get(k) for k in runtime_pins} == runtime_pins
    assert not {"pytest", "ruff", "mypy", "schemathesis"} & set(runtime_pins)  # dev tools only


def _not_for_this_platform(lock: str) -> set[str]:
    """Pins whose environment marker (``; sys_platform == 'win32'``) excludes this machine."""
    skipped = set()
    for line in (ROOT / lock).read_text().splitlines():
        match = PIN.match(line)
        if match and " ; " in line:
            marker = line.split(" ; ", 1)[1].rstrip(" \\")
            if not Marker(marker).evaluate():
                skipped.add(match.group(1).lower().replace("_", "-"))
    return skipped


def test_the_venv_has_the_locked_versions() -> None:
    wrong = {}
    for name, version in _pins("requirements-dev.lock").items():
        if name in _not_for_this_platform("requirements-dev.lock"):  # e.g. Windows only
            continue
        installed = metadata.version(name)
        if installed != version:
            wrong[name] = (installed, version)
    assert wrong == {}, "run `make install` (the venv is older than the lock)"


def test_every_declared_dependency_is_used() -> None:
    runtime, dev = _declared()
    sources = "\n".join(
        path.read_text()
        for folder in ("asan", "tests", "bench", "fuzz")
        for path in (ROOT / folder).rglob("*.py")
    )
    unused = []
    for name in runtime + dev:
        if name in USED_WITHOUT_IMPORT:
            continue
        module = IMPORT_NAMES.get(name, name.replace("-", "_"))
        if not re.search(rf"^\s*(import|from) {re.escape(module)}\b", sources, re.MULTILINE):
            unused.append(name)
    assert unused == []
