"""Retention in the archive bucket is enforced by MinIO itself, whoever asks.

The proof does not go through the project's S3 adapter: it uses awscli (``aws s3api``) as
the MinIO root user, the strongest caller there is. Objects are put with short COMPLIANCE
retention so that the module can wait (polling the clock, bounded) until it has passed and
then remove its own bucket; nothing here sleeps as synchronisation.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from asan.archive.storage.bucket import BucketWithoutObjectLock, ensure_archive_bucket
from asan.archive.storage.holds import is_held, lift_hold, place_hold
from asan.archive.storage.retention import (
    ArchiveMetadata,
    ArchiveMetadataError,
    archive_key,
    lock_for_case,
    put_archived,
    read_metadata,
    read_retention,
)
from asan.core.platform import Platform
from asan.core.settings import Settings

AWS = Path(sys.executable).with_name("aws")
# long enough for the few awscli calls made before it, on a busy machine
LOCK_SECONDS = 300  # long enough for a slow, loaded machine; the version is left locked
WAIT_LIMIT_SECONDS = 60


@dataclass
class Aws:
    """``aws s3api`` as the MinIO root user (the credentials MinIO was started with)."""

    settings: Settings
    bucket: str
    latest_lock: datetime = field(default_factory=lambda: datetime.now(UTC))

    def env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", ""),
            "HOME": os.environ.get("HOME", "/tmp"),
            "AWS_ACCESS_KEY_ID": self.settings.minio_access_key,
            "AWS_SECRET_ACCESS_KEY": self.settings.minio_secret_key.get_secret_value(),
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        scheme = "https" if self.settings.minio_secure else "http"
        return subprocess.run(
            [
                str(AWS),
                "s3api",
                *args,
                "--endpoint-url",
                f"{scheme}://{self.settings.minio_endpoint}",
            ],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def ok(self, *args: str) -> dict[str, Any]:
        done = self.run(*args)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if done.stdout.strip() else {}

    def refused(self, *args: str) -> str:
        done = self.run(*args)
        assert done.returncode != 0, f"MinIO accepted {args[0]}: {done.stdout}"
        return done.stderr

    def lock_until(self, seconds: float) -> datetime:
        until = (datetime.now(UTC) + timedelta(seconds=seconds)).replace(microsecond=0)
        self.latest_lock = max(self.latest_lock, until)
        return until


def wait_past(moment: datetime) -> None:
    """Poll the clock (bounded) until ``moment`` is behind us, with a second's margin for
    MinIO's own comparison."""
    deadline = time.monotonic() + WAIT_LIMIT_SECONDS
    while datetime.now(UTC) <= moment + timedelta(seconds=1):
        assert time.monotonic() < deadline, f"{moment} did not pass in {WAIT_LIMIT_SECONDS}s"
        time.sleep(0.2)


def fresh_bucket(settings: Settings, what: str) -> str:
    return f"{settings.bucket_prefix}-{what}-{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="module")
async def aws(platform: Platform) -> AsyncIterator[Aws]:
    assert AWS.exists(), "awscli is a dev dependency: pip install -e '.[dev]'"
    bucket = fresh_bucket(platform.settings, "lock")
    await ensure_archive_bucket(platform.store, bucket)
    client = Aws(platform.settings, bucket)
    yield client
    # Versions still under COMPLIANCE retention stay (nobody can remove them): the rest go.
    await platform.store.remove_bucket(bucket)


