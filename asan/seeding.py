"""Seed data loaded by ``make run``: reference data every install needs, plus sample data."""

from __future__ import annotations

from asan.core.platform import Platform


async def load_seed(platform: Platform, *, sample: bool = True) -> list[str]:
    """Each loader is idempotent; returns one line per loader saying what it did."""
    lines: list[str] = []
    return lines
