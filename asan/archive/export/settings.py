"""Settings of BagIt export and import (``ASAN_ARCHIVE_EXPORT_*``), kept in this package."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ExportSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ASAN_ARCHIVE_EXPORT_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    # where packages are written (a directory per bag and its .tar); unset: <data dir>/exports
    dir: Path | None = None
    # archived versions read from MinIO (and written to disk) at once
    concurrency: int = Field(default=8, ge=1, le=64)
    # processes bagit uses to hash manifests and to validate
    processes: int = Field(default=1, ge=1, le=16)
    # how long exportCase waits for the bag before answering "writing" (the export goes on
    # in the background); below the API's request timeout (ASAN_REQUEST_TIMEOUT_SECONDS)
    wait_seconds: float = Field(default=20.0, gt=0)


@lru_cache(maxsize=1)
def export_settings() -> ExportSettings:
    return ExportSettings()


def export_dir(data_path: Path) -> Path:
    """The configured directory, or ``exports`` under the data dir."""
    return export_settings().dir or data_path / "exports"