def metadata_for(data: bytes, case_id: str, document_id: str) -> ArchiveMetadata:
    return ArchiveMetadata(
        index="01-05",
        retention="10",
        case_id=case_id,
        document_id=document_id,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def ids() -> Iterator[str]:
    while True:
        yield uuid.uuid4().hex


async def test_archive_bucket_has_object_lock_and_versioning(aws: Aws) -> None:
    lock = aws.ok("get-object-lock-configuration", "--bucket", aws.bucket)
    assert lock["ObjectLockConfiguration"]["ObjectLockEnabled"] == "Enabled"
    assert aws.ok("get-bucket-versioning", "--bucket", aws.bucket)["Status"] == "Enabled"


async def test_existing_bucket_without_object_lock_is_refused(platform: Platform) -> None:
    bucket = fresh_bucket(platform.settings, "plain")
    await platform.store.ensure_bucket(bucket)
    try:
        with pytest.raises(BucketWithoutObjectLock, match=bucket):
            await ensure_archive_bucket(platform.store, bucket)
        assert not await platform.store.object_lock_enabled(bucket)
    finally:
        await platform.store.remove_bucket(bucket)


async def test_root_cannot_delete_shorten_or_overwrite_before_retain_until(
    platform: Platform, aws: Aws
) -> None:
    case_id, document_id, file_id = (next(ids()) for _ in range(3))
    key = archive_key(case_id, document_id, file_id)
    data = b"%PDF-1.7 archived record " + file_id.encode()
    until = (datetime.now(UTC) + timedelta(seconds=LOCK_SECONDS)).replace(microsecond=0)
    stored = await put_archived(
        platform.store,
        aws.bucket,
        key,
        data,
        retain_until=until,
        legal_hold=False,
        metadata=metadata_for(data, case_id, document_id),
    )
    assert stored.version_id
    version = stored.version_id

    # what the project reads back is what MinIO keeps, as another client sees it
    kept = await read_retention(platform.store, aws.bucket, key, version)
    assert (kept.mode, kept.retain_until, kept.legal_hold) == ("COMPLIANCE", until, False)
    head = aws.ok("head-object", "--bucket", aws.bucket, "--key", key, "--version-id", version)
    assert head["ObjectLockMode"] == "COMPLIANCE"
    assert head["Metadata"] == {
        "archive-index": "01-05",
        "archive-retention": "10",
        "archive-case": case_id,
        "archive-document": document_id,
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    assert await read_metadata(platform.store, aws.bucket, key) == metadata_for(
        data, case_id, document_id
    )

    denied = aws.refused(
        "delete-object", "--bucket", aws.bucket, "--key", key, "--version-id", version
    )
    assert "WORM protected" in denied, denied
    # still in the future (else MinIO refuses it for that reason), but before ``until``
    now = datetime.now(UTC)
    shorter = (now + (until - now) / 2).strftime("%Y-%m-%dT%H:%M:%SZ")
    shortened = aws.refused(
        "put-object-retention",
        "--bucket",
        aws.bucket,
        "--key",
        key,
        "--version-id",
        version,
        "--retention",
        json.dumps({"Mode": "COMPLIANCE", "RetainUntilDate": shorter}),
    )
    assert "WORM protected" in shortened, shortened
    # COMPLIANCE cannot be downgraded to GOVERNANCE either (that mode can be bypassed)
    downgraded = aws.refused(
        "put-object-retention",
        "--bucket",
        aws.bucket,
        "--key",
        key,
        "--version-id",
        version,
        "--retention",
        json.dumps({"Mode": "GOVERNANCE", "RetainUntilDate": until.strftime("%Y-%m-%dT%H:%M:%SZ")}),
        "--bypass-governance-retention",
    )
    assert "WORM protected" in downgraded, downgraded

    # an overwrite is a new version; the locked one stays, bytes and date unchanged
    other = Path(aws.settings.data_path) / f"overwrite-{file_id}.bin"
    other.write_bytes(b"tampered")
    try:
        put = aws.ok("put-object", "--bucket", aws.bucket, "--key", key, "--body", str(other))
    finally:
        other.unlink()
    assert put["VersionId"] != version
    versions = aws.ok("list-object-versions", "--bucket", aws.bucket, "--prefix", key)
    assert {v["VersionId"] for v in versions["Versions"]} == {version, put["VersionId"]}
    assert await platform.store.get(aws.bucket, key, version) == data
    assert await platform.store.get(aws.bucket, key) == b"tampered"
    still = await read_retention(platform.store, aws.bucket, key, version)
    assert still.retain_until == until
    # the check above ran while the lock was still in force, or it proved nothing
    assert datetime.now(UTC) < until, "the machine was too slow: raise LOCK_SECONDS"


async def test_legal_hold_blocks_deletion_until_lifted(platform: Platform, aws: Aws) -> None:
    case_id, document_id, file_id = (next(ids()) for _ in range(3))
    key = archive_key(case_id, document_id, file_id)
    data = b"permanent record " + file_id.encode()
    until = aws.lock_until(2)
    stored = await put_archived(
        platform.store,
        aws.bucket,
        key,
        data,
        retain_until=until,
        legal_hold=True,
        metadata=metadata_for(data, case_id, document_id),
    )
    version = stored.version_id
    assert version
    assert await is_held(platform.store, aws.bucket, key, version)
    hold = aws.ok(
        "get-object-legal-hold", "--bucket", aws.bucket, "--key", key, "--version-id", version
    )
    assert hold["LegalHold"]["Status"] == "ON"

    await asyncio.to_thread(wait_past, until)
    # retention has passed: only the hold stands in the way
    held = aws.refused(
        "delete-object", "--bucket", aws.bucket, "--key", key, "--version-id", version
    )
    assert "WORM protected" in held, held

    await lift_hold(platform.store, aws.bucket, key, version)
    assert not await is_held(platform.store, aws.bucket, key, version)
    aws.ok("delete-object", "--bucket", aws.bucket, "--key", key, "--version-id", version)
    left = aws.ok("list-object-versions", "--bucket", aws.bucket, "--prefix", key)
    assert not left.get("Versions")


async def test_hold_placed_later_blocks_deletion(platform: Platform, aws: Aws) -> None:
    case_id, document_id, file_id = (next(ids()) for _ in range(3))
    key = archive_key(case_id, document_id, file_id)
    data = b"litigation " + file_id.encode()
    until = aws.lock_until(1)
    stored = await put_archived(
        platform.store,
        aws.bucket,
        key,
        data,
        retain_until=until,
        legal_hold=False,
        metadata=metadata_for(data, case_id, document_id),
    )
    assert stored.version_id
    await place_hold(platform.store, aws.bucket, key, stored.version_id)
    await asyncio.to_thread(wait_past, until)
    held = aws.refused(
        "delete-object", "--bucket", aws.bucket, "--key", key, "--version-id", stored.version_id
    )
    assert "WORM protected" in held, held
    await lift_hold(platform.store, aws.bucket, key, stored.version_id)  # the module cleans up


async def test_metadata_must_be_ascii_and_match_the_data(platform: Platform, aws: Aws) -> None:
    data = b"record"
    bad = ArchiveMetadata("01-05", "10", "case", "doc", hashlib.sha256(data).hexdigest())
    with pytest.raises(ArchiveMetadataError):
        ArchiveMetadata("Şöbə-01", "10", "case", "doc", bad.sha256).as_headers()
    with pytest.raises(ArchiveMetadataError):
        await put_archived(
            platform.store,
            aws.bucket,
            "case/doc/file",
            b"other bytes",
            retain_until=aws.lock_until(1),
            legal_hold=False,
            metadata=bad,
        )
    with pytest.raises(ArchiveMetadataError):
        archive_key("case", "İş/1", "file")
    assert not await platform.store.exists(aws.bucket, "case/doc/file")


async def test_migrate_refuses_an_archive_bucket_without_object_lock(platform: Platform) -> None:
    """``asan migrate`` ensures the buckets: an archive bucket made without the lock stops it
    with an error naming that bucket."""
    prefix = fresh_bucket(platform.settings, "m")
    plain = f"{prefix}-archive"
    await platform.store.ensure_bucket(plain)
    try:
        done = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "asan", "migrate"],
            env={**os.environ, "ASAN_BUCKET_PREFIX": prefix},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 1, done.stdout + done.stderr
        assert plain in done.stderr and "Object Lock" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
        assert not await platform.store.object_lock_enabled(plain)
    finally:
        for purpose in ("documents", "archive"):
            await platform.store.remove_bucket(f"{prefix}-{purpose}")


def test_retain_until_counts_from_the_first_january_after_closing() -> None:
    assert lock_for_case(2025, 10) == (datetime(2036, 1, 1, tzinfo=UTC), False)
    assert lock_for_case(2025, 1) == (datetime(2027, 1, 1, tzinfo=UTC), False)
    # permanent: a legal hold, and no COMPLIANCE date that could never be taken back
    assert lock_for_case(2025, None) == (datetime(2026, 1, 1, tzinfo=UTC), True)
    with pytest.raises(ValueError):
        lock_for_case(2025, 0)
