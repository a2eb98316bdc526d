"""The agency's org structure imported from the approved regulations, for tests about
something else: imported through the use case once per session, restored afterwards."""

from __future__ import annotations

from pathlib import Path

from asan.core.platform import Platform
from asan.registry.org import service
from tests.graph_snapshot import cached_build

SOURCE = Path(__file__).resolve().parents[2] / "data" / "asan-regulations.az.txt"


async def _import_org(p: Platform) -> None:
    await service.import_text(p, SOURCE.read_text(encoding="utf-8"))


import_org = cached_build(_import_org)
