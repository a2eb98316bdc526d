"""``asan archive``: every archive part's commands (each part adds its one import line)."""

from __future__ import annotations

from asan.archive.cli_base import archive_app

__all__ = ["archive_app"]
