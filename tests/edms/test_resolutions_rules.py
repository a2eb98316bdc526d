"""The rules of execution control that need no database: deadlines in working days, the task
and extension state tables, and who the policy lets act on a part."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from asan.auth.policy import Resource, denial_reason
from asan.auth.principal import Principal
from asan.core.errors import InvalidTransition, ValidationFailed
from asan.core.workdays import holiday_name, is_working_day, working_days_between
from asan.edms.resolutions import flows
from asan.edms.resolutions.deadlines import execution_deadline, next_working_day
from asan.edms.resolutions.policy import DECIDE_EXTENSION, ISSUE, REPORT


def test_working_days_skip_weekends_and_public_holidays() -> None:
    # the days around the new year 2027: 31 December and 1-2 January are public holidays
    start = date(2026, 12, 30)
    assert holiday_name(date(2026, 12, 31)) is not None
    assert holiday_name(date(2027, 1, 1)) is not None
    deadline, given = execution_deadline(start, None, 1)
    assert given == 1
    assert deadline > date(2027, 1, 2) and is_working_day(deadline)
    assert working_days_between(start, deadline) == 1
    day = start + timedelta(days=1)
    while day < deadline:  # every day skipped was a weekend day or a holiday
        assert not is_working_day(day)
        day += timedelta(days=1)


def test_a_date_deadline_moves_off_a_holiday_and_is_never_in_the_past() -> None:
    today = date(2026, 12, 28)
    deadline, given = execution_deadline(today, date(2027, 1, 1), None)
    assert given is None
    assert deadline == next_working_day(date(2027, 1, 1)) and deadline > date(2027, 1, 1)
    assert execution_deadline(today, today, None)[0] == next_working_day(today)
    for bad in (
        {"deadline": today - timedelta(days=1), "working_days": None},
        {"deadline": today, "working_days": 3},
        {"deadline": None, "working_days": None},
        {"deadline": None, "working_days": 0},
        {"deadline": None, "working_days": 251},
    ):
        with pytest.raises(ValidationFailed):
            execution_deadline(today, bad["deadline"], bad["working_days"])  # type: ignore[arg-type]


def test_task_and_extension_tables_name_the_state_and_allowed_steps() -> None:
    assert flows.next_status("task", "assigned", "report") == "reported"
    with pytest.raises(InvalidTransition) as caught:
        flows.next_status("task", "reported", "forward", field="taskId")
    assert "'reported'" in caught.value.message and caught.value.field == "taskId"
    with pytest.raises(InvalidTransition) as caught:
        flows.next_status("extension", "granted", "refuse")
    assert "allowed steps: -" in caught.value.message
    assert flows.next_status("extension", "requested", "withdraw") == "withdrawn"


def _user(name: str, **extra: object) -> Principal:
    return Principal(subject=name, kind="user", **extra)  # type: ignore[arg-type]


def test_who_acts_on_a_part() -> None:
    document = Resource("Document", "D", org_unit="IT")
    head = _user("head", led_units=frozenset({"IT", "IT-1"}), org_units=frozenset({"IT"}))
    deputy = _user("deputy", led_units=frozenset({"IT"}), acting_for="head")
    staff = _user("staff", org_units=frozenset({"IT"}))
    assert denial_reason(head, ISSUE, document) is None
    assert denial_reason(deputy, ISSUE, document) is None
    assert denial_reason(staff, ISSUE, document) is not None

    task = Resource("ExecutionTask", "T", org_unit="IT-1", involved=frozenset({"staff"}))
    assert denial_reason(staff, REPORT, task) is None
    assert denial_reason(head, REPORT, task) is not None  # the head writes, the executor acts

    extension = Resource("DeadlineExtension", "X", involved=frozenset({"head"}))
    assert denial_reason(head, DECIDE_EXTENSION, extension) is None
    assert denial_reason(deputy, DECIDE_EXTENSION, extension) is None  # acting for the author
    assert denial_reason(staff, DECIDE_EXTENSION, extension) is not None
