"""Settings of certified copies (``ASAN_EDMS_COPIES_*``), documented in docs/edms-dispatch.md."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class CopiesSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ASAN_EDMS_COPIES_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # where the "Əslinə uyğundur" mark goes (the signature block of a signed original sits in
    # the lower left of its last page, the registration stamp in the upper right)
    corner: Literal["top-right", "top-left", "bottom-right", "bottom-left"] = "bottom-right"
    # mark every page (a page taken out of the copy still says it is certified) or the first
    all_pages: bool = True


@lru_cache(maxsize=1)
def copies_settings() -> CopiesSettings:
    return CopiesSettings()
