"""Information-system register entries: lifecycle, security class, data objects, contact point
and X-Road identifiers, saved through the audited use case, read back, and validated."""

from __future__ import annotations

from dataclasses import replace

import pytest

from asan.core import changelog
from asan.core.errors import ValidationFailed
from asan.core.platform import Platform
from asan.registry.catalog import queries
from asan.registry.catalog import service as catalog
from asan.registry.catalog.models import (
    ContactPoint,
    InformationSystemInput,
    StateBodyInput,
    SystemRecord,
    XRoadService,
)
from tests.registry.catalog_support import ADMIN

RECORD = SystemRecord(
    lifecycle="in_operation",
    security_class="confidential",
    data_objects=("Şəxsiyyət vəsiqəsi", "Ünvan qeydiyyatı"),
    contact_point=ContactPoint("iamas@example.az", "+994 12 000 00 00", "B.e.-C. 09:00-18:00"),
    xroad=XRoadService("AZ", "GOV", "DIN-001", "IAMAS", ("getPerson", "getAddress")),
)


async def test_a_system_record_is_saved_read_back_and_reported(clean_platform: Platform) -> None:
    p = clean_platform
    await catalog.create_state_body(p, ADMIN, StateBodyInput("DIN", "Daxili İşlər Nazirliyi"))
    system = InformationSystemInput("IAMAS", "İAMAS", "DIN", record=RECORD)
    saved = await catalog.create_information_system(p, ADMIN, system)
    assert saved.record == RECORD
    stored = (await queries.information_systems_by_codes(p, ["IAMAS"]))["IAMAS"]
    assert stored.record == RECORD
    head = await changelog.head_seq(p.db)
    retired = replace(RECORD, lifecycle="being_retired", xroad=None)
    await catalog.update_information_system(p, ADMIN, replace(system, record=retired))
    stored = (await queries.information_systems_by_codes(p, ["IAMAS"]))["IAMAS"]
    assert stored.record == retired and stored.record.xroad is None
    events = await changelog.read_after(p.db, head, 10)
    assert [(e.entity_id, e.operation, tuple(e.fields)) for e in events] == [
        ("IAMAS", "updated", ("lifecycle", "xroad"))
    ]


@pytest.mark.parametrize(
    ("record", "field"),
    [
        (replace(RECORD, lifecycle="dead"), "lifecycle"),
        (replace(RECORD, security_class="top"), "securityClass"),
        (replace(RECORD, data_objects=("a", "a")), "dataObjects"),
        (replace(RECORD, contact_point=ContactPoint(email="not-an-email")), "contactPoint.email"),
        (replace(RECORD, contact_point=ContactPoint(url="http://x.az")), "contactPoint.url"),
        (
            replace(RECORD, contact_point=ContactPoint(telephone="12;DROP")),
            "contactPoint.telephone",
        ),
        (
            replace(RECORD, xroad=XRoadService("AZ", "GOV", "bad code", "IAMAS")),
            "xroad.memberCode",
        ),
        (replace(RECORD, data_objects=("x\u202ey",)), "dataObjects[0]"),
    ],
)
async def test_bad_record_parts_are_refused_naming_the_field(
    clean_platform: Platform, record: SystemRecord, field: str
) -> None:
    p = clean_platform
    await catalog.create_state_body(p, ADMIN, StateBodyInput("DIN", "Daxili İşlər Nazirliyi"))
    with pytest.raises(ValidationFailed) as caught:
        await catalog.create_information_system(
            p, ADMIN, InformationSystemInput("IAMAS", "İAMAS", "DIN", record=record)
        )
    assert [e.field for e in caught.value.errors] == [field]
    assert await queries.information_systems_by_codes(p, ["IAMAS"]) == {}  # nothing half-written


async def test_a_change_to_the_record_alone_moves_updated_at(clean_platform: Platform) -> None:
    p = clean_platform
    await catalog.create_state_body(p, ADMIN, StateBodyInput("DIN", "Daxili İşlər Nazirliyi"))
    system = InformationSystemInput("IAMAS", "İAMAS", "DIN", record=RECORD)
    await catalog.create_information_system(p, ADMIN, system)
    read = "MATCH (x:InformationSystem {code: 'IAMAS'}) RETURN x.updatedAt AS at"
    created = (await p.db.read(read))[0]["at"]
    await catalog.update_information_system(p, ADMIN, system)  # identical: unchanged
    assert (await p.db.read(read))[0]["at"] == created
    more = replace(RECORD, data_objects=(*RECORD.data_objects, "Pasport"))
    await catalog.update_information_system(p, ADMIN, replace(system, record=more))
    assert (await p.db.read(read))[0]["at"] > created
