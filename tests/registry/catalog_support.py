"""Shared set-up of the catalog tests: principals and a small registry built via the service."""

from __future__ import annotations

from asan.auth.principal import SYSTEM, Principal
from asan.core.platform import Platform
from asan.registry.catalog import service as catalog
from asan.registry.catalog.models import (
    AsanCentreInput,
    BusStopInput,
    CategoryInput,
    DataLink,
    Evidence,
    InformationSystemInput,
    LegalBasis,
    MobileBusInput,
    ServiceInput,
    StateBodyInput,
    StopVisit,
)
from tests.graph_snapshot import cached_build

ADMIN = SYSTEM
EDITOR_DIN = Principal(
    subject="editor-din", kind="user", roles=frozenset({"state_body_editor"}), state_body="DIN"
)
EDITOR_ASAN = Principal(
    subject="editor-asan", kind="user", roles=frozenset({"state_body_editor"}), state_body="ASAN"
)
REVIEWER = Principal(subject="reviewer", kind="user", roles=frozenset({"registry_reviewer"}))


def passport_service(code: str = "DIN-001", **overrides: object) -> ServiceInput:
    base: dict[str, object] = {
        "code": code,
        "name_az": "Şəxsiyyət vəsiqəsinin verilməsi",
        "name_en": "Issuing identity cards",
        "name_ru": "Выдача удостоверения личности",
        "provider": "DIN",
        "description_az": "Vətəndaşlara şəxsiyyət vəsiqəsi verilir.",
        "processing_days": 10,
        "fee_amount": "5.00",
        "fee_exemptions": ("Şəhid ailələri",),
        "online_url": "https://e-gov.az/din/001",
        "channels": ("ONLINE", "ASAN_CENTRE", "MOBILE_BUS"),
        "legal_basis": (LegalBasis("LAW-ID", "Şəxsiyyət vəsiqəsi haqqında Qanun", ("5", "7.1")),),
        "requirements": (
            Evidence("BIRTH-CERT", "Doğum haqqında şəhadətnamə", "Birth certificate"),
            Evidence("PHOTO", "Fotoşəkil", "Photo", condition="15 yaşdan yuxarı / over 15"),
            Evidence("FEE-RECEIPT", "Dövlət rüsumu qəbzi", "Fee receipt"),
        ),
        "centres": ("BAKU-1",),
        "buses": ("BUS-1",),
        "systems": ("IAMAS",),
        "categories": ("IDENTITY",),
    }
    base.update(overrides)
    from decimal import Decimal

    base["fee_amount"] = Decimal(str(base["fee_amount"]))
    return ServiceInput(**base)  # type: ignore[arg-type]


async def _build_registry(p: Platform) -> None:
    """Bodies DIN (sub-body DMX) and ASAN; systems VISA -> MIGRATION -> IAMAS; centres; a bus."""
    await catalog.create_state_body(
        p,
        ADMIN,
        StateBodyInput(
            "DIN", "Daxili İşlər Nazirliyi", "Ministry of Internal Affairs", kind="ministry"
        ),
    )
    await catalog.create_state_body(
        p, ADMIN, StateBodyInput("ASAN", "ASAN xidmət", "ASAN service", kind="agency")
    )
    await catalog.create_state_body(
        p,
        ADMIN,
        StateBodyInput(
            "DMX",
            "Dövlət Miqrasiya Xidməti",
            "State Migration Service",
            kind="service",
            parent="DIN",
        ),
    )
    for code, name, operator in (
        ("IAMAS", "İAMAS", "DIN"),
        ("MIGRATION", "Vahid Miqrasiya İnformasiya Sistemi", "DMX"),
        ("VISA", "Elektron viza sistemi", "DMX"),
        ("EGOV", "Elektron hökumət portalı", "ASAN"),
    ):
        await catalog.create_information_system(
            p, ADMIN, InformationSystemInput(code, name, operator)
        )
    await catalog.link_information_systems(
        p, ADMIN, [DataLink("MIGRATION", "IAMAS"), DataLink("VISA", "MIGRATION")]
    )
    await catalog.create_category(p, ADMIN, CategoryInput("IDENTITY", "Şəxsiyyət", "category"))
    await catalog.create_category(
        p, ADMIN, CategoryInput("BIRTH", "Uşağın doğulması", "life_event")
    )
    await catalog.create_asan_centre(
        p,
        ADMIN,
        AsanCentreInput(
            "BAKU-1",
            "1 nömrəli Bakı ASAN xidmət mərkəzi",
            "Bakı",
            "Bakı, Xətai r-nu",
            "09:00-19:00",
        ),
    )
    await catalog.create_asan_centre(
        p,
        ADMIN,
        AsanCentreInput(
            "GANJA", "Gəncə ASAN xidmət mərkəzi", "Gəncə", "Gəncə, Atatürk pr.", "09:00-19:00"
        ),
    )
    await catalog.save_bus_stops(p, ADMIN, [BusStopInput("STOP-QUBA", "Quba mərkəzi", "Quba")])
    await catalog.save_mobile_bus(
        p,
        ADMIN,
        MobileBusInput("BUS-1", "Səyyar ASAN 1", (StopVisit("STOP-QUBA", 2, "10:00", "16:00"),)),
    )


# Built through the use cases once per session, then restored in one transaction
# (tests/graph_snapshot.py): most callers test something else than creating this registry.
build_registry = cached_build(_build_registry)
