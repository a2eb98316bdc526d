"""The object-store adapter (MinIO or any S3 server with Object Lock), async at the edges.

The MinIO SDK is synchronous; calls run in a worker thread so the ASGI loop never blocks on
network I/O. Only S3 API calls are made here, never MinIO admin calls.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import anyio
from minio import Minio
from minio.deleteobjects import DeleteObject
from minio.error import S3Error

from asan.core.settings import Settings


class StorageUnavailable(RuntimeError):
    """The object store cannot be reached or refuses us; the message names the address."""


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


class ObjectStore:
    def __init__(self, client: Minio, endpoint: str) -> None:
        self.client = client
        self.endpoint = endpoint

    @classmethod
    def connect(cls, settings: Settings) -> ObjectStore:
        client = Minio(
            settings.minio_endpoint,
            access_key=settings.minio_access_key,
            secret_key=settings.minio_secret_key.get_secret_value(),
            secure=settings.minio_secure,
        )
        return cls(client, settings.minio_endpoint)

    async def ping(self) -> None:
        try:
            await anyio.to_thread.run_sync(self.client.list_buckets)
        except S3Error as exc:
            raise StorageUnavailable(
                f"minio at {self.endpoint} refused the request: {exc.code}"
            ) from exc
        except Exception as exc:
            raise StorageUnavailable(f"minio at {self.endpoint} is unreachable: {exc}") from exc

    async def ensure_bucket(self, bucket: str, *, object_lock: bool = False) -> None:
        def _ensure() -> None:
            if not self.client.bucket_exists(bucket):
                self.client.make_bucket(bucket, object_lock=object_lock)

        await anyio.to_thread.run_sync(_ensure)

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

        return await anyio.to_thread.run_sync(_put)

    async def get(self, bucket: str, key: str, version_id: str | None = None) -> bytes:
        def _get() -> bytes:
            response = self.client.get_object(bucket, key, version_id=version_id)
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()

        return await anyio.to_thread.run_sync(_get)

    async def exists(self, bucket: str, key: str) -> bool:
        def _exists() -> bool:
            try:
                self.client.stat_object(bucket, key)
            except S3Error as exc:
                if exc.code in ("NoSuchKey", "NoSuchObject", "NoSuchBucket"):
                    return False
                raise
            return True

        return await anyio.to_thread.run_sync(_exists)

    async def delete(self, bucket: str, key: str, version_id: str | None = None) -> None:
        await anyio.to_thread.run_sync(
            lambda: self.client.remove_object(bucket, key, version_id=version_id)
        )

    async def delete_many(self, bucket: str, keys: Sequence[str]) -> list[str]:
        """Delete in batches (one request per 1,000 keys); returns the keys that failed."""

        def _delete() -> list[str]:
            errors = self.client.remove_objects(bucket, [DeleteObject(key) for key in keys])
            return [error.name or "" for error in errors]

        return await anyio.to_thread.run_sync(_delete)

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

        return await anyio.to_thread.run_sync(_list)

    async def remove_bucket(self, bucket: str) -> None:
        """Empty and remove a bucket (tests only: real buckets hold records)."""

        def _remove() -> None:
            if not self.client.bucket_exists(bucket):
                return
            for obj in self.client.list_objects(bucket, recursive=True, include_version=True):
                self.client.remove_object(bucket, obj.object_name or "", version_id=obj.version_id)
            self.client.remove_bucket(bucket)

        await anyio.to_thread.run_sync(_remove)
