"""Working days in Azerbaijan: registration, resolution and appeal deadlines are counted in them.

A working day is a day that is not a weekend day and not a public holiday, except for the
weekend days the Cabinet of Ministers moves work to (``weekend_workdays`` of the ``holidays``
calendar): those are working days even though they fall on a Saturday or Sunday. Pure
functions over dates, so the deadline rules are unit-tested without a database.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

BAKU = ZoneInfo("Asia/Baku")


@lru_cache(maxsize=64)
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("AZ", years=year)


def holiday_name(day: date) -> str | None:
    """The public holiday on ``day`` (English name), or None."""
    name = _calendar(day.year).get(day)
    return str(name) if name is not None else None


def is_working_day(day: date) -> bool:
    calendar = _calendar(day.year)
    if day in calendar:
        return False
    if day.weekday() in calendar.weekend:
        return day in calendar.weekend_workdays
    return True


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself is not counted)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def today_in_baku(now: datetime | None = None) -> date:
    """Deadlines are Baku calendar dates, whatever the server's time zone."""
    moment = now if now is not None else datetime.now(BAKU)
    if moment.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return moment.astimezone(BAKU).date()
