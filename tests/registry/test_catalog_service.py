"""Catalog use cases against the real Neo4j: content, versions, lifecycle, registration, queries."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from asan.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.registry.catalog import repository as repo
from asan.registry.catalog import service as catalog
from asan.registry.catalog.models import (
    BusStopInput,
    CategoryInput,
    DataLink,
    Evidence,
    InformationSystemInput,
    MobileBusInput,
    ReferenceBatch,
    ServiceFilter,
    ServicePatch,
    StateBodyInput,
    StopVisit,
    Visibility,
)
from tests.registry.catalog_support import (
    ADMIN,
    EDITOR_ASAN,
    EDITOR_DIN,
    REVIEWER,
    build_registry,
    passport_service,
)

ALL = Visibility(all_statuses=True)
PUBLIC = Visibility()


def fields_of(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    return {e.field: e.code for e in exc.value.errors}


async def test_create_service_stores_content_and_first_version(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    created = await catalog.create_service(p, EDITOR_DIN, passport_service())
    assert created.status == "draft" and created.version == 1
    assert created.fee_amount == Decimal("5.00") and created.provider == "DIN"
    stored = (await repo.stored_services(p.db, ["DIN-001"]))["DIN-001"]
    assert [e.code for e in stored.content.requirements] == ["BIRTH-CERT", "PHOTO", "FEE-RECEIPT"]
    assert stored.content.requirements[1].condition == "15 yaşdan yuxarı / over 15"
    assert stored.content.channels == ("ASAN_CENTRE", "MOBILE_BUS", "ONLINE")
    assert stored.content.legal_basis[0].articles == ("5", "7.1")
    [v1] = (await repo.versions_by_service(p.db, ["DIN-001"]))["DIN-001"]
    assert v1.number == 1 and v1.actor == "editor-din" and v1.status_to == "draft"
    assert v1.changes["nameAz"]["to"] == "Şəxsiyyət vəsiqəsinin verilməsi"


async def test_update_records_only_the_changed_fields(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.create_service(p, EDITOR_DIN, passport_service())
    updated = await catalog.update_service(
        p,
        EDITOR_DIN,
        ServicePatch(
            code="DIN-001",
            processing_days=5,
            requirements=(
                Evidence("PHOTO", "Fotoşəkil"),
                Evidence("BIRTH-CERT", "Doğum haqqında şəhadətnamə"),
            ),
        ),
    )
    assert updated.version == 2 and updated.processing_days == 5
    versions = (await repo.versions_by_service(p.db, ["DIN-001"]))["DIN-001"]
    assert [v.number for v in versions] == [2, 1]
    assert set(versions[0].changes) == {"processingDays", "requirements"}
    assert versions[0].changes["processingDays"] == {"from": 10, "to": 5}
    # the same content again (channels in another order) is no change and no version
    again = await catalog.update_service(
        p,
        EDITOR_DIN,
        ServicePatch(code="DIN-001", channels=("MOBILE_BUS", "ONLINE", "ASAN_CENTRE")),
    )
    assert again.version == 2


async def test_bad_input_names_each_field(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.create_service(p, EDITOR_DIN, passport_service())
    with pytest.raises(ValidationFailed) as dup:
        await catalog.create_service(p, EDITOR_DIN, passport_service())
    assert fields_of(dup) == {"code": "CONFLICT"}
    with pytest.raises(ValidationFailed) as refs:
        await catalog.create_service(
            p, EDITOR_DIN, passport_service("DIN-002", systems=("IAMAS", "NOPE"), centres=("X",))
        )
    assert fields_of(refs) == {"systems[1]": "NOT_FOUND", "centres[0]": "NOT_FOUND"}
    with pytest.raises(ValidationFailed) as bad:
        await catalog.create_service(
            p,
            EDITOR_DIN,
            passport_service(
                "DIN-003",
                name_az="x" * 301,
                name_en="bad\x07bell",
                fee_amount="1.005",
                online_url="http://insecure",
                requirements=(Evidence("A", "ok"), Evidence("A", "")),
            ),
        )
    assert set(fields_of(bad)) == {
        "nameAz",
        "nameEn",
        "feeAmount",
        "onlineUrl",
        "requirements",
        "requirements[1].nameAz",
    }


async def test_text_is_stored_nfc_and_trimmed(clean_platform: Platform) -> None:
    p = clean_platform
    decomposed = "  Şəki\u0307 "  # trailing spaces and a combining dot
    body = await catalog.create_state_body(p, ADMIN, StateBodyInput("SK", decomposed))
    assert body.name_az == "Şəki\u0307".strip()
    nfd = "Ş".encode().decode()  # already composed; build an NFD form explicitly
    body2 = await catalog.create_state_body(p, ADMIN, StateBodyInput("SK2", " S\u0327 " + nfd))
    assert body2.name_az == "Ş Ş"


async def test_registration_procedure(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.create_service(p, EDITOR_DIN, passport_service())
    submitted_at = datetime(2025, 3, 19, 8, 0, tzinfo=UTC)  # Wednesday before Novruz
    request = await catalog.submit_service(p, EDITOR_DIN, "DIN-001", now=submitted_at)
    assert request.kind == "registration" and request.status == "submitted"
    assert request.review_due == date(2025, 4, 9)
    with pytest.raises(Conflict):
        await catalog.submit_service(p, EDITOR_DIN, "DIN-001", now=submitted_at)
    # a body may not register its own service
    with pytest.raises(Forbidden):
        await catalog.register_request(p, EDITOR_DIN, request.id)
    with pytest.raises(ValidationFailed) as no_defects:
        await catalog.return_request(p, REVIEWER, request.id, [])
    assert fields_of(no_defects) == {"defects": "BAD_USER_INPUT"}
    returned = await catalog.return_request(
        p, REVIEWER, request.id, ["Hüquqi əsas göstərilməyib"], now=datetime(2025, 4, 2, tzinfo=UTC)
    )
    assert returned.status == "returned" and returned.defects == ("Hüquqi əsas göstərilməyib",)
    assert returned.fix_due == date(2025, 4, 11)
    assert (await repo.services_by_codes(p.db, ["DIN-001"], ALL))["DIN-001"].status == "draft"
    # overdue: the body did not fix within its 7 working days
    late = datetime(2025, 4, 14, 8, tzinfo=UTC)
    overdue = await catalog.overdue_requests(p, REVIEWER, now=late)
    assert [r.id for r in overdue] == [request.id]
    assert await catalog.overdue_requests(p, REVIEWER, now=datetime(2025, 4, 11, tzinfo=UTC)) == []
    resubmitted = await catalog.submit_service(p, EDITOR_DIN, "DIN-001", now=late)
    assert resubmitted.id == request.id and resubmitted.status == "submitted"
    assert resubmitted.review_due == date(2025, 4, 23) and resubmitted.fix_due is None
    registered = await catalog.register_request(p, REVIEWER, request.id)
    assert registered.status == "registered"
    service = (await repo.services_by_codes(p.db, ["DIN-001"], PUBLIC))["DIN-001"]
    assert service.status == "published"
    versions = (await repo.versions_by_service(p.db, ["DIN-001"]))["DIN-001"]
    assert [(v.status_from, v.status_to) for v in versions[:4]] == [
        ("under_review", "published"),
        ("draft", "under_review"),
        ("under_review", "draft"),
        ("draft", "under_review"),
    ]
    events = await p.db.read(
        "MATCH (e:AuditEvent) WHERE e.action STARTS WITH 'registry.service.' "
        "RETURN e.action AS action, e.outcome AS outcome"
    )
    outcomes = {(e["action"], e["outcome"]) for e in events}
    assert ("registry.service.register", "refused") in outcomes
    assert ("registry.service.register", "allowed") in outcomes


async def test_lifecycle_table_and_messages(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.upsert_services(p, ADMIN, [passport_service()], initial_status="published")
    with pytest.raises(InvalidTransition) as bad:
        await catalog.transition_service(p, REVIEWER, "DIN-001", "withdrawn")
    assert "(mümkün: suspended) / " in bad.value.message
    assert bad.value.message.endswith("from 'published' to 'withdrawn' (allowed: suspended)")
    with pytest.raises(Forbidden):
        await catalog.transition_service(p, EDITOR_DIN, "DIN-001", "suspended")
    suspended = await catalog.transition_service(p, REVIEWER, "DIN-001", "suspended", note="təmir")
    assert suspended.status == "suspended"
    resumed = await catalog.transition_service(p, REVIEWER, "DIN-001", "published")
    assert resumed.status == "published"
    await catalog.transition_service(p, REVIEWER, "DIN-001", "suspended")
    withdrawn = await catalog.transition_service(p, REVIEWER, "DIN-001", "withdrawn")
    assert withdrawn.status == "withdrawn"
    with pytest.raises(InvalidTransition) as final:
        await catalog.transition_service(p, ADMIN, "DIN-001", "published")
    assert "none" in final.value.message
    with pytest.raises(ValidationFailed) as frozen:
        await catalog.update_service(p, ADMIN, ServicePatch(code="DIN-001", processing_days=1))
    assert fields_of(frozen) == {"code": "INVALID_STATE"}


async def test_drafts_are_hidden_from_other_bodies(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    with pytest.raises(Forbidden):
        await catalog.create_service(p, EDITOR_ASAN, passport_service())
    await catalog.create_service(p, EDITOR_DIN, passport_service())
    with pytest.raises(NotFound):
        await catalog.update_service(p, EDITOR_ASAN, ServicePatch(code="DIN-001", name_az="X"))
    with pytest.raises(NotFound):
        await catalog.submit_service(p, EDITOR_ASAN, "DIN-001")
    assert catalog.visibility(EDITOR_ASAN) == Visibility(all_statuses=False, own_body="ASAN")
    assert catalog.visibility(REVIEWER).all_statuses
    flt = ServiceFilter()
    asan_view = await repo.list_services(
        p.db, flt, catalog.visibility(EDITOR_ASAN), after=None, limit=10
    )
    din_view = await repo.list_services(
        p.db, flt, catalog.visibility(EDITOR_DIN), after=None, limit=10
    )
    assert asan_view.total == 0 and din_view.total == 1


async def test_filters_impact_path_and_coverage(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.upsert_services(
        p,
        ADMIN,
        [
            passport_service(),
            passport_service(
                "DMX-VISA",
                name_az="Elektron viza",
                provider="DMX",
                channels=("ONLINE",),
                online_url="https://evisa.gov.az",
                systems=("VISA",),
                centres=("GANJA",),
                buses=(),
                categories=(),
            ),
            passport_service(
                "ASAN-108",
                name_az="Məlumat xidməti",
                provider="ASAN",
                channels=("CALL_CENTRE_108",),
                online_url=None,
                systems=("EGOV",),
                centres=(),
                buses=(),
            ),
        ],
        initial_status="published",
    )

    async def codes(**kw: str) -> list[str]:
        page = await repo.list_services(p.db, ServiceFilter(**kw), PUBLIC, after=None, limit=10)
        return [s.code for s in page.rows]

    assert await codes(channel="ONLINE") == ["DMX-VISA", "DIN-001"]
    assert await codes(stop="STOP-QUBA") == ["DIN-001"]
    assert await codes(centre="GANJA") == ["DMX-VISA"]
    assert await codes(category="IDENTITY") == ["DIN-001", "ASAN-108"] or await codes(
        category="IDENTITY"
    ) == ["ASAN-108", "DIN-001"]
    assert await codes(body="DMX") == ["DMX-VISA"]
    # lookup ignores case and the dotted/dotless i (a reader without an Azerbaijani keyboard
    # types I or i for ı and İ alike), and matches codes without case
    assert await codes(search="VİZA") == ["DMX-VISA"]
    assert await codes(search="VIZA") == ["DMX-VISA"]
    assert await codes(search="dmx-visa") == ["DMX-VISA"]
    assert await codes(search="VIZAX") == []

    p.db.round_trips = 0
    impact = await repo.impact(p.db, "IAMAS", PUBLIC)
    assert p.db.round_trips == 1
    assert impact is not None
    assert [(i.service.code, i.hops) for i in impact.services] == [("DIN-001", 0), ("DMX-VISA", 2)]
    assert {c.code for c in impact.centres} == {"BAKU-1", "GANJA"}
    assert await repo.impact(p.db, "NOPE", PUBLIC) is None

    path = await repo.dependency_path(p.db, "DMX-VISA", "IAMAS")
    assert path is not None
    assert [s.code for s in path] == ["DMX-VISA", "VISA", "MIGRATION", "IAMAS"]
    assert await repo.dependency_path(p.db, "ASAN-108", "IAMAS") is None

    stats = {c.body: c for c in await repo.coverage(p.db)}
    assert stats["DIN"].services == 1 and stats["DIN"].e_service_share == 1.0
    assert stats["ASAN"].online == 0 and stats["ASAN"].e_service_share == 0.0
    channels = {c.channel: c.services for c in stats["ASAN"].channels}
    assert channels == {"ASAN_CENTRE": 0, "MOBILE_BUS": 0, "ONLINE": 0, "CALL_CENTRE_108": 1}


async def test_upsert_services_is_all_or_nothing(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    with pytest.raises(ValidationFailed) as bad:
        await catalog.upsert_services(
            p, ADMIN, [passport_service(), passport_service("X-2", provider="NOBODY")]
        )
    assert fields_of(bad) == {"services[1].provider": "NOT_FOUND"}
    assert await repo.stored_services(p.db, ["DIN-001"]) == {}
    first = await catalog.upsert_services(p, ADMIN, [passport_service()])
    assert first[0].created and first[0].version == 1
    again = await catalog.upsert_services(
        p, ADMIN, [replace(passport_service(), processing_days=3)]
    )
    assert (
        not again[0].created and again[0].version == 2 and again[0].changed == ("processingDays",)
    )


async def test_concurrent_creations_of_one_code_conflict(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    outcomes = await asyncio.gather(
        *(catalog.create_service(p, EDITOR_DIN, passport_service()) for _ in range(3)),
        return_exceptions=True,
    )
    created = [o for o in outcomes if not isinstance(o, BaseException)]
    conflicts = [o for o in outcomes if isinstance(o, ValidationFailed)]
    assert len(created) == 1 and len(conflicts) == 2
    assert all(c.errors[0].code == "CONFLICT" and c.errors[0].field == "code" for c in conflicts)
    versions = (await repo.versions_by_service(p.db, ["DIN-001"]))["DIN-001"]
    assert [v.number for v in versions] == [1]


async def test_concurrent_creations_of_reference_codes_conflict(clean_platform: Platform) -> None:
    """Bodies, systems and categories: of simultaneous creates of one code, exactly one wins."""
    p = clean_platform
    await build_registry(p)

    async def race(make: object) -> list[object]:
        return await asyncio.gather(*(make() for _ in range(3)), return_exceptions=True)  # type: ignore[operator]

    attempts = {
        "StateBody": lambda: catalog.create_state_body(
            p, ADMIN, StateBodyInput("RACE-BODY", "Yarış orqanı")
        ),
        "InformationSystem": lambda: catalog.create_information_system(
            p, ADMIN, InformationSystemInput("RACE-SYS", "Yarış sistemi", "DIN")
        ),
        "Category": lambda: catalog.create_category(
            p, ADMIN, CategoryInput("RACE-CAT", "Yarış kateqoriyası")
        ),
    }
    for label, make in attempts.items():
        outcomes = await race(make)
        won = [o for o in outcomes if not isinstance(o, BaseException)]
        lost = [o for o in outcomes if isinstance(o, ValidationFailed)]
        assert len(won) == 1 and len(lost) == 2, (label, outcomes)
        assert all(e.errors[0].code == "CONFLICT" for e in lost)
    rows = await p.db.read(
        "MATCH (n) WHERE n.code STARTS WITH 'RACE-' RETURN labels(n)[0] AS label, n.nameAz AS name"
    )
    assert sorted(r["label"] for r in rows) == ["Category", "InformationSystem", "StateBody"]
    assert all(r["name"] for r in rows)


async def test_reference_batch_is_one_transaction_with_inner_references(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    batch = ReferenceBatch(
        bodies=(
            StateBodyInput("DIN", "Daxili İşlər Nazirliyi", kind="ministry"),
            StateBodyInput("DMX", "Dövlət Miqrasiya Xidməti", kind="service", parent="DIN"),
        ),
        systems=(
            InformationSystemInput("IAMAS", "İAMAS", "DIN"),
            InformationSystemInput("MIGRATION", "Miqrasiya sistemi", "DMX"),
        ),
        links=(DataLink("MIGRATION", "IAMAS"),),
        stops=(BusStopInput("Q", "Quba", "Quba"),),
        buses=(MobileBusInput("BUS-1", "Səyyar 1", (StopVisit("Q", 1, "09:00", "13:00"),)),),
    )
    with pytest.raises(ValidationFailed) as unknown:
        await catalog.upsert_reference_data(
            p, ADMIN, replace(batch, links=(DataLink("MIGRATION", "GHOST"),))
        )
    assert fields_of(unknown) == {"systems": "NOT_FOUND"}
    assert await repo.state_bodies_by_codes(p.db, ["DIN"]) == {}  # nothing was written
    with pytest.raises(Forbidden):
        await catalog.upsert_reference_data(p, REVIEWER, batch)
    counts = await catalog.upsert_reference_data(p, ADMIN, batch)
    assert counts["bodies"] == 2 and counts["links"] == 1
    assert (await repo.state_bodies_by_codes(p.db, ["DMX"]))["DMX"].parent == "DIN"
    assert (await repo.data_links(p.db, ["IAMAS"]))["IAMAS"] == ([], ["MIGRATION"])
    [(visit, stop)] = (await repo.schedules_by_bus(p.db, ["BUS-1"]))["BUS-1"]
    assert visit.weekday == 1 and stop.name == "Quba"
    with pytest.raises(ValidationFailed) as bad:
        await catalog.upsert_reference_data(
            p, ADMIN, ReferenceBatch(stops=(BusStopInput("Q2", "", "Quba"),))
        )
    assert fields_of(bad) == {"stops[0].name": "BAD_USER_INPUT"}


async def test_change_request_for_a_published_service(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.upsert_services(p, ADMIN, [passport_service()], initial_status="published")
    with pytest.raises(ValidationFailed) as no_summary:
        await catalog.submit_service(p, EDITOR_DIN, "DIN-001")
    assert fields_of(no_summary) == {"summary": "BAD_USER_INPUT"}
    request = await catalog.submit_service(
        p, EDITOR_DIN, "DIN-001", summary="Rüsum 5 AZN-dən 3 AZN-ə endirilir"
    )
    assert request.kind == "change" and request.service_version == 1
    # content of a published service is the agency's to change, not the body's
    with pytest.raises(Forbidden):
        await catalog.update_service(p, EDITOR_DIN, ServicePatch(code="DIN-001", name_az="Y"))
    registered = await catalog.register_request(p, REVIEWER, request.id)
    assert registered.status == "registered" and registered.decided_at is not None
    updated = await catalog.update_service(
        p, REVIEWER, ServicePatch(code="DIN-001", fee_amount=Decimal("3"))
    )
    assert updated.status == "published" and updated.fee_amount == Decimal("3.00")


async def test_state_body_hierarchy_refuses_cycles(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)  # DMX is part of DIN
    with pytest.raises(ValidationFailed) as cycle:
        await catalog.update_state_body(
            p, ADMIN, StateBodyInput("DIN", "Daxili İşlər Nazirliyi", parent="DMX")
        )
    assert fields_of(cycle) == {"parent": "CYCLE"}
    with pytest.raises(ValidationFailed) as unknown:
        await catalog.update_state_body(p, ADMIN, StateBodyInput("NOPE", "Yox"))
    assert fields_of(unknown) == {"code": "NOT_FOUND"}
    moved = await catalog.update_state_body(
        p, ADMIN, StateBodyInput("DMX", "Dövlət Miqrasiya Xidməti", parent="ASAN")
    )
    assert moved.parent == "ASAN"
    assert (await repo.state_bodies_by_codes(p.db, ["DMX"]))["DMX"].parent == "ASAN"
