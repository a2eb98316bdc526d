"""Legal holds on archived versions: permanent cases and litigation or investigation.

A legal hold blocks deletion regardless of the retain-until date, until it is lifted. Who
may place or lift one, with what reason, and the audit entry belong to the use case that
calls these (a later slice, through run_mutation); this module only talks to the store.
"""

from __future__ import annotations

from asan.core.storage import ObjectStore


async def place_hold(
    store: ObjectStore, bucket: str, key: str, version_id: str | None = None
) -> None:
    await store.set_legal_hold(bucket, key, True, version_id)


async def lift_hold(
    store: ObjectStore, bucket: str, key: str, version_id: str | None = None
) -> None:
    await store.set_legal_hold(bucket, key, False, version_id)


async def is_held(store: ObjectStore, bucket: str, key: str, version_id: str | None = None) -> bool:
    return await store.legal_hold(bucket, key, version_id)
