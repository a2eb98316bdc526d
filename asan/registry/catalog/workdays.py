"""The registry's working-day terms; the calendar itself lives in asan.core.workdays.

Kept as a module so the registration procedure's imports stay where they were when the
calendar moved to the core (document circulation counts its deadlines with it too).
"""

from __future__ import annotations

from asan.core.workdays import (
    BAKU,
    add_working_days,
    holiday_name,
    is_working_day,
    today_in_baku,
    working_days_between,
)

REVIEW_DAYS = 7  # the agency registers or returns a submission within 7 working days
FIX_DAYS = 7  # the body fixes the defects of a returned submission within 7 working days

__all__ = [
    "BAKU",
    "FIX_DAYS",
    "REVIEW_DAYS",
    "add_working_days",
    "holiday_name",
    "is_working_day",
    "today_in_baku",
    "working_days_between",
]
