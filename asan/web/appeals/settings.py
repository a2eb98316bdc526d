"""Settings of the appeal and reception pages (``ASAN_WEB_APPEALS_*``)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WebAppealsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASAN_WEB_APPEALS_", extra="ignore")

    # appeals per page of the list (the total says how many match)
    page_size: int = Field(50, ge=5, le=200)
    # the reception page shows the sittings from today this many days ahead
    reception_days: int = Field(30, ge=1, le=92)


@lru_cache(maxsize=1)
def web_appeals_settings() -> WebAppealsSettings:
    return WebAppealsSettings()
