"""The archive bucket: created with Object Lock (versioning on) or refused.

Object Lock cannot be switched on after a bucket exists, so an archive bucket found without
it would silently give up every retention guarantee; using it is refused with its name.
"""

from __future__ import annotations

from asan.core.storage import BucketWithoutObjectLock, ObjectStore

__all__ = ["BucketWithoutObjectLock", "ensure_archive_bucket"]


async def ensure_archive_bucket(store: ObjectStore, bucket: str) -> None:
    """Create ``bucket`` with Object Lock, or check an existing one has it.

    Raises BucketWithoutObjectLock naming the bucket otherwise.
    """
    await store.ensure_bucket(bucket, object_lock=True)
