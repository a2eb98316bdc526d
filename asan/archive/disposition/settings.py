"""Settings of disposition (``ASAN_ARCHIVE_DISPOSITION_*``)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class DispositionSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASAN_ARCHIVE_DISPOSITION_", extra="ignore")

    # the unit whose head signs destruction acts (the agency's chairman leads it)
    signer_unit: str = "AGENCY"
    # the org unit the act's EDMS document is filed under
    document_unit: str = "AGENCY"
    # records deleted between two writes of the graph (a crash repeats at most one batch)
    batch_size: int = Field(100, ge=1, le=1000)
    # deletions in flight at once
    concurrency: int = Field(8, ge=1, le=64)
    # acts up to this many records run synchronously in executeDestructionAct; larger ones
    # are refused there and run with `asan archive dispose`
    sync_max_records: int = Field(2000, ge=0, le=100_000)
    # TEST ONLY (ignored in prod): after this many deletions in one run, print a marker line
    # and block, so a test can kill the process at a known point
    pause_after: int | None = Field(None, ge=1)


@lru_cache(maxsize=1)
def disposition_settings() -> DispositionSettings:
    return DispositionSettings()
