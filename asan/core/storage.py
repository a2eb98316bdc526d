"""The object-store adapter (MinIO or any S3 server with Object Lock), async at the edges.

The MinIO SDK is synchronous; calls run in a worker thread so the ASGI loop never blocks on
network I/O. Only S3 API calls are made here, never MinIO admin calls.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

import anyio
import urllib3
from minio import Minio
from minio.commonconfig import COMPLIANCE
from minio.deleteobjects import DeleteObject
from minio.error import S3Error, ServerError
from minio.retention import Retention

from asan.core.errors import ServiceUnavailable
from asan.core.settings import Settings

T = TypeVar("T")
# Network failures and 5xx answers: the store is down or overloaded, not the request wrong.
OUTAGE_ERRORS = (urllib3.exceptions.HTTPError, OSError, ServerError)


class StorageUnavailable(RuntimeError):
    """The object store cannot be reached or refuses us; the message names the address."""


class BucketWithoutObjectLock(RuntimeError):
    """A bucket that must keep records under retention exists without Object Lock.

    Object Lock can only be enabled when a bucket is created, so such a bucket is refused
    rather than used: records in it could be deleted or overwritten by anyone.
    """

    def __init__(self, bucket: str) -> None:
        super().__init__(
            f"bucket {bucket!r} exists without Object Lock; archived records need a bucket "
            "created with Object Lock (create a new one or remove this one)"
        )
        self.bucket = bucket


@dataclass(frozen=True)
class StoredObject:
    bucket: str
    key: str
    etag: str
    version_id: str | None
    size: int


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    last_modified: datetime | None
    metadata: Mapping[str, str]
    version_id: str | None = None


def _http_client(connect: float, read: float, retries: int) -> urllib3.PoolManager:
    """The SDK's default waits 5 minutes and retries 5 times with backoff (6 s on a refused
    connection): bounded here so an outage is reported in seconds."""
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=connect, read=read),
        maxsize=10,
        retries=urllib3.Retry(
            total=retries, backoff_factor=0.1, status_forcelist=[500, 502, 503, 504]
        )
        if retries
        else False,
    )


class ObjectStore:
    def __init__(self, client: Minio, endpoint: str, probe: Minio | None = None) -> None:
        self.client = client
        self.endpoint = endpoint
        # Readiness probes use their own client: short timeouts, no retries.
        self.probe = probe or client

    @classmethod
    def connect(cls, settings: Settings) -> ObjectStore:
        def client(http: urllib3.PoolManager) -> Minio:
            return Minio(
                settings.minio_endpoint,
                access_key=settings.minio_access_key,
                secret_key=settings.minio_secret_key.get_secret_value(),
                secure=settings.minio_secure,
                http_client=http,
            )

        probe_timeout = max(2.0, settings.readiness_timeout_seconds)
        return cls(
            client(
                _http_client(
                    settings.minio_connect_timeout_seconds,
                    settings.minio_read_timeout_seconds,
                    settings.minio_retries,
                )
            ),
            settings.minio_endpoint,
            client(_http_client(probe_timeout, probe_timeout, 0)),
        )

    async def _run(self, work: Callable[[], T]) -> T:
        """Run an SDK call in a worker thread; outages leave as SERVICE_UNAVAILABLE (minio)."""
        try:
            return await anyio.to_thread.run_sync(work)
        except OUTAGE_ERRORS as exc:
            raise ServiceUnavailable("minio") from exc

    async def ping(self) -> None:
        try:
            # abandoned on cancel: a readiness timeout must not wait for the SDK's own
            await anyio.to_thread.run_sync(self.probe.list_buckets, abandon_on_cancel=True)
        except S3Error as exc:
            raise StorageUnavailable(
                f"minio at {self.endpoint} refused the request: {exc.code}"
            ) from exc
        except Exception as exc:
            raise StorageUnavailable(f"minio at {self.endpoint} is unreachable: {exc}") from exc

    async def ensure_bucket(self, bucket: str, *, object_lock: bool = False) -> None:
        """Create the bucket if absent; with ``object_lock`` an existing bucket without it
        raises BucketWithoutObjectLock (the lock cannot be added later)."""

        def _ensure() -> None:
            if not self.client.bucket_exists(bucket):
                self.client.make_bucket(bucket, object_lock=object_lock)
            elif object_lock and not self._object_lock_enabled(bucket):
                raise BucketWithoutObjectLock(bucket)

        await self._run(_ensure)

    def _object_lock_enabled(self, bucket: str) -> bool:
        try:
            self.client.get_object_lock_config(bucket)
        except S3Error as exc:
            if exc.code == "ObjectLockConfigurationNotFoundError":
                return False
            raise
        return True

    async def object_lock_enabled(self, bucket: str) -> bool:
        return await self._run(lambda: self._object_lock_enabled(bucket))

    async def put_locked(
        self,
        bucket: str,
        key: str,
        data: bytes,
        *,
        retain_until: datetime | None,
        legal_hold: bool = False,
        content_type: str = "application/octet-stream",
        metadata: Mapping[str, str] | None = None,
    ) -> StoredObject:
        """Put a new version in COMPLIANCE mode: no one, root included, can delete it or
        shorten its retention before ``retain_until``. None: a record whose retention has
        already run out (a case closed long ago) gets no date, only the hold if any."""

        def _put() -> StoredObject:
            result = self.client.put_object(
                bucket,
                key,
                io.BytesIO(data),
                length=len(data),
                content_type=content_type,
                metadata=dict(metadata or {}),
                retention=(
                    Retention(COMPLIANCE, retain_until) if retain_until is not None else None
                ),
                legal_hold=legal_hold,
            )
            return StoredObject(bucket, key, result.etag or "", result.version_id, len(data))

        return await self._run(_put)

    async def retention(
        self, bucket: str, key: str, version_id: str | None = None
    ) -> tuple[str, datetime] | None:
        """The version's retention mode and retain-until date, None when it has none."""

        def _get() -> tuple[str, datetime] | None:
            found = self.client.get_object_retention(bucket, key, version_id=version_id)
            if found is None or found.mode is None or found.retain_until_date is None:
                return None
            return found.mode, found.retain_until_date

        return await self._run(_get)

    async def set_legal_hold(
        self, bucket: str, key: str, on: bool, version_id: str | None = None
    ) -> None:
        def _set() -> None:
            if on:
                self.client.enable_object_legal_hold(bucket, key, version_id=version_id)
            else:
                self.client.disable_object_legal_hold(bucket, key, version_id=version_id)

        await self._run(_set)

    async def legal_hold(self, bucket: str, key: str, version_id: str | None = None) -> bool:
        return await self._run(
            lambda: self.client.is_object_legal_hold_enabled(bucket, key, version_id=version_id)
        )

    async def stat(self, bucket: str, key: str, version_id: str | None = None) -> ObjectInfo:
        """Size, date and user metadata (keys without the x-amz-meta- prefix, lower case)."""

        def _stat() -> ObjectInfo:
            found = self.client.stat_object(bucket, key, version_id=version_id)
            prefix = "x-amz-meta-"
            meta = {
                name.lower()[len(prefix) :]: value
                for name, value in (found.metadata or {}).items()
                if name.lower().startswith(prefix)
            }
            return ObjectInfo(
                key=key,
                size=found.size or 0,
                last_modified=found.last_modified,
                metadata=meta,
                version_id=found.version_id,
            )

        return await self._run(_stat)

    async def put(
        self,
        bucket: str,
        key: str,
        data: bytes,
        *,
        content_type: str = "application/octet-stream",
        metadata: Mapping[str, str] | None = None,
    ) -> StoredObject:
        def _put() -> StoredObject:
            result = self.client.put_object(
                bucket,
                key,
                io.BytesIO(data),
                length=len(data),
                content_type=content_type,
                metadata=dict(metadata or {}),
            )
            return StoredObject(bucket, key, result.etag or "", result.version_id, len(data))

        return await self._run(_put)

    async def get(self, bucket: str, key: str, version_id: str | None = None) -> bytes:
        def _get() -> bytes:
            response = self.client.get_object(bucket, key, version_id=version_id)
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()

        return await self._run(_get)

    async def sha256(
        self, bucket: str, key: str, version_id: str | None = None, chunk: int = 1024 * 1024
    ) -> tuple[str, int]:
        """SHA-256 (hex) and size of an object version, streamed through the hash in chunks:
        an archive's large files are never held whole in memory (S3Error when absent)."""

        def _hash() -> tuple[str, int]:
            response = self.client.get_object(bucket, key, version_id=version_id)
            digest, size = hashlib.sha256(), 0
            try:
                for part in response.stream(chunk):
                    digest.update(part)
                    size += len(part)
            finally:
                response.close()
                response.release_conn()
            return digest.hexdigest(), size

        return await self._run(_hash)

    async def latest_versions(self, bucket: str, first: str, last: str) -> dict[str, str | None]:
        """The newest version id of every key from ``first`` to ``last`` (inclusive), None
        where the newest is a delete marker: one version listing (1,000 entries a request)
        rather than a HEAD per key, for fixity audits walking records in key order."""

        def _list() -> dict[str, str | None]:
            # a marker just below ``first``: listing starts after the marker, so ``first`` is in
            marker = first[:-1] + chr(ord(first[-1]) - 1) if first and ord(first[-1]) else None
            shared = 0  # the keys' common prefix, character by character
            while shared < min(len(first), len(last)) and first[shared] == last[shared]:
                shared += 1
            found: dict[str, str | None] = {}
            for obj in self.client.list_objects(
                bucket,
                prefix=first[:shared],
                recursive=True,
                include_version=True,
                start_after=marker,
            ):
                name = obj.object_name or ""
                if name > last:
                    break
                if str(obj.is_latest).lower() == "true":
                    found[name] = None if obj.is_delete_marker else obj.version_id
            return found

        return await self._run(_list)

    async def exists(self, bucket: str, key: str) -> bool:
        def _exists() -> bool:
            try:
                self.client.stat_object(bucket, key)
            except S3Error as exc:
                if exc.code in ("NoSuchKey", "NoSuchObject", "NoSuchBucket"):
                    return False
                raise
            return True

        return await self._run(_exists)

    async def delete(self, bucket: str, key: str, version_id: str | None = None) -> None:
        await self._run(lambda: self.client.remove_object(bucket, key, version_id=version_id))

    async def delete_many(self, bucket: str, keys: Sequence[str]) -> list[str]:
        """Delete in batches (one request per 1,000 keys); returns the keys that failed."""

        def _delete() -> list[str]:
            errors = self.client.remove_objects(bucket, [DeleteObject(key) for key in keys])
            return [error.name or "" for error in errors]

        return await self._run(_delete)

    async def list(self, bucket: str, prefix: str = "") -> list[ObjectInfo]:
        def _list() -> list[ObjectInfo]:
            return [
                ObjectInfo(
                    key=obj.object_name or "",
                    size=obj.size or 0,
                    last_modified=obj.last_modified,
                    metadata=dict(obj.metadata or {}),
                )
                for obj in self.client.list_objects(
                    bucket, prefix=prefix, recursive=True, include_user_meta=True
                )
            ]

        return await self._run(_list)

    async def remove_bucket(self, bucket: str) -> int:
        """Empty and remove a bucket (tests only: real buckets hold records).

        Versions under COMPLIANCE retention cannot be removed by anyone: they are left, with
        the bucket, until their date; legal holds are lifted first. Returns how many stay.
        """

        def _remove() -> int:
            if not self.client.bucket_exists(bucket):
                return 0
            kept, locked = 0, self._object_lock_enabled(bucket)
            for obj in self.client.list_objects(bucket, recursive=True, include_version=True):
                name, version = obj.object_name or "", obj.version_id
                try:
                    held = (
                        locked
                        and not obj.is_delete_marker
                        and self.client.is_object_legal_hold_enabled(
                            bucket, name, version_id=version
                        )
                    )
                    if held:
                        self.client.disable_object_legal_hold(bucket, name, version_id=version)
                    self.client.remove_object(bucket, name, version_id=version)
                except S3Error as exc:
                    if exc.code not in ("InvalidRequest", "AccessDenied"):
                        raise
                    kept += 1  # WORM-protected until its retain-until date
            if kept == 0:
                self.client.remove_bucket(bucket)
            return kept

        return await self._run(_remove)
