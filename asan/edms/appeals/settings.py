"""The terms of the law on citizens' appeals (No. 1308-IVQ of 2015), configurable per deployment.

The law fixes the defaults; an amendment, or a stricter internal rule of the agency, changes a
number here (``ASAN_EDMS_APPEALS_*``) rather than code. Kept out of ``asan.core.settings`` so
that each part of the document system owns its own small settings class.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class AppealSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASAN_EDMS_APPEALS_", extra="ignore")

    # article 10: an appeal is answered within 15 working days of its registration ...
    answer_days: int = Field(15, ge=1, le=120)
    # ... or within 30 where the matter needs extra study
    study_days: int = Field(30, ge=1, le=120)
    # in exceptional cases the term may be extended, by at most 30 working days in all
    max_extension_days: int = Field(30, ge=0, le=120)
    # an appeal outside the agency's competence goes to the competent body within 3 working days
    forward_days: int = Field(3, ge=1, le=30)
    # a repeated appeal: after this many substantive answers within ``repeat_window_days`` ...
    repeat_answers: int = Field(3, ge=1, le=20)
    repeat_window_days: int = Field(365, ge=1, le=3650)
    # ... on the same matter, judged by subject similarity (0..1) of the folded word stems
    repeat_similarity: float = Field(0.5, gt=0.0, le=1.0)
    # the org unit that considers appeals when the registrar names none (e.g. the website's)
    default_unit: str | None = None


@lru_cache(maxsize=1)
def appeal_settings() -> AppealSettings:
    return AppealSettings()
