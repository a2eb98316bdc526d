"""Settings of fixity audits (``ASAN_ARCHIVE_FIXITY_*``), safe for every profile."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class FixitySettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ASAN_ARCHIVE_FIXITY_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    # the server audits the whole archive this often (hours since the last whole run began);
    # 0 turns the periodic audit off
    interval_hours: float = Field(default=24.0, ge=0)
    # how often each API process asks whether an audit is due
    check_seconds: float = Field(default=300.0, gt=0)
    # objects read and hashed at once (the S3 client keeps 10 connections)
    concurrency: int = Field(default=8, ge=1, le=64)
    # records per audited unit of graph writes (flags, problems, counters)
    batch: int = Field(default=500, ge=1, le=5000)
    # a whole-archive run holds the lease this long past its last batch; a run whose process
    # died is taken over (and marked failed) once its lease has run out
    lease_seconds: float = Field(default=900.0, gt=0)


@lru_cache(maxsize=1)
def fixity_settings() -> FixitySettings:
    return FixitySettings()
