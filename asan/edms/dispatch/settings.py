"""Settings of dispatch and inter-agency delivery (``ASAN_EDMS_DISPATCH_*``).

Kept in the part's own package (not asan/core/settings.py) so each EDMS part owns its knobs;
every default is safe for a fresh install. Documented in docs/edms-dispatch.md.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class DispatchSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ASAN_EDMS_DISPATCH_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    # The org unit that owns documents other bodies' systems send in (they wait there, in
    # status "received", for the registrar): the Electronic Document Circulation Department.
    receiving_unit: str = "DEPT-EDMS"
    # Addressees on one mailing list (a circular to every ministry fits).
    max_addressees: int = Field(default=200, ge=1, le=2000)
    # Largest document a body's system may send in through sendDocumentToAgency.
    max_incoming_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)


@lru_cache(maxsize=1)
def dispatch_settings() -> DispatchSettings:
    return DispatchSettings()
