"""Setting and removing MinIO legal holds on a case's archived versions, many at once.

Legal holds are idempotent in MinIO (setting one twice changes nothing), which makes every
caller here safe to retry or to run again after a crash. A version that is gone (deleted
behind the system's back, or by an act between the graph read and this call) is counted,
not fatal: the fixity audit reports it, and the hold still protects every other version.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any, Final

from minio.error import S3Error

from asan.archive.storage.holds import lift_hold, place_hold
from asan.core.storage import ObjectStore

GONE: Final = ("NoSuchKey", "NoSuchVersion", "NoSuchObject")


async def set_holds(
    store: ObjectStore, records: Sequence[Mapping[str, Any]], on: bool, *, concurrency: int = 16
) -> int:
    """Hold (or release) each record's pinned version; how many versions were missing."""
    gate = asyncio.Semaphore(max(1, concurrency))
    missing = 0

    async def one(record: Mapping[str, Any]) -> None:
        nonlocal missing
        change = place_hold if on else lift_hold
        async with gate:
            try:
                await change(store, record["bucket"], record["key"], record["versionId"])
            except S3Error as exc:
                if exc.code not in GONE:
                    raise
                missing += 1

    await asyncio.gather(*(one(r) for r in records))
    return missing
