"""Acting authority: delegations from a head to its deputy, their validation and authorisation."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from asan.auth.principal import ANONYMOUS, SYSTEM, Principal
from asan.core.errors import Forbidden, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.registry.org.service import acting_authority, create_delegation, positions_acting_for
from tests.registry.org_support import import_org

LEGAL_UNITS = frozenset({"DEPT-LEGAL", "DEPT-LEGAL-SEC-1", "DEPT-LEGAL-SEC-2"})
LEGAL_HEAD = Principal(
    subject="u-legal-head",
    kind="user",
    roles=frozenset({"head"}),
    org_units=LEGAL_UNITS,
    led_units=LEGAL_UNITS,
)
IT_HEAD = Principal(
    subject="u-it-head",
    kind="user",
    roles=frozenset({"head"}),
    org_units=frozenset({"DEPT-IT"}),
    led_units=frozenset({"DEPT-IT"}),
)


@pytest.fixture
async def org(clean_platform: Platform) -> Platform:
    await import_org(clean_platform)  # restored after the first import
    return clean_platform


async def delegate(
    p: Platform,
    principal: Principal = SYSTEM,
    head: str = "DEPT-LEGAL-HEAD",
    deputy: str = "DEPT-LEGAL-DEPUTY",
    start: date = date(2026, 3, 1),
    end: date = date(2026, 3, 10),
    reason: str = "  Məzuniyyət (annual leave)  ",
) -> object:
    return await create_delegation(p, principal, head, deputy, start, end, reason)


async def test_acting_authority_follows_the_inclusive_window(org: Platform) -> None:
    delegation = await delegate(org)
    assert getattr(delegation, "reason") == "Məzuniyyət (annual leave)"  # noqa: B009
    expected = {
        date(2026, 2, 28): "DEPT-LEGAL-HEAD",
        date(2026, 3, 1): "DEPT-LEGAL-DEPUTY",
        date(2026, 3, 5): "DEPT-LEGAL-DEPUTY",
        date(2026, 3, 10): "DEPT-LEGAL-DEPUTY",
        date(2026, 3, 11): "DEPT-LEGAL-HEAD",
    }
    for on, code in expected.items():
        acting = await acting_authority(org, "DEPT-LEGAL", on)
        assert acting.acting.code == code, on
        assert acting.head.code == "DEPT-LEGAL-HEAD"
        assert (acting.delegation is not None) == (code == "DEPT-LEGAL-DEPUTY")
    assert [
        p.code for p in await positions_acting_for(org, "DEPT-LEGAL-HEAD", date(2026, 3, 10))
    ] == ["DEPT-LEGAL-DEPUTY"]
    assert await positions_acting_for(org, "DEPT-LEGAL-HEAD", date(2026, 3, 11)) == []
    # another unit is unaffected
    other = await acting_authority(org, "DEPT-IT", date(2026, 3, 5))
    assert other.acting.code == "DEPT-IT-HEAD"


async def test_acting_authority_of_the_agency_centre_and_a_sector(org: Platform) -> None:
    on = date(2026, 1, 1)
    assert (await acting_authority(org, "AGENCY", on)).acting.code == "AGENCY-CHAIRMAN"
    assert (await acting_authority(org, "CENTRE", on)).acting.code == "CENTRE-HEAD"
    # the deputy head leads sector 1 of Legal; a sector head leads sector 2
    assert (await acting_authority(org, "DEPT-LEGAL-SEC-1", on)).acting.code == "DEPT-LEGAL-DEPUTY"
    assert (await acting_authority(org, "DEPT-LEGAL-SEC-2", on)).acting.code == (
        "DEPT-LEGAL-SEC-2-HEAD"
    )
    with pytest.raises(NotFound):
        await acting_authority(org, "DEPT-NOPE", on)


async def test_mobile_department_deputy_without_a_sector(org: Platform) -> None:
    await delegate(org, head="DEPT-MOBILE-HEAD", deputy="DEPT-MOBILE-DEPUTY")
    acting = await acting_authority(org, "DEPT-MOBILE", date(2026, 3, 2))
    assert acting.acting.code == "DEPT-MOBILE-DEPUTY" and acting.acting.leads_code is None


async def test_validation_names_the_fields(org: Platform) -> None:
    with pytest.raises(ValidationFailed) as failed:
        await delegate(org, deputy="DEPT-IT-DEPUTY", start=date(2026, 3, 10), end=date(2026, 3, 1))
    assert {e.field for e in failed.value.errors} == {"validUntil", "deputyPositionCode"}
    with pytest.raises(ValidationFailed) as failed:
        await delegate(org, head="DEPT-LEGAL-DEPUTY")
    assert [(e.field, e.code) for e in failed.value.errors] == [
        ("headPositionCode", "BAD_USER_INPUT")
    ]
    with pytest.raises(ValidationFailed) as failed:
        await delegate(org, head="DEPT-NOPE-HEAD")
    assert [(e.field, e.code) for e in failed.value.errors] == [("headPositionCode", "NOT_FOUND")]
    with pytest.raises(ValidationFailed) as failed:
        await delegate(org, deputy="DEPT-LEGAL-SEC-2-HEAD")  # a sector head, not the deputy
    assert [e.field for e in failed.value.errors] == ["deputyPositionCode"]
    with pytest.raises(ValidationFailed) as failed:
        await delegate(org, reason="   ")
    assert [e.field for e in failed.value.errors] == ["reason"]
    # one day windows are fine
    await delegate(org, start=date(2026, 5, 1), end=date(2026, 5, 1))
    assert (await acting_authority(org, "DEPT-LEGAL", date(2026, 5, 1))).acting.kind == (
        "deputy_head"
    )
    rows = await org.db.read("MATCH (d:Delegation) RETURN count(d) AS n")
    assert rows == [{"n": 1}]


async def test_overlapping_delegations_conflict(org: Platform) -> None:
    await delegate(org)
    with pytest.raises(ValidationFailed) as failed:
        await delegate(org, start=date(2026, 3, 10), end=date(2026, 3, 20))
    assert [(e.field, e.code) for e in failed.value.errors] == [("validFrom", "CONFLICT")]
    await delegate(org, start=date(2026, 3, 11), end=date(2026, 3, 20))  # adjacent is fine


async def test_only_administrators_and_the_units_head_may_delegate(org: Platform) -> None:
    with pytest.raises(Forbidden):
        await delegate(org, principal=ANONYMOUS)
    with pytest.raises(Forbidden):
        await delegate(org, principal=IT_HEAD)
    acting_deputy = Principal(
        subject="u-deputy",
        kind="user",
        roles=frozenset({"head"}),
        org_units=LEGAL_UNITS,
        led_units=LEGAL_UNITS,
        acting_for="u-legal-head",
    )
    with pytest.raises(Forbidden):
        await delegate(org, principal=acting_deputy)
    assert await org.db.read("MATCH (d:Delegation) RETURN count(d) AS n") == [{"n": 0}]
    await delegate(org, principal=LEGAL_HEAD)
    events = await org.db.read(
        """
        MATCH (e:AuditEvent {action: 'org.delegation.create'})
        RETURN e.actor AS actor, e.outcome AS outcome ORDER BY e.seq
        """
    )
    assert events == [
        {"actor": "anonymous", "outcome": "refused"},
        {"actor": "u-it-head", "outcome": "refused"},
        {"actor": "u-deputy", "outcome": "refused"},
        {"actor": "u-legal-head", "outcome": "allowed"},
    ]
    stored = await org.db.read(
        """
        MATCH (h:Position)<-[:FROM]-(d:Delegation)-[:TO]->(t:Position)
        RETURN h.code AS head, t.code AS deputy, toString(d.validFrom) AS start,
               toString(d.validUntil) AS end, d.createdBy AS by
        """
    )
    assert stored == [
        {
            "head": "DEPT-LEGAL-HEAD",
            "deputy": "DEPT-LEGAL-DEPUTY",
            "start": "2026-03-01",
            "end": "2026-03-10",
            "by": "u-legal-head",
        }
    ]


async def test_concurrent_overlapping_delegations_one_wins(org: Platform) -> None:
    results = await asyncio.gather(
        delegate(org, start=date(2026, 9, 1), end=date(2026, 9, 10)),
        delegate(org, start=date(2026, 9, 5), end=date(2026, 9, 20)),
        return_exceptions=True,
    )
    failures = [r for r in results if isinstance(r, BaseException)]
    assert len(failures) == 1 and isinstance(failures[0], ValidationFailed)
    assert failures[0].errors[0].code == "CONFLICT"
    assert await org.db.read("MATCH (d:Delegation) RETURN count(d) AS n") == [{"n": 1}]
