"""Settings of the report downloads (``ASAN_EDMS_REPORTS_*``)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ReportSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASAN_EDMS_REPORTS_", extra="ignore")

    # DejaVuSans.ttf and DejaVuSans-Bold.ttf (Debian fonts-dejavu-core): every Azerbaijani letter
    font_dir: str = "/usr/share/fonts/truetype/dejavu"
    # PDF/CSV downloads rendered at once per process; more wait their turn
    max_concurrent_downloads: int = Field(2, ge=1, le=16)


@lru_cache(maxsize=1)
def report_settings() -> ReportSettings:
    return ReportSettings()
