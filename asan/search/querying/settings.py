"""Settings of the search queries and the competent-unit suggestion (``ASAN_SEARCH_QUERY_*``).

Kept in the part that reads them, like the EDMS parts' own settings classes.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class SearchQuerySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASAN_SEARCH_QUERY_", extra="ignore")

    # How often (seconds) a process asks the change log whether the regulations' clauses, org
    # units or regulations changed since its suggester was built (0: on every suggestion).
    suggest_check_seconds: float = Field(30.0, ge=0.0, le=3600.0)
    # A suggester older than this is rebuilt even without such events (an import that did
    # not go through the change log, a restored backup).
    suggest_max_age_seconds: float = Field(3600.0, ge=1.0, le=7 * 86400.0)


@lru_cache(maxsize=1)
def query_settings() -> SearchQuerySettings:
    return SearchQuerySettings()
