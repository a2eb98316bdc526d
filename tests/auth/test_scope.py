"""Effective roles and units come from the graph: positions held, delegations in force."""

from __future__ import annotations

from datetime import timedelta

from asan.auth.service import resolve_user
from tests.auth.support import add_user, delegate, hold, org_fixture


async def test_head_acts_for_unit_and_its_sectors(clean_platform, clock) -> None:
    await org_fixture(clean_platform)
    today = clock.today
    head = await add_user(clean_platform, "head")
    staff = await add_user(clean_platform, "staff")
    await hold(clean_platform, head, "DEPT-IT-HEAD", today - timedelta(days=400))
    await hold(clean_platform, staff, "DEPT-IT-STAFF", today - timedelta(days=30))
    p = await resolve_user(clean_platform, head, today.isoformat())
    assert p is not None and "head" in p.roles
    assert p.led_units == {"DEPT-IT", "DEPT-IT-SEC-1", "DEPT-IT-SEC-2"}
    s = await resolve_user(clean_platform, staff, today.isoformat())
    assert s is not None and "head" not in s.roles
    assert s.led_units == frozenset() and s.org_units == {"DEPT-IT-SEC-2"}


async def test_a_position_held_in_the_past_gives_nothing(clean_platform, clock) -> None:
    await org_fixture(clean_platform)
    today = clock.today
    former = await add_user(clean_platform, "former")
    await hold(
        clean_platform,
        former,
        "DEPT-IT-HEAD",
        today - timedelta(days=400),
        today - timedelta(days=1),
    )
    p = await resolve_user(clean_platform, former, today.isoformat())
    assert p is not None and p.led_units == frozenset() and "head" not in p.roles


async def test_deputy_acts_for_the_head_only_within_the_window(clean_platform, clock) -> None:
    await org_fixture(clean_platform)
    today = clock.today
    head = await add_user(clean_platform, "head")
    deputy = await add_user(clean_platform, "deputy")
    await hold(clean_platform, head, "DEPT-IT-HEAD", today - timedelta(days=400))
    await hold(clean_platform, deputy, "DEPT-IT-DEPUTY", today - timedelta(days=400))
    # without a delegation the deputy leads only their own sector
    p = await resolve_user(clean_platform, deputy, today.isoformat())
    assert p is not None and p.led_units == {"DEPT-IT-SEC-1"} and p.acting_for is None
    await delegate(clean_platform, today - timedelta(days=3), today + timedelta(days=3))
    inside = await resolve_user(clean_platform, deputy, today.isoformat())
    assert inside is not None
    assert inside.led_units == {"DEPT-IT", "DEPT-IT-SEC-1", "DEPT-IT-SEC-2"}
    assert inside.acting_for == head
    last_day = (today + timedelta(days=3)).isoformat()  # the window is inclusive
    at_end = await resolve_user(clean_platform, deputy, last_day)
    assert at_end is not None and "DEPT-IT" in at_end.led_units
    after = await resolve_user(clean_platform, deputy, (today + timedelta(days=4)).isoformat())
    assert after is not None and after.led_units == {"DEPT-IT-SEC-1"} and after.acting_for is None


async def test_scope_costs_one_query(clean_platform, clock) -> None:
    await org_fixture(clean_platform)
    head = await add_user(clean_platform, "head")
    await hold(clean_platform, head, "DEPT-IT-HEAD", clock.today)
    before = clean_platform.db.round_trips
    await resolve_user(clean_platform, head, clock.today.isoformat())
    assert clean_platform.db.round_trips - before == 1
