"""Seed data loaded by ``make run``: reference data every install needs, plus sample data.

Each loader is idempotent and returns one line saying what it did. Reference loaders run
always; sample loaders only with ``sample=True`` (never in production).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from asan.core.platform import Platform

Loader = Callable[[Platform], Awaitable[str]]

REFERENCE_LOADERS: list[Loader] = []
SAMPLE_LOADERS: list[Loader] = []


async def load_seed(platform: Platform, *, sample: bool = True) -> list[str]:
    lines = [await loader(platform) for loader in REFERENCE_LOADERS]
    if sample and not platform.settings.is_production:
        lines += [await loader(platform) for loader in SAMPLE_LOADERS]
    return lines
