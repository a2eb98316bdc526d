"""MinIO server built from source with ``go install`` (MinIO's own source install).

Only the S3 API is used against it (through the SDK), so any S3-compatible server with Object
Lock can replace it; nothing here calls MinIO-only admin APIs.
"""

from __future__ import annotations

import os
import shutil
import urllib.error
import urllib.request
from pathlib import Path

from asan.core.provision.process import (
    Managed,
    ProvisionError,
    port_open,
    spawn,
    stop,
    wait_until,
)
from asan.core.provision.progress import Progress, Step, build_once, run_logged
from asan.core.settings import Settings

# What `go install github.com/minio/minio@latest` resolved to on 2026-11-25; pinned so that
# every machine builds the same server. ASAN_MINIO_VERSION=latest follows upstream instead.
PINNED_VERSION = "v0.0.0-20260212201848-7aac2a2c5b7c"
MODULE = "github.com/minio/minio"
# Measured on this project's 2-core machines: downloading the modules and compiling them.
BUILD_USUALLY = "4-8 minutes on 2 cores, once per machine; the log's last line follows"
START_USUALLY = "2-10 seconds"


def _version(settings: Settings) -> str:
    return PINNED_VERSION if settings.minio_version in ("", "pinned") else settings.minio_version


def binary_path(settings: Settings) -> Path:
    version = _version(settings).replace("/", "_")
    return settings.cache_dir / "minio" / version / "minio"


def ensure_installed(settings: Settings, progress: Progress | None = None) -> Path:
    """Build MinIO into the shared cache once; concurrent callers wait for one build."""
    binary = binary_path(settings)
    marker = binary.with_name(".complete")

    def build(step: Step) -> None:
        go = shutil.which("go") or (
            "/usr/local/go/bin/go" if Path("/usr/local/go/bin/go").exists() else None
        )
        if not go:
            raise ProvisionError("MinIO provisioning needs Go ('go') on PATH")
        gobin = binary.parent
        if gobin.exists():
            shutil.rmtree(gobin)  # an interrupted install: start over
        gobin.mkdir(parents=True)
        log = settings.cache_dir / "logs" / "minio-install.log"
        step.note(f"build log: {log}")
        env = dict(os.environ, GOBIN=str(gobin), CGO_ENABLED="0")
        run_logged(
            step,
            [go, "install", "-v", f"{MODULE}@{_version(settings)}"],
            "installing MinIO with 'go install'",
            log,
            env=env,
        )
        if not binary.exists():
            raise ProvisionError(f"'go install' finished but {binary} is missing")
        marker.write_text(_version(settings))

    build_once(
        progress or Progress(),
        f"Building MinIO {_version(settings)} from source with 'go install'",
        BUILD_USUALLY,
        "building MinIO",
        settings.cache_dir / "locks" / f"minio-{binary.parent.name}.lock",
        lambda: binary.exists() and marker.exists(),
        build,
    )
    return binary


def managed(settings: Settings) -> Managed:
    return Managed("minio", settings.data_path / "run", settings.data_path / "logs")


def start(settings: Settings, progress: Progress | None = None) -> str:
    me = managed(settings)
    port = settings.minio_port
    assert port is not None
    url = f"http://{settings.minio_endpoint}"
    if me.pid() is not None:
        reason = _health(settings)
        if reason is not None:
            raise ProvisionError(f"minio at {url} is running but not healthy: {reason}")
        return f"minio already running on {url}"
    if port_open(settings.minio_host, port):
        raise ProvisionError(
            f"minio: port {settings.minio_endpoint} is already taken by another process; "
            "stop it or set ASAN_MINIO_PORT"
        )
    progress = progress or Progress()
    binary = ensure_installed(settings, progress)
    data = settings.data_path / "minio"
    data.mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ,
        MINIO_ROOT_USER=settings.minio_access_key,
        MINIO_ROOT_PASSWORD=settings.minio_secret_key.get_secret_value(),
        MINIO_BROWSER="off",
        MINIO_UPDATE="off",
    )
    console = f"{settings.minio_host}:{port + 1}"
    argv = [
        str(binary),
        "server",
        str(data),
        "--address",
        settings.minio_endpoint,
        "--console-address",
        console,
        "--quiet",
    ]
    with progress.step(f"Starting MinIO on {url}", START_USUALLY) as step:
        pid = spawn(me, argv, env)
        wait_until(
            f"minio at {url}",
            lambda: _health(settings),
            settings.service_start_timeout,
            lambda: me.pid() == pid,
            me.log_file,
            on_wait=lambda reason: step.tick(f"not answering yet ({reason})"),
        )
    return f"minio started on {url} (pid {pid})"


def _health(settings: Settings) -> str | None:
    """Live endpoint first, then an authenticated S3 call so wrong credentials are named."""
    url = f"http://{settings.minio_endpoint}/minio/health/live"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            if response.status != 200:
                return f"health endpoint answered {response.status}"
    except (urllib.error.URLError, OSError) as exc:
        return str(exc)
    from minio import Minio
    from minio.error import S3Error

    client = Minio(
        settings.minio_endpoint,
        access_key=settings.minio_access_key,
        secret_key=settings.minio_secret_key.get_secret_value(),
        secure=settings.minio_secure,
    )
    try:
        client.list_buckets()
    except S3Error as exc:
        if exc.code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied"):
            raise ProvisionError(
                f"minio at {settings.minio_endpoint} rejected the credentials of "
                f"'{settings.minio_access_key}' ({exc.code}); the data directory was created "
                "with other root credentials"
            ) from exc
        return f"{exc.code}: {exc.message}"
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def stop_server(settings: Settings) -> bool:
    return stop(managed(settings))


def status(settings: Settings) -> str:
    pid = managed(settings).pid()
    url = f"http://{settings.minio_endpoint}"
    if pid is None:
        return f"minio: stopped ({url})"
    try:
        reason = _health(settings)
    except ProvisionError as exc:
        reason = str(exc)
    state = "healthy" if reason is None else f"unhealthy: {reason}"
    return f"minio: running, pid {pid}, {url}, {state}"
