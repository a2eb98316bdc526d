"""``asan archive``: every archive part's commands (each part adds its one import line)."""

from __future__ import annotations

from asan.archive.cli_base import archive_app
from asan.archive.disposition import cli as _disposition_cli  # noqa: F401 - `dispose`
from asan.archive.export import cli as _export_cli  # noqa: F401 - `export`, `import`
from asan.archive.fixity import cli as fixity_cli  # noqa: F401 - registers `audit`
from asan.archive.transfer import cli as _transfer_cli  # noqa: F401

__all__ = ["archive_app"]
