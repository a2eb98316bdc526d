"""Working-day arithmetic with Azerbaijan's public holidays (pure, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from asan.registry.catalog.workdays import (
    add_working_days,
    holiday_name,
    is_working_day,
    today_in_baku,
    working_days_between,
)


def test_plain_week_skips_the_weekend() -> None:
    # Tue 2025-02-04 + 7 working days: Wed..Fri (3), Mon..Thu (4) -> Thu 2025-02-13
    assert add_working_days(date(2025, 2, 4), 7) == date(2025, 2, 13)


def test_novruz_holidays_are_not_working_days() -> None:
    assert holiday_name(date(2025, 3, 20)) is not None  # Novruz bayramı
    assert not is_working_day(date(2025, 3, 21))
    # Submitted Wed 2025-03-19: 20-28 March are Novruz, its observed and moved days off,
    # 30-31 March Ramazan bayramı; counting resumes on Tue 1 April: 1-4, 7-9 April.
    due = add_working_days(date(2025, 3, 19), 7)
    assert due == date(2025, 4, 9)
    assert working_days_between(date(2025, 3, 19), due) == 7


def test_a_moved_saturday_is_a_working_day() -> None:
    # 2025-06-21 (Saturday) was worked in exchange for 2025-06-27 off.
    assert date(2025, 6, 21).weekday() == 5
    assert is_working_day(date(2025, 6, 21))
    assert not is_working_day(date(2025, 6, 27))


def test_zero_days_is_the_same_day_and_negative_is_refused() -> None:
    assert add_working_days(date(2025, 5, 5), 0) == date(2025, 5, 5)
    with pytest.raises(ValueError):
        add_working_days(date(2025, 5, 5), -1)


def test_deadline_date_is_the_baku_calendar_date() -> None:
    # 21:30 UTC on 4 Feb is already 5 Feb in Baku (UTC+4)
    assert today_in_baku(datetime(2025, 2, 4, 21, 30, tzinfo=UTC)) == date(2025, 2, 5)
    with pytest.raises(ValueError):
        today_in_baku(datetime(2025, 2, 4, 21, 30))
