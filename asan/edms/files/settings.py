"""Settings of document files, kept in this package (``ASAN_EDMS_FILES_*``).

Each EDMS part has its own small settings class so parts never collide in the shared
``asan/core/settings.py``; the defaults are safe for every profile.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

MIB = 1024 * 1024


class FilesSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ASAN_EDMS_FILES_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    # the largest file accepted; a multipart request whose body exceeds this plus
    # ``multipart_overhead_bytes`` is cut off while it streams (413)
    max_bytes: int = Field(default=50 * MIB, ge=1)
    multipart_overhead_bytes: int = Field(default=256 * 1024, ge=1024)
    # the API process runs the processing job (extraction, OCR, stamps) in its lifespan
    process_in_api: bool = True
    process_interval_seconds: float = Field(default=5.0, gt=0)
    process_batch: int = Field(default=4, ge=1, le=100)
    # a file claimed by a process that died is claimed again after this long
    process_claim_seconds: float = Field(default=600.0, gt=0)


@lru_cache(maxsize=1)
def files_settings() -> FilesSettings:
    return FilesSettings()
