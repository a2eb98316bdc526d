"""Execution deadlines: a date, or a number of working days (Azerbaijan's public holidays).

A date that falls on a weekend or a public holiday moves to the next working day, as the terms
of the law on citizens' appeals and the agency's record-keeping rules count them; a date in the
past is refused. Working days are counted from the day after the resolution (Baku calendar).
"""

from __future__ import annotations

from datetime import date, timedelta

from asan.core.errors import FieldError, ValidationFailed
from asan.core.workdays import add_working_days, is_working_day

MAX_WORKING_DAYS = 250  # about a calendar year of working days


def next_working_day(day: date) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def execution_deadline(
    today: date,
    deadline: date | None,
    working_days: int | None,
    *,
    field: str = "deadline",
    days_field: str = "workingDays",
) -> tuple[date, int | None]:
    """The deadline date and the working days it was given as (None when given as a date)."""
    if (deadline is None) == (working_days is None):
        raise ValidationFailed(
            [
                FieldError(
                    field,
                    "müddəti ya tarix, ya da iş günlərinin sayı ilə göstərin (birini) / "
                    "give the deadline either as a date or as a number of working days (one)",
                )
            ]
        )
    if working_days is not None:
        if not 1 <= working_days <= MAX_WORKING_DAYS:
            raise ValidationFailed(
                [
                    FieldError(
                        days_field,
                        f"1..{MAX_WORKING_DAYS} iş günü olmalıdır / "
                        f"must be 1..{MAX_WORKING_DAYS} working days",
                    )
                ]
            )
        return add_working_days(today, working_days), working_days
    assert deadline is not None
    return later_deadline(today, deadline, field=field), None


def later_deadline(today: date, deadline: date, *, field: str = "deadline") -> date:
    """A deadline date given by a person: not in the past, moved off a non-working day."""
    if deadline < today:
        raise ValidationFailed(
            [
                FieldError(
                    field,
                    f"müddət keçmişdə ola bilməz (bu gün {today.isoformat()}) / "
                    f"the deadline cannot be in the past (today is {today.isoformat()})",
                )
            ]
        )
    if (deadline - today).days > 2 * 366:
        raise ValidationFailed(
            [FieldError(field, "müddət iki ildən uzundur / the deadline is over two years away")]
        )
    return next_working_day(deadline)
