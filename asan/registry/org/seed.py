"""The org structure as reference seed data: the regulations text imported at every seed."""

from __future__ import annotations

from asan.core.platform import Platform
from asan.registry.org.service import import_file


async def import_regulations(platform: Platform) -> str:
    """Idempotent: a second run reports "unchanged" and writes nothing to the org graph."""
    report = await import_file(platform)
    return report.line()
